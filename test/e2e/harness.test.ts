// Tests of the browser-test harness itself, with a stand-in page
// (fixtures/harness.js) instead of goalpost: if these fail, no other
// browser test can be trusted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './support/server';
import { consoleOf, expectNoPageErrors, launchBrowser, pageErrorsOf, setFocus, setVisibility, watchBfcache, type TestBrowser } from './support/browser';
import { expectHits, matches, waitFor } from './support/expectHits';

const fixture = '/test/e2e/fixtures/harness.html';

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  await page?.close();
  server.reset();
});

/** What fixtures/harness.js puts on window (evaluate() callbacks run in the page: no closures over test code). */
interface Harness {
  sendByFetch(action: string): Promise<number | 'error'>;
  sendByBeacon(action: string): boolean;
  offlineEvents: number;
  inline?: number;
}
const sendByFetch = (tab: Page, action: string) => tab.evaluate((a) => (window as unknown as Harness).sendByFetch(a), action);

async function open(path = fixture): Promise<Page> {
  page = await browser.newPage();
  await page.goto(server.url(path));
  return page;
}

describe('static server', () => {
  it('serves repo files with their content type and no caching', async () => {
    const res = await fetch(server.url('/test/e2e/fixtures/harness.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('sendBeacon');
  });

  it('answers 404 for missing files and for paths out of the root', async () => {
    expect((await fetch(server.url('/nope.html'))).status).toBe(404);
    // fetch would normalise a literal ../ away; the encoded form reaches the server.
    expect((await fetch(server.url('/test/..%2f..%2f..%2fetc/passwd'))).status).toBe(404);
  });

  it('routes a generated page, and static files with extra headers', async () => {
    server.route('/generated', (req) => ({ body: `<p>hello ${req.url.searchParams.get('who')}</p>`, headers: { 'X-Test': '1' } }));
    const res = await fetch(server.url('/generated?who=you'));
    expect(res.headers.get('x-test')).toBe('1');
    expect(await res.text()).toBe('<p>hello you</p>');

    const remove = server.allowBfcache(fixture);
    expect((await fetch(server.url(fixture))).headers.get('cache-control')).toBe('no-cache');
    remove();
    expect((await fetch(server.url(fixture))).headers.get('cache-control')).toBe('no-store');
  });
});

describe('collector', () => {
  it('records the page view of a load, then a fetch and a beacon from a click', async () => {
    await open();
    await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });

    const [fetched, beaconed] = await expectHits(server.collector, {
      action: () => page.click('#send'),
      expected: [
        { type: 'event', event: { action: 'fetch-click' } },
        { type: 'event', event: { action: 'beacon-click' } },
      ],
      refuted: [{ type: 'pageview' }],
    });
    expect(fetched.url).toBe(server.url(fixture));
    expect(beaconed.requestIndex).not.toBe(fetched.requestIndex);

    const posts = server.collector.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    for (const r of posts) {
      expect(r).toMatchObject({ path: '/collect', status: 204, schemaError: null });
      expect(r.headers['content-type']).toBe('text/plain;charset=UTF-8');
      expect(r.receivedAt).toBeGreaterThan(Date.now() - 30_000);
    }
    expect(server.collector.requests.some((r) => r.method === 'OPTIONS')).toBe(false);
    expect(server.collector.payloads()).toHaveLength(3);
    expectNoPageErrors(page);
  });

  it('failNext answers with the given status, records it, and keeps those hits out of hits()', async () => {
    server.collector.failNext(1, 503, { 'Retry-After': '1' });
    await open();
    await waitFor(() => server.collector.requests.length === 1);
    expect(server.collector.requests[0].status).toBe(503);
    expect(server.collector.hits()).toEqual([]);

    expect(await sendByFetch(page, 'after')).toBe(204);
    await expectHits(server.collector, { expected: [{ event: { action: 'after' } }], refuted: [{ type: 'pageview' }] });
  });

  it('setResponder controls the answer, delays it, or never answers', async () => {
    server.collector.setResponder((req) => (req.json as { hits: { event?: { action: string } }[] }).hits[0].event?.action === 'hang' ? 'hang' : { status: 202, delayMs: 200 });
    await open();
    const status = await sendByFetch(page, 'slow');
    expect(status).toBe(202);
    const slow = server.collector.requests.find((r) => r.status === 202 && r.body.includes('slow'))!;
    expect(slow).toBeDefined();

    sendByFetch(page, 'hang').catch(() => {}); // rejects when the page closes
    await waitFor(() => server.collector.requests.some((r) => r.body.includes('"hang"')));
    const hung = server.collector.requests.find((r) => r.body.includes('"hang"'))!;
    expect(hung.status).toBeNull();
    expect(server.collector.hitsWhere((h) => h.type === 'event' && h.event.action === 'hang')).toEqual([]);
    // afterAll's server.close() must still finish with this request open.
  });

  it('reset() forgets requests, pending failures and the responder', async () => {
    server.collector.failNext(5);
    server.collector.setResponder(() => ({ status: 500 }));
    server.collector.reset();
    await open();
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    expect(server.collector.requests.map((r) => r.status)).toEqual([204]);
  });

  it('accepts posts from another origin, and answers a preflight', async () => {
    const other = await startServer();
    try {
      await open(`${fixture}?endpoint=${encodeURIComponent(other.url('/collect/hits'))}`);
      await expectHits(other.collector, {
        action: () => page.click('#send'),
        expected: [{ event: { action: 'fetch-click' } }, { event: { action: 'beacon-click' } }],
      });
      expect(other.collector.requests[0].headers.origin).toBe(server.origin);
      expect(other.collector.requests.every((r) => r.path === '/collect/hits')).toBe(true);
      expect(server.collector.requests).toEqual([]);

      // A JSON content type is not CORS-safelisted: the browser asks first.
      const status = await page.evaluate(
        (url) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status),
        other.url('/collect'),
      );
      expect(status).toBe(204);
      expect(other.collector.requests.map((r) => r.method)).toContain('OPTIONS');
    } finally {
      await other.close();
    }
  });
});

