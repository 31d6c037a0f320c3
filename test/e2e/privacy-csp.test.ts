/**
 * goalpost under a strict Content Security Policy: scripts only from 'self'
 * or with the page's nonce, no eval, Trusted Types required, connections only
 * to the collector (another origin), nothing else at all. Zero
 * securitypolicyviolation events and zero reports, while goalpost delivers.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { expectNoPageErrors, launchBrowser, type TestBrowser } from './support/browser';
import { expectHits, waitFor } from './support/expectHits';
import { startServer, type TestServer } from './support/server';

const template = readFileSync(new URL('./fixtures/privacy/csp.html', import.meta.url), 'utf8');
const NONCE = 'Z29hbHBvc3QtZTJlLW5vbmNl';

let site: TestServer;
let collector: TestServer;
let browser: TestBrowser;
let page: Page;
let reports: string[] = [];

beforeAll(async () => {
  site = await startServer();
  collector = await startServer(); // another origin
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await collector?.close();
});
afterEach(async () => {
  if (page && !page.isClosed()) {
    expectNoPageErrors(page);
    await page.close();
  }
  site.reset();
  collector.reset();
  reports = [];
});

function serve(extra = ''): string {
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'nonce-${NONCE}'`,
    `connect-src ${collector.origin}`,
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    'report-uri /csp-report',
  ].join('; ');
  const config = {
    endpoint: collector.url('/collect'),
    site: 'csp',
    batch: { maxHits: 50, flushIntervalMs: 200 },
    goals: [
      { id: 'purchase', kind: 'event', event: { action: 'purchase' } },
      { id: 'buy_click', kind: 'event', supports: 'purchase', on: { click: '#buy' } },
    ],
  };
  const body = template.replaceAll('__NONCE__', NONCE).replace('__CONFIG__', JSON.stringify(config)).replace('__EXTRA__', extra);
  site.route(/^\/csp(\/.*)?$/, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp }, body });
  site.route('/csp-report', (req) => {
    reports.push(req.body);
    return { status: 204, body: '' };
  });
  return csp;
}

async function open(path: string): Promise<Page> {
  page = await browser.newPage();
  // Installed before any page script, outside the page's CSP (DevTools protocol).
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(site.url(path));
  return page;
}

const violations = (p: Page) => p.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe('strict CSP', () => {
  test('goalpost runs and delivers with zero violations and zero reports', async () => {
    serve();
    await open('/csp/');
    await page.waitForFunction(() => (window as unknown as { goalpost?: { loaded?: boolean } }).goalpost?.loaded === true);
    await expectHits(collector.collector, {
      action: async () => {
        await page.click('#add');
        await page.click('#buy');
        await page.evaluate(() => {
          const gp = (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost;
          gp('track', 'purchase', { value: 9 });
          history.pushState(null, '', '/csp/spa');
        });
      },
      since: 0,
      expected: [
        { type: 'pageview', url: site.url('/csp/') },
        { type: 'event', event: { action: 'queued_before_load' } },
        { type: 'event', event: { action: 'add_to_cart', value: 3 } },
        { type: 'event', event: { action: 'buy_click' } },
        { type: 'goal', goal: { id: 'buy_click', role: 'micro' } },
        { type: 'goal', goal: { id: 'purchase', role: 'macro', assists: ['buy_click'] } },
        { type: 'pageview', nav: 'spa', url: site.url('/csp/spa') },
      ],
    });
    // What waits when the page goes away is handed over under the same policy.
    const since = collector.collector.requests.length;
    await page.evaluate(() => (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost('track', 'on_hide'));
    const seen = await violations(page);
    await expectHits(collector.collector, {
      action: () => Promise.all([page.waitForURL('**/csp/next'), page.click('#next')]),
      since,
      expected: [{ type: 'event', event: { action: 'on_hide' } }, { type: 'pageview', url: site.url('/csp/next') }],
    });
    expect(seen).toEqual([]);
    expect(await violations(page)).toEqual([]);
    await new Promise((r) => setTimeout(r, 500)); // reports are sent late
    expect(reports).toEqual([]);
    expect(site.collector.requests).toEqual([]); // nothing went to the page's own origin
  });

  test('the watch is real: an inline script without the nonce is reported both ways', async () => {
    serve('<script>window.unsafe = 1;</script>');
    await open('/csp/');
    await waitFor(async () => (await violations(page)).length > 0);
    expect((await violations(page))[0]).toMatch(/^script-src-elem inline/);
    await waitFor(() => reports.length > 0);
    expect(reports[0]).toContain('script-src-elem');
  });
});
