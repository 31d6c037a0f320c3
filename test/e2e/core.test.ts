/**
 * The core SDK in Chromium, loaded by script tag as users install it: each goal
 * kind on hard loads and SPA navigations, micro -> macro assists, the stub
 * queue, each config source, and an invalid config.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleOf, expectNoPageErrors, launchBrowser, type TestBrowser } from './support/browser';
import { expectHits, waitFor } from './support/expectHits';
import { startServer, type TestServer } from './support/server';

const fixture = (name: string) => `/test/e2e/fixtures/core/${name}`;
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
  await browser.context.clearCookies();
});

/** The shop page at every /shop/... path, so hard loads and SPA navigations share one page. */
function serveShop() {
  const html = readFileSync(new URL('./fixtures/core/site.html', import.meta.url), 'utf8');
  server.route(/^\/shop(\/.*)?$/, { headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html });
}

async function open(path: string): Promise<Page> {
  page = await browser.newPage();
  // A fresh origin state for each test: the same profile is shared across tests.
  await page.goto(server.url('/test/e2e/fixtures/harness.html'));
  await page.evaluate(async () => {
    localStorage.clear();
    for (const db of (await indexedDB.databases?.()) ?? []) if (db.name) indexedDB.deleteDatabase(db.name);
  });
  server.collector.reset();
  await page.goto(server.url(path));
  return page;
}

describe('goal kinds on hard loads', () => {
  test('destination with funnel, pages per session and an event micro goal; the macro goal lists its assists', async () => {
    serveShop();
    await open('/shop/');
    const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate', url: server.url('/shop/') }] });
    await expectHits(server.collector, {
      action: () => page.click('#add'),
      expected: [
        { type: 'event', event: { action: 'add_to_cart', category: 'coffee', label: 'sku-1', value: 12.5 } },
        { type: 'goal', goal: { id: 'add_to_cart', kind: 'event', role: 'micro', supports: ['purchase'], value: 12.5, currency: 'EUR' } },
      ],
    });
    await Promise.all([page.waitForURL('**/shop/cart'), page.click('#to-cart')]);
    await Promise.all([page.waitForURL('**/shop/checkout/thanks**'), page.click('#to-thanks')]);
    const [, browsed, purchase] = await expectHits(server.collector, {
      expected: [
        { type: 'pageview', nav: 'navigate', url: server.url('/shop/checkout/thanks?order=7'), ref: server.url('/shop/cart') },
        { type: 'goal', goal: { id: 'browsed', kind: 'pagesPerSession', role: 'micro', supports: ['purchase'] } },
        { type: 'goal', goal: { id: 'purchase', kind: 'destination', role: 'macro', supports: [], value: 40, currency: 'EUR',
          // The 2 s duration goal may have converted by now too: it is a micro goal of purchase.
          assists: expect.arrayContaining(['add_to_cart', 'browsed']), funnel: [true, true] } },
      ],
      refuted: [{ type: 'goal', goal: { id: 'purchase' }, seq: 99 }],
    });
    // One session across hard loads: same client, same session, seq growing.
    expect(new Set([pv.cid, browsed.cid, purchase.cid]).size).toBe(1);
    expect(new Set([pv.sid, purchase.sid]).size).toBe(1);
    expect(purchase.seq).toBeGreaterThan(browsed.seq);
    expect(purchase).toHaveProperty('speed');
    // Reloading the thanks page does not convert the goal again.
    await expectHits(server.collector, {
      action: () => page.reload(),
      expected: [{ type: 'pageview', nav: 'reload' }],
      refuted: [{ type: 'goal', goal: { id: 'purchase' } }],
    });
  });

  test('a duration goal converts while the page sits open', async () => {
    serveShop();
    await open('/shop/');
    const [goal] = await expectHits(server.collector, {
      expected: [{ type: 'goal', goal: { id: 'stayed', kind: 'duration', role: 'micro', supports: ['purchase'] } }],
      timeoutMs: 8000,
    });
    const [pv] = server.collector.hitsWhere((h) => h.type === 'pageview');
    expect(goal.ts - pv.ts).toBeGreaterThanOrEqual(2000);
  });
});