describe('expectHits', () => {
  it('throws when a refuted hit arrives, showing what was received', async () => {
    await open();
    const error = await expectHits(server.collector, {
      expected: [{ type: 'pageview' }],
      refuted: [{ type: 'pageview', nav: 'navigate' }],
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/refuted hit received/);
    expect((error as Error).message).toContain('"type":"pageview"');
    expect((error as Error).message).toContain('#0 POST /collect 204');
  });

  it('throws when an expected hit does not arrive, listing the missing matcher and the received hits', async () => {
    await open();
    const error = await expectHits(server.collector, {
      expected: [{ type: 'pageview' }, { type: 'goal', goal: { id: 'never' } }],
      timeoutMs: 500,
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/1 of 2 expected hit\(s\) not received within 500 ms/);
    expect((error as Error).message).toContain('{"type":"goal","goal":{"id":"never"}}');
    expect((error as Error).message).toContain(`"url":"${fixture}"`);
  });

  it('needs a hit per matcher, and counts only what arrives after the action', async () => {
    await open();
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    // The loose matcher first must not take the only hit the strict one can use.
    await expectHits(server.collector, {
      action: () => Promise.all([sendByFetch(page, 'a'), sendByFetch(page, 'b')]),
      expected: [{ type: 'event' }, { event: { action: 'a' } }],
      refuted: [{ type: 'pageview' }],
    });
    await expect(
      expectHits(server.collector, { action: () => sendByFetch(page, 'c'), expected: [{ type: 'event' }, { type: 'event' }], timeoutMs: 300 }),
    ).rejects.toThrow(/1 of 2 expected/);
  });

  it('fails on a payload that is not valid v1, unless told not to check', async () => {
    await open();
    await page.evaluate(() => fetch('/collect', { method: 'POST', body: JSON.stringify({ v: 2, hits: [] }) }));
    await expect(expectHits(server.collector, { settleMs: 0 })).rejects.toThrow(/invalid payload.*#\d+: /s);
    await expectHits(server.collector, { settleMs: 0, validate: false });
  });

  it('matches deep subsets, exact arrays, absent keys and asymmetric matchers', () => {
    const hit = { type: 'goal', goal: { id: 'p', supports: ['a', 'b'], value: 40 }, ref: undefined, n: 0 };
    expect(matches(hit, { goal: { id: 'p' } })).toBe(true);
    expect(matches(hit, { goal: { supports: ['a'] } })).toBe(false);
    expect(matches(hit, { goal: { supports: ['b', 'a'] } })).toBe(false);
    expect(matches(hit, { goal: { supports: expect.arrayContaining(['b']) } })).toBe(true);
    expect(matches(hit, { goal: { value: expect.any(Number) } })).toBe(true);
    expect(matches(hit, { ref: undefined })).toBe(true);
    expect(matches(hit, { goal: { currency: undefined } })).toBe(true);
    expect(matches(hit, { goal: { value: undefined } })).toBe(false);
    expect(matches(hit, { n: false })).toBe(false);
  });

  it('waitFor returns the value, or rethrows the last failure on timeout', async () => {
    let n = 0;
    expect(await waitFor(() => ++n >= 3 && n, 1000, 10)).toBe(3);
    await expect(waitFor(() => expect(1).toBe(2), 100, 10)).rejects.toThrow(/expected 1 to be 2/);
    await expect(waitFor(() => false, 100, 10)).rejects.toThrow(/not met within 100 ms/);
  });
});

describe('browser', () => {
  it('collects console messages and uncaught errors per page', async () => {
    await open();
    await page.evaluate(() => {
      console.warn('careful');
      console.error('bad');
      setTimeout(() => {
        throw new Error('boom');
      });
    });
    await waitFor(() => pageErrorsOf(page).length === 1);
    expect(pageErrorsOf(page)[0].message).toBe('boom');
    expect(() => expectNoPageErrors(page)).toThrow(/boom/);
    expect(consoleOf(page, 'warn').map((m) => m.text)).toEqual(['careful']);
    expect(consoleOf(page, 'error').map((m) => m.text)).toEqual(['bad']);
  });

  it('reports a Content-Security-Policy violation of a routed page in the console', async () => {
    server.route('/csp.html', {
      body: `<!doctype html><button id="send"></button><script>window.inline = 1</script><script src="${fixture.replace('.html', '.js')}"></script>`,
      headers: { 'Content-Security-Policy': "script-src 'self'" },
    });
    await open('/csp.html');
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] }); // the external script ran
    expect(await page.evaluate(() => (window as unknown as Harness).inline)).toBeUndefined();
    expect(consoleOf(page, 'error').some((m) => m.text.includes('Content Security Policy'))).toBe(true);
  });

  it('tabs of one browser share storage', async () => {
    await open();
    await page.evaluate(() => localStorage.setItem('k', 'v'));
    const tab = await browser.newPage();
    try {
      await tab.goto(server.url(fixture));
      expect(await tab.evaluate(() => localStorage.getItem('k'))).toBe('v');
    } finally {
      await tab.close();
    }
  });

  it('setOffline fails fetches and beacons, fires offline, and recovers', async () => {
    await open();
    await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
    await browser.setOffline(true);
    try {
      await waitFor(() => page.evaluate(() => (window as unknown as Harness).offlineEvents === 1));
      expect(await sendByFetch(page, 'offline')).toBe('error');
      await page.evaluate(() => (window as unknown as Harness).sendByBeacon('offline-beacon'));
    } finally {
      await browser.setOffline(false);
    }
    expect(await sendByFetch(page, 'online')).toBe(204);
    await expectHits(server.collector, {
      expected: [{ event: { action: 'online' } }],
      refuted: [{ event: { action: 'offline' } }, { event: { action: 'offline-beacon' } }],
    });
  });

  it('delivers a beacon sent while the page closes', async () => {
    await open(`${fixture}?beaconOnHide`);
    await expectHits(server.collector, {
      action: () => page.close(),
      expected: [{ event: { action: 'hidden' } }],
    });
  });

  it('setVisibility and setFocus stub a hidden, blurred tab', async () => {
    await open(`${fixture}?beaconOnHide`);
    await expectHits(server.collector, {
      action: async () => {
        await setVisibility(page, 'hidden');
        await setFocus(page, false);
      },
      expected: [{ event: { action: 'hidden' } }, { event: { action: 'blur' } }],
    });
    expect(await page.evaluate(() => [document.visibilityState, document.hidden, document.hasFocus()])).toEqual(['hidden', true, false]);
    await setVisibility(page, 'visible');
    await setFocus(page, true);
    expect(await page.evaluate(() => [document.visibilityState, document.hidden, document.hasFocus()])).toEqual(['visible', false, true]);
  });

  async function goBackAndForth(tab: Page): Promise<void> {
    await tab.goto(server.url(fixture));
    await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    await tab.click('#next');
    await tab.waitForURL(/page=2/);
  }

  it('restores an allowBfcache page from the back/forward cache', async () => {
    server.allowBfcache(fixture);
    page = await browser.newPage();
    const notRestoredReasons = await watchBfcache(page);
    await goBackAndForth(page);
    await expectHits(server.collector, {
      // A restore fires no load event: wait for the commit only.
      action: () => page.goBack({ waitUntil: 'commit' }),
      expected: [{ type: 'pageview', nav: 'back-forward-cache', url: server.url(fixture) }],
    });
    expect(notRestoredReasons()).toEqual([]);
  });

  it('launchBrowser({ bfcache: false }) makes going back a plain navigation', async () => {
    const noCache = await launchBrowser({ bfcache: false });
    try {
      server.allowBfcache(fixture);
      const tab = await noCache.newPage();
      const notRestoredReasons = await watchBfcache(tab);
      await goBackAndForth(tab);
      await expectHits(server.collector, {
        action: () => tab.goBack(),
        expected: [{ type: 'pageview', nav: 'navigate', url: server.url(fixture) }],
        refuted: [{ nav: 'back-forward-cache' }],
      });
      expect(notRestoredReasons()).toContain('BackForwardCacheDisabledByCommandLine');
    } finally {
      await noCache.close();
    }
  });
});
