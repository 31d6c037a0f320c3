/**
 * A host page that pollutes prototypes and breaks fetch (fixtures/privacy/hostile.js):
 * goalpost still delivers valid payloads, and never reaches the page's own
 * window.onerror or unhandledrejection handlers, whatever it is called with.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { consoleOf, expectNoPageErrors, launchBrowser, type TestBrowser } from './support/browser';
import { expectHits } from './support/expectHits';
import { sleep, startServer, type TestServer } from './support/server';

const HOSTILE = '/test/e2e/fixtures/privacy/hostile.html';
let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  if (page && !page.isClosed()) {
    expectNoPageErrors(page);
    await page.close();
  }
  server.reset();
});

async function open(path: string): Promise<Page> {
  page = await browser.newPage();
  await page.goto(server.url(path));
  await page.waitForFunction(() => (window as unknown as { goalpost?: { loaded?: boolean } }).goalpost?.loaded === true);
  return page;
}

const errorsOf = (p: Page) => p.evaluate(() => (window as unknown as { __errors: string[] }).__errors);

/** Every public call with what a careless or hostile caller passes. */
async function abuse(p: Page): Promise<void> {
  await p.evaluate(() => {
    const gp = (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost;
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    const hostile = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    gp('track', 'with_everything', { value: 2, list: [1, 2], nested: { a: [true] }, cyclic, big: 10n, fn: () => 1, node: document.body, when: new Date(), sym: Symbol('s') });
    gp('track', hostile);
    gp('track', 'proxy_props', hostile);
    gp('track');
    gp('track', 'nan', { value: NaN });
    gp('track', 'x'.repeat(10_000), { label: 'y'.repeat(10_000) });
    gp('pageview', 'http://[bad');
    gp('pageview', hostile);
    gp('goal', 'undeclared');
    gp('goal', 'add_to_cart', Infinity);
    gp('consent', 'maybe');
    gp('consent', hostile);
    gp('flush', hostile);
    gp('no_such_command');
    gp(hostile);
    gp();
  });
}

describe('a page with polluted prototypes and a fetch that throws', () => {
  test('goalpost delivers valid payloads (by beacon, as fetch throws) and the page sees no error', async () => {
    await open(HOSTILE);
    await page.click('#add');
    await abuse(page);
    const [pv, , addGoal, , purchase] = await expectHits(server.collector, {
      since: 0,
      expected: [
        { type: 'pageview', url: server.url(HOSTILE) },
        { type: 'event', event: { action: 'add_to_cart' } },
        { type: 'goal', goal: { id: 'add_to_cart', role: 'micro', supports: ['purchase'] } },
        { type: 'event', event: { action: 'with_everything', value: 2, props: { list: [1, 2], nested: { a: [true] }, cyclic: { n: 1, self: { n: 1, self: { n: 1 } } } } } },
        { type: 'goal', goal: { id: 'purchase', role: 'macro', supports: [], funnel: [false], assists: [] } },
        { type: 'event', event: { action: 'proxy_props', props: undefined } },
        { type: 'event', event: { action: 'x'.repeat(256), label: 'y'.repeat(1024) } },
      ],
      refuted: [{ type: 'event', event: { action: 'nan' } }, { type: 'goal', goal: { id: 'undeclared' } }],
    });
    // The page's fetch throws, so sendBeacon carried every batch.
    expect(server.collector.requests.map((r) => r.headers['sec-fetch-mode'])).toEqual(server.collector.requests.map(() => 'no-cors'));
    // Arrays are arrays (Array.prototype.toJSON ignored), one session across the hits.
    expect(Array.isArray((addGoal as unknown as { goal: { supports: unknown } }).goal.supports)).toBe(true);
    expect(new Set([pv.sid, purchase.sid]).size).toBe(1);
    expect(server.collector.requests.every((r) => r.method !== 'POST' || r.schemaError === null)).toBe(true);
    // The page's handlers saw nothing; goalpost only warned, in the console.
    expect(await errorsOf(page)).toEqual([]);
    await abuse(page);
    await sleep(300);
    expect(await errorsOf(page)).toEqual([]);
    expect(consoleOf(page, 'warn').length).toBeGreaterThan(10);
    expect(consoleOf(page, 'warn').every((m) => m.text.startsWith('[goalpost]'))).toBe(true);
  });

  test('JSON.stringify broken before goalpost loads: goalpost fails alone, silently for the page', async () => {
    await open(`${HOSTILE}?breakJson`);
    await page.click('#add');
    await abuse(page);
    await page.evaluate(() => (window as unknown as { goalpost: (c: string) => void }).goalpost('flush'));
    await sleep(800);
    expect(await errorsOf(page)).toEqual([]);
  });

  test('JSON.stringify broken after goalpost loaded: goalpost keeps the one it found', async () => {
    await open(HOSTILE);
    await page.evaluate(() => {
      JSON.stringify = () => {
        throw new Error('broken later');
      };
    });
    await expectHits(server.collector, {
      action: () => page.click('#add'),
      since: 0,
      expected: [{ type: 'pageview', url: server.url(HOSTILE) }, { type: 'event', event: { action: 'add_to_cart' } }],
    });
    expect(await errorsOf(page)).toEqual([]);
  });
});