describe('goal kinds in a single-page app', () => {
  test('History API navigations are page views; they reach the destination with its funnel', async () => {
    serveShop();
    await open('/shop/');
    await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    const hits = await expectHits(server.collector, {
      action: async () => {
        await page.click('a[href="/shop/cart"]');
        await page.click('a[href="/shop/checkout"]');
        await page.click('a[href^="/shop/checkout/thanks"]');
      },
      expected: [
        { type: 'pageview', nav: 'spa', url: server.url('/shop/cart'), ref: server.url('/shop/') },
        { type: 'pageview', nav: 'spa', url: server.url('/shop/checkout'), ref: server.url('/shop/cart') },
        { type: 'pageview', nav: 'spa', url: server.url('/shop/checkout/thanks?order=7') },
        { type: 'goal', goal: { id: 'browsed', role: 'micro' } },
        { type: 'goal', goal: { id: 'purchase', role: 'macro', assists: expect.arrayContaining(['browsed']), funnel: [true, true] } },
      ],
    });
    expect(new Set(hits.slice(0, 3).map((h) => h.pid)).size).toBe(3);
    // Back in history is a page view too (popstate).
    await expectHits(server.collector, {
      action: () => page.goBack(),
      expected: [{ type: 'pageview', nav: 'spa', url: server.url('/shop/checkout') }],
    });
  });

  test('"on" goals: a click in a widget rendered later, and a form submit that converts a macro goal', async () => {
    serveShop();
    await open('/shop/');
    await page.waitForSelector('#open-reviews');
    await page.fill('#email', 'typed-secret@example.com');
    await expectHits(server.collector, {
      action: async () => {
        await page.click('#open-reviews');
        await page.click('#subscribe');
      },
      expected: [
        { type: 'event', event: { action: 'read_reviews' } },
        { type: 'goal', goal: { id: 'read_reviews', kind: 'event', role: 'micro', supports: ['purchase'] } },
        { type: 'event', event: { action: 'newsletter' } },
        { type: 'goal', goal: { id: 'newsletter', kind: 'event', role: 'macro', assists: [] } },
      ],
    });
    expect(JSON.stringify(server.collector.requests.map((r) => r.body))).not.toContain('typed-secret');
  });

  test('commands after load: track, pageview, goal by hand, flush', async () => {
    serveShop();
    await open('/shop/');
    await page.waitForFunction(() => (window as unknown as { goalpost: { loaded?: boolean } }).goalpost.loaded === true);
    await expectHits(server.collector, {
      action: () =>
        page.evaluate(() => {
          const gp = (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost;
          gp('track', 'video_play', { category: 'media', label: 'intro', seconds: 30 });
          gp('pageview', 'virtual/step-2');
          gp('goal', 'purchase', 86.4);
          gp('goal', 'no_such_goal');
          gp('flush');
        }),
      expected: [
        { type: 'event', event: { action: 'video_play', category: 'media', label: 'intro', props: { seconds: 30 } } },
        { type: 'pageview', nav: 'spa', url: server.url('/shop/virtual/step-2') },
        { type: 'goal', goal: { id: 'purchase', value: 86.4, role: 'macro' } },
      ],
    });
    expect(consoleOf(page, 'warn').map((m) => m.text).join('\n')).toContain('goal("no_such_goal"): no goal with this id is declared');
  });
});

describe('the script tag', () => {
  test('calls queued on the stub before load run in order once it has', async () => {
    await open(fixture('stub-queue.html'));
    const [pv, first, second, signup] = await expectHits(server.collector, {
      expected: [
        { type: 'pageview' },
        { type: 'event', event: { action: 'first', props: { step: 1 } } },
        { type: 'event', event: { action: 'second', props: { step: 2 } } },
        { type: 'goal', goal: { id: 'signup', value: 9 } },
      ],
    });
    expect([pv.seq, first.seq, second.seq, signup.seq]).toEqual([1, 2, 3, 4]);
  });

  test('window.goalpostConfig comes before the JSON config', async () => {
    await open(fixture('source-window.html'));
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    expect(server.collector.requests.map((r) => [r.path, (r.json as { site?: string }).site])).toEqual([['/collect/window', 'from-window']]);
  });

  test('an init call configures it; calls before init wait for it; a second init is ignored with a warning', async () => {
    await open(fixture('source-init.html'));
    await expectHits(server.collector, { expected: [{ type: 'pageview' }, { type: 'event', event: { action: 'before-init' } }] });
    expect(new Set(server.collector.requests.map((r) => r.path))).toEqual(new Set(['/collect/init']));
    expect(consoleOf(page, 'warn').map((m) => m.text).join('\n')).toMatch(/already started/);
  });

  test('data-endpoint, data-site and data-debug on the script tag override the config', async () => {
    await open(fixture('source-attrs.html'));
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    expect(server.collector.requests.map((r) => [r.path, (r.json as { site?: string }).site])).toEqual([['/collect/attrs', 'from-attrs']]);
    expect(consoleOf(page, 'log').some((m) => m.text.includes('[goalpost] pageview'))).toBe(true);
  });

  test('a script tag with data-endpoint and no other config tracks page views', async () => {
    await open(fixture('source-tag-only.html'));
    await page.evaluate(() => (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost('flush'));
    await expectHits(server.collector, { expected: [{ type: 'pageview' }], timeoutMs: 8000 });
    expect(server.collector.requests[0].path).toBe('/collect/tag');
  });

  test('screen: mobile under 768 px of viewport, tablet under 1024, desktop from there', async () => {
    const seen: [number, unknown][] = [];
    for (const width of [767, 768, 1023, 1024]) {
      page = await browser.newPage();
      await page.setViewportSize({ width, height: 700 });
      await page.goto(server.url(fixture('source-tag-only.html')));
      await page.waitForFunction(() => (window as unknown as { goalpost?: { loaded?: boolean } }).goalpost?.loaded === true);
      await page.evaluate(() => (window as unknown as { goalpost: (...a: unknown[]) => void }).goalpost('flush'));
      const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview' }], timeoutMs: 8000 });
      seen.push([width, (pv as { screen?: unknown }).screen]);
      await page.close();
      server.collector.reset();
    }
    expect(seen).toEqual([[767, 'mobile'], [768, 'tablet'], [1023, 'tablet'], [1024, 'desktop']]);
  });

  test('an invalid config: one console.error naming every problem, nothing sent, the page runs on', async () => {
    await open(fixture('invalid.html'));
    await page.waitForFunction(() => (window as unknown as { pageRanOn?: boolean }).pageRanOn === true);
    const errors = await waitFor(() => {
      const e = consoleOf(page, 'error');
      if (!e.length) throw new Error('no console.error yet');
      return e;
    });
    expect(errors).toHaveLength(1);
    expect(errors[0].text).toBe([
      '[goalpost] invalid config, goalpost is not running:',
      '  - goals[1].supports: unknown macro goal "purchse" (known: purchase, bad, odd)',
      '  - goals[2].url.regex: not a valid regular expression: "("',
      '  - goals[3].kind: unknown goal kind "pageviews" (use destination, duration, pagesPerSession or event)',
    ].join('\n'));
    await page.waitForTimeout(1200);
    expect(server.collector.requests).toHaveLength(0);
  });
});

describe('session', () => {
  test('tabs of one origin share the client and the session', async () => {
    serveShop();
    await open('/shop/');
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    const tab = await browser.newPage();
    try {
      await tab.goto(server.url('/shop/cart'));
      const [a, b] = await expectHits(server.collector, {
        expected: [{ type: 'pageview', url: server.url('/shop/') }, { type: 'pageview', url: server.url('/shop/cart') }],
      });
      expect(b.cid).toBe(a.cid);
      expect(b.sid).toBe(a.sid);
      expect(b.pid).not.toBe(a.pid);
      expect(b.seq).toBeGreaterThan(a.seq);
      expectNoPageErrors(tab);
    } finally {
      await tab.close();
    }
  });

  test('where localStorage is blocked, goalpost works on in memory', async () => {
    serveShop();
    page = await browser.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    await page.goto(server.url('/shop/'));
    const [pv, ev, goal] = await expectHits(server.collector, {
      action: () => page.click('#add'),
      expected: [{ type: 'pageview' }, { type: 'event', event: { action: 'add_to_cart' } }, { type: 'goal', goal: { id: 'add_to_cart' } }],
    });
    expect(new Set([pv.sid, ev.sid, goal.sid]).size).toBe(1);
    expect([pv.seq, ev.seq, goal.seq]).toEqual([1, 2, 3]);
  });
});
