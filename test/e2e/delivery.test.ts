/**
 * SPEC section 6 in Chromium: what reaches the collector when it answers
 * 204, fails, refuses, throttles, hangs or is offline; when pages navigate,
 * close, crash or sit in two tabs; when IndexedDB is broken in each way a
 * real browser breaks it. Every test checks the collector's log by hit id:
 * each hit delivered, none in two successful requests, no page errors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoPageErrors, launchBrowser, setVisibility, watchBfcache, type TestBrowser } from './support/browser';
import { waitFor } from './support/expectHits';
import { sleep, startServer, type CollectedRequest, type TestServer } from './support/server';

const FIXTURE = '/test/e2e/fixtures/delivery.html';
let server: TestServer;
let browser: TestBrowser;
const pages: Page[] = [];
/** The fault table of the issue: one row per scenario, printed at the end. */
const table: { scenario: string; sent: number; delivered: number; duplicated: number; dropped: number }[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  if (table.length) console.log(['scenario | sent | delivered | duplicated | dropped', ...table.map((r) => `${r.scenario} | ${r.sent} | ${r.delivered} | ${r.duplicated} | ${r.dropped}`)].join('\n'));
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  for (const page of pages.splice(0)) {
    if (page.isClosed()) continue;
    expectNoPageErrors(page);
    await page.close();
  }
  await browser.setOffline(false);
  await browser.context.clearCookies();
  server.reset();
});

/** A new tab; the first one of a test also wipes the origin's storage. */
async function newTab(): Promise<Page> {
  const page = await browser.newPage();
  pages.push(page);
  return page;
}

async function wipe(): Promise<void> {
  const page = await newTab();
  await page.goto(server.url('/test/e2e/fixtures/harness.html'));
  await page.evaluate(async () => {
    localStorage.clear();
    for (const db of await indexedDB.databases()) if (db.name) await new Promise((done) => { const r = indexedDB.deleteDatabase(db.name!); r.onsuccess = r.onerror = r.onblocked = done; });
  });
  await page.close();
  server.collector.reset();
}

async function open(query = '', page?: Page): Promise<Page> {
  page ??= await newTab();
  await page.goto(server.url(`${FIXTURE}?${query}`));
  await page.waitForFunction(() => (window as unknown as { goalpost?: { loaded?: boolean } }).goalpost?.loaded === true);
  return page;
}

const track = (page: Page, n: number, prefix: string, pad = 0) =>
  page.evaluate(([n, prefix, pad]) => (window as unknown as { trackMany(n: number, p: string, pad: number): void }).trackMany(n, prefix, pad), [n, prefix, pad] as const);
const flush = (page: Page) => page.evaluate(() => (window as unknown as { goalpost(c: string): void }).goalpost('flush'));
const labels = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Per label: how many 2xx requests carried it (by id), and whether one label got two ids. */
function received(wanted: string[]) {
  const want = new Set(wanted);
  const ids = new Map<string, Set<string>>();
  const perId = new Map<string, number>();
  for (const h of server.collector.hits()) {
    if (h.type !== 'event' || !want.has(h.event.label!)) continue;
    perId.set(h.id, (perId.get(h.id) ?? 0) + 1);
    const s = ids.get(h.event.label!) ?? new Set();
    s.add(h.id);
    ids.set(h.event.label!, s);
  }
  const duplicated = [...perId.values()].filter((c) => c > 1).length;
  return { delivered: ids.size, duplicated, oneIdPerLabel: [...ids.values()].every((s) => s.size === 1) };
}

async function expectDelivered(scenario: string, wanted: string[], { timeoutMs = 15_000, allowDuplicates = false, dropped = 0 } = {}) {
  await waitFor(() => received(wanted).delivered >= wanted.length - dropped, timeoutMs, 100).catch(() => undefined);
  await sleep(300);
  const r = received(wanted);
  table.push({ scenario, sent: wanted.length, delivered: r.delivered, duplicated: r.duplicated, dropped: wanted.length - r.delivered });
  expect(r.delivered, `${scenario}: delivered`).toBe(wanted.length - dropped);
  expect(r.oneIdPerLabel).toBe(true);
  if (r.duplicated && process.env.DEBUG_DELIVERY) console.log(posts().map((q) => [q.index, q.headers['sec-fetch-mode'], q.status, hitCount(q), q.headers.referer, (q.json as { hits?: { event?: { label?: string } }[] })?.hits?.map((h) => h.event?.label).filter(Boolean).slice(0, 3).join(',')].join(' ')).join('\n'));
  if (!allowDuplicates) expect(r.duplicated, `${scenario}: ids in two successful requests`).toBe(0);
  const bad = server.collector.requests.filter((q) => q.method === 'POST' && q.schemaError);
  expect(bad.map((q) => q.schemaError)).toEqual([]);
  return r;
}

const posts = (): CollectedRequest[] => server.collector.requests.filter((r) => r.method === 'POST');
const hitCount = (r: CollectedRequest) => ((r.json as { hits?: unknown[] })?.hits ?? []).length;

describe('collector answers', () => {
  test('204: every hit once, text/plain without preflight, what waits in as few bodies as fit, sentAt per request', async () => {
    await wipe();
    const page = await open('maxHits=10&flush=200');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    await track(page, 25, 'ok');
    await expectDelivered('204', labels(25, 'ok'));
    await track(page, 300, 'big', 300);
    await expectDelivered('204, bodies split at 60 KiB', labels(300, 'big'));
    const reqs = posts();
    expect(server.collector.requests.some((r) => r.method === 'OPTIONS')).toBe(false);
    expect(reqs.every((r) => r.headers['content-type'] === 'text/plain;charset=UTF-8')).toBe(true);
    // 25 hits: one body. 300 hits of ~700 bytes: split below 60 KiB, about 4 bodies.
    expect(reqs.filter((r) => r.body.includes('"ok-')).length).toBe(1);
    expect(reqs.filter((r) => r.body.includes('"big-')).length).toBeLessThanOrEqual(5);
    expect(maxBodyBytes()).toBeLessThanOrEqual(60 * 1024);
    expect(new Set(reqs.map((r) => (r.json as { sentAt: number }).sentAt)).size).toBe(reqs.length);
  });

  test('500 three times, then ok: retried with growing backoff, the same ids and ts, delivered once', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=100');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    server.collector.failNext(3, 500);
    await track(page, 5, 'retry');
    await expectDelivered('500 x3 then 204', labels(5, 'retry'));
    const reqs = posts().filter((r) => JSON.stringify(r.json).includes('retry-'));
    expect(reqs.slice(0, 3).map((r) => r.status)).toEqual([500, 500, 500]);
    expect(reqs.slice(3).every((r) => r.status === 204)).toBe(true);
    const gaps = reqs.slice(1, 4).map((r, i) => r.receivedAt - reqs[i].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[2]).toBeGreaterThanOrEqual(1900);
    // The same hits, ids and ts unchanged, on every attempt.
    const idsOf = (rs: CollectedRequest[]) => JSON.stringify(rs.flatMap((r) => (r.json as { hits: { id: string; ts: number }[] }).hits.map((h) => [h.id, h.ts])).sort());
    expect(new Set(reqs.slice(0, 3).map((r) => idsOf([r]))).size).toBe(1);
    expect(idsOf(reqs.slice(3))).toBe(idsOf([reqs[0]]));
  });

  test('400: that batch is dropped, later batches still go out', async () => {
    await wipe();
    const page = await open('maxHits=5&flush=100');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    server.collector.failNext(1, 400);
    await track(page, 5, 'bad');
    await waitFor(() => posts().some((r) => r.status === 400));
    await track(page, 5, 'good');
    await expectDelivered('400 on the first batch', [...labels(5, 'bad'), ...labels(5, 'good')], { dropped: 5 });
    expect(received(labels(5, 'good')).delivered).toBe(5);
    await sleep(1500);
    expect(posts().filter((r) => r.status === 400)).toHaveLength(1);
  });

  test('413: the batch is split; a single hit too large is dropped; the others arrive', async () => {
    await wipe();
    // The collector refuses bodies over 3 hits, and any body with the hit labelled huge-3.
    server.collector.setResponder((r) => ({ status: hitCount(r) > 3 || r.body.includes('"huge-3"') ? 413 : 204 }));
    const page = await open('maxHits=10&flush=100');
    await track(page, 10, 'huge');
    await expectDelivered('413 split, one hit refused', labels(10, 'huge'), { dropped: 1 });
    expect(received(['huge-3']).delivered).toBe(0);
    expect(posts().filter((r) => r.status === 413 && hitCount(r) === 1)).toHaveLength(1);
  });

  test('429 with Retry-After: 2: the whole queue waits 2 s, flush does not cut it short', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=100');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    server.collector.failNext(1, 429, { 'Retry-After': '2' });
    await track(page, 3, 'slow');
    await waitFor(() => posts().some((r) => r.status === 429));
    await page.evaluate(() => (window as unknown as { goalpost(c: string): void }).goalpost('flush'));
    await track(page, 3, 'slow2');
    await expectDelivered('429 Retry-After 2', [...labels(3, 'slow'), ...labels(3, 'slow2')]);
    const reqs = posts();
    const i = reqs.findIndex((r) => r.status === 429);
    expect(reqs[i + 1].receivedAt - reqs[i].receivedAt).toBeGreaterThanOrEqual(1900);
  });

  test('a collector that hangs: aborted after ~10 s, retried, delivered', async () => {
    await wipe();
    let first = true;
    server.collector.setResponder(() => (first ? ((first = false), 'hang') : { status: 204 }));
    const page = await open('maxHits=50&flush=100');
    await track(page, 4, 'hang');
    await expectDelivered('hanging collector', labels(4, 'hang'), { timeoutMs: 20_000, allowDuplicates: false });
    const reqs = posts();
    expect(reqs[1].receivedAt - reqs[0].receivedAt).toBeGreaterThanOrEqual(9_500);
  }, 40_000);

  test('offline: nothing is tried, not even a failing fetch; back online, everything goes at once', async () => {
    await wipe();
    const page = await newTab();
    await page.addInitScript(() => {
      const w = window as unknown as { fetches: number };
      w.fetches = 0;
      const f = window.fetch;
      window.fetch = (...args: Parameters<typeof f>) => (w.fetches++, f(...args));
    });
    await open('maxHits=5&flush=100', page);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    const before = posts().length;
    await browser.setOffline(true);
    const tried = await page.evaluate(() => (window as unknown as { fetches: number }).fetches);
    await track(page, 8, 'off');
    await sleep(1500);
    await flush(page);
    await sleep(300);
    expect(posts().length).toBe(before);
    expect(await page.evaluate(() => (window as unknown as { fetches: number }).fetches)).toBe(tried);
    await browser.setOffline(false);
    const t = Date.now();
    await expectDelivered('offline then online', labels(8, 'off'));
    expect(Date.now() - t).toBeLessThan(3000);
  });
});

/** Requests sent by sendBeacon (no-cors) rather than fetch (cors). */
const beaconed = () => posts().filter((r) => r.headers['sec-fetch-mode'] === 'no-cors');
const maxBodyBytes = () => Math.max(0, ...posts().map((r) => Buffer.byteLength(r.body)));

describe('pages going away', () => {
  test('no unload listener is added (pages keep their back/forward cache)', async () => {
    await wipe();
    const page = await newTab();
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { listened: string[] }).listened = []);
      const add = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) {
        seen.push(args[0]);
        return add.apply(this, args);
      };
    });
    await open('flush=200', page);
    const listened = await page.evaluate(() => (window as unknown as { listened: string[] }).listened);
    expect(listened).toEqual(expect.arrayContaining(['pagehide', 'visibilitychange', 'online']));
    expect(listened).not.toContain('unload');
    expect(listened).not.toContain('beforeunload');
    expect(await page.evaluate(() => window.onunload)).toBeNull();
  });

  test('20 hits then an immediate navigation: all arrive, by beacon, at once', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=10000');
    await page.evaluate(() => {
      (window as unknown as { trackMany(n: number, p: string): void }).trackMany(20, 'nav');
      location.href = '/test/e2e/fixtures/delivery.html?page=2&flush=10000';
    });
    const t = Date.now();
    await expectDelivered('20 hits then navigation', labels(20, 'nav'), { timeoutMs: 5000 });
    expect(Date.now() - t).toBeLessThan(4000);
    expect(beaconed().length).toBeGreaterThan(0);
  });

  test('hidden (tab switch): a beacon sends what waits; visible again, the timer path goes on', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=60000');
    await track(page, 6, 'hid');
    await setVisibility(page, 'hidden');
    await expectDelivered('page hidden', labels(6, 'hid'), { timeoutMs: 3000 });
    expect(beaconed().length).toBe(1);
    await setVisibility(page, 'visible');
    await track(page, 3, 'vis');
    await page.evaluate(() => (window as unknown as { goalpost(c: string): void }).goalpost('flush'));
    await expectDelivered('visible again', labels(3, 'vis'), { timeoutMs: 3000 });
  });

  test('visible again after a hide: a retry goes at once instead of waiting out the backoff', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=100');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    server.collector.failNext(4, 500);
    await track(page, 5, 'back');
    // Four failures: the next retry is 4-8 s away.
    await waitFor(() => posts().filter((r) => r.status === 500).length >= 4, 20_000, 100);
    await setVisibility(page, 'hidden');
    await sleep(200);
    // No beacon: the collector was answering 500.
    expect(beaconed()).toHaveLength(0);
    const t = Date.now();
    await setVisibility(page, 'visible');
    await expectDelivered('visible again during a backoff', labels(5, 'back'), { timeoutMs: 3000 });
    expect(Date.now() - t).toBeLessThan(2500);
  }, 40_000);

  test('closing the page: a beacon takes what waits', async () => {
    await wipe();
    const page = await open('maxHits=50&flush=60000');
    await track(page, 30, 'close');
    await page.close({ runBeforeUnload: true });
    await expectDelivered('page closed, collector up', labels(30, 'close'), { timeoutMs: 5000 });
  });

  test('closing the page while the collector is down: no beacon is wasted; a new tab sends the rest', async () => {
    await wipe();
    server.collector.setResponder(() => ({ status: 503 }));
    const page = await open('maxHits=50&flush=100');
    await track(page, 30, 'down');
    await waitFor(() => posts().filter((r) => r.status === 503).length >= 2, 5000);
    await page.close({ runBeforeUnload: true });
    await sleep(300);
    expect(beaconed()).toHaveLength(0);
    server.collector.setResponder(null);
    // The new tab honours the shared backoff; flush (as a page would after its collector came back) skips it.
    const next = await open('maxHits=50&flush=100');
    await flush(next);
    await expectDelivered('page closed while collector down, new tab', labels(30, 'down'), { timeoutMs: 20_000 });
  });

  test('a request hangs, more hits come, the renderer crashes (no pagehide): they were in IndexedDB within the batch interval; a new tab sends them', async () => {
    await wipe();
    let hang = true;
    server.collector.setResponder(() => (hang ? 'hang' : { status: 204 }));
    const page = await open('maxHits=50&flush=300');
    await track(page, 2, 'before');
    await waitFor(() => posts().some((r) => r.body.includes('"before-')), 5000);
    // The round waits on that request, so no send writes these: only the write that follows hits does.
    await track(page, 6, 'crash');
    await sleep(1000);
    const cdp = await browser.context.newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined);
    await sleep(300);
    pages.splice(pages.indexOf(page), 1);
    expect(posts().some((r) => r.body.includes('"crash-'))).toBe(false);
    hang = false;
    await open('maxHits=50&flush=100');
    // After the dead tab's lease (request timeout + 5 s).
    await expectDelivered('request hanging, crashed, new tab', [...labels(2, 'before'), ...labels(6, 'crash')], { timeoutMs: 30_000 });
  }, 60_000);

  test('a reload after the collector was down sends what the earlier page left, once', async () => {
    await wipe();
    server.collector.setResponder(() => ({ status: 500 }));
    const page = await open('maxHits=10&flush=100');
    await track(page, 40, 'reload');
    await waitFor(() => posts().filter((r) => r.status === 500).length >= 2, 5000);
    server.collector.setResponder(null);
    // The shared pause is at most a few seconds here; the reloaded page waits it out, then sends.
    await page.reload();
    await expectDelivered('reload after collector down', labels(40, 'reload'), { timeoutMs: 20_000 });
  });

  test('IndexedDB writes at pagehide never commit: what the beacon took is not sent again, nothing is lost', async () => {
    await wipe();
    const page = await newTab();
    // Runs before goalpost's own pagehide listener: from then on no transaction can start, as when the page is torn down first.
    await page.addInitScript(() =>
      addEventListener('pagehide', () => {
        IDBDatabase.prototype.transaction = () => {
          throw new DOMException('The database connection is closing.', 'InvalidStateError');
        };
      }),
    );
    await open('maxHits=50&flush=60000', page);
    await track(page, 30, 'torn');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    await page.evaluate(() => (location.href = '/test/e2e/fixtures/delivery.html?page=2&flush=100'));
    await expectDelivered('pagehide writes never commit', labels(30, 'torn'));
    await sleep(1000);
    expect(received(labels(30, 'torn')).duplicated).toBe(0);
  });

  test('no IndexedDB at all, collector down, page navigates: the next page still sends (localStorage carries the queue)', async () => {
    await wipe();
    const page = await newTab();
    await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
    server.collector.setResponder(() => ({ status: 503 }));
    await open('maxHits=50&flush=100', page);
    await track(page, 20, 'mem');
    await waitFor(() => posts().some((r) => r.body.includes('"mem-')), 5000);
    await page.evaluate(() => (location.href = '/test/e2e/fixtures/delivery.html?page=2&flush=100'));
    await page.waitForURL('**page=2**');
    server.collector.setResponder(null);
    await flush(page);
    await expectDelivered('memory only, navigation while collector down', labels(20, 'mem'));
  });

  test('1,000 hits queued when the page goes away: no body over 64 KiB, all arrive (beacons, then the next page)', async () => {
    await wipe();
    const page = await open('maxHits=10&flush=60000');
    await page.evaluate(() => {
      (window as unknown as { trackMany(n: number, p: string, pad: number): void }).trackMany(1000, 'k', 100);
      location.href = '/test/e2e/fixtures/delivery.html?page=2&maxHits=10&flush=100';
    });
    await expectDelivered('1,000 hits then navigation', labels(1000, 'k'), { timeoutMs: 30_000 });
    expect(maxBodyBytes()).toBeLessThan(64 * 1024);
    expect(beaconed().length).toBeGreaterThan(0);
  });

  test('1,000 hits while the page stays: bodies of up to 60 KiB sent back to back, none refused by the keepalive budget', async () => {
    await wipe();
    const page = await open('maxHits=10&flush=60000');
    // Requests the browser refused (a keepalive request over its budget is a TypeError, never on the network).
    await page.evaluate(() => {
      const w = window as unknown as { refused: string[] };
      w.refused = [];
      const f = window.fetch;
      window.fetch = (...args: Parameters<typeof f>) => f(...args).catch((e: Error) => Promise.reject((w.refused.push(String(e)), e)));
    });
    await track(page, 1000, 'b', 100);
    await expectDelivered('1,000 hits, page visible', labels(1000, 'b'), { timeoutMs: 30_000 });
    const bodies = posts().map((r) => Buffer.byteLength(r.body));
    // As few bodies as fit 60 KiB: a keepalive request whose budget was still held would fail and back off.
    expect(await page.evaluate(() => (window as unknown as { refused: string[] }).refused)).toEqual([]);
    expect(bodies.length).toBeLessThanOrEqual(Math.ceil(bodies.reduce((a, b) => a + b, 0) / (60 * 1024)) + 1);
    expect(Math.max(...bodies)).toBeLessThan(64 * 1024);
  });

  test('1,000 hits queued when the page is hidden: beacons within the keepalive budget, the rest by fetch; all arrive', async () => {
    await wipe();
    const page = await open('maxHits=10&flush=60000');
    await track(page, 1000, 'h', 100);
    await setVisibility(page, 'hidden');
    await expectDelivered('1,000 hits then hidden', labels(1000, 'h'), { timeoutMs: 30_000 });
    expect(maxBodyBytes()).toBeLessThan(64 * 1024);
    const beacons = beaconed();
    expect(beacons.length).toBeGreaterThan(0);
    expect(beacons.length).toBeLessThanOrEqual(9);
    expect(beacons.reduce((n, r) => n + Buffer.byteLength(r.body), 0)).toBeLessThanOrEqual(64 * 1024);
  });

  test('back/forward cache: the page is restored (no lock or connection keeps it out), and delivery is re-armed', async () => {
    await wipe();
    server.allowBfcache(FIXTURE);
    const page = await newTab();
    const reasons = await watchBfcache(page);
    await page.addInitScript(() => addEventListener('pageshow', (e) => ((window as unknown as { restored: boolean }).restored = e.persisted)));
    await open('maxHits=50&flush=200', page);
    await track(page, 5, 'before');
    await expectDelivered('before bfcache', labels(5, 'before'));
    await page.click('#next');
    await page.waitForURL('**page=2**');
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { restored?: boolean }).restored !== undefined);
    expect(await page.evaluate(() => (window as unknown as { restored: boolean }).restored), `not restored: ${reasons().join(', ')}`).toBe(true);
    // Re-armed: batching and retries again (a beacon would have taken this batch and lost it to the 500).
    server.collector.failNext(1, 500);
    await track(page, 5, 'after');
    await expectDelivered('after bfcache restore, first attempt 500', labels(5, 'after'));
    expect(posts().filter((r) => r.status === 500 && r.body.includes('"after-'))).toHaveLength(1);
  });
});

describe('bounds', () => {
  test('an earlier page left 5,100 hits: the oldest page views go first, macro goals stay, hits over 7 days old go; dropped is reported', async () => {
    await wipe();
    const seed = await newTab();
    await seed.goto(server.url('/test/e2e/fixtures/harness.html'));
    const dbName = `goalpost:delivery:${server.url('/collect')}`;
    await seed.evaluate(
      ([name, url]) =>
        new Promise<void>((ok) => {
          const r = indexedDB.open(name);
          r.onupgradeneeded = () => r.result.createObjectStore('hits');
          r.onsuccess = () => {
            const now = Date.now();
            const base = (i: number, ts: number) => ({ id: crypto.randomUUID(), ts, cid: 'c', sid: 's', pid: 'p', seq: i + 1, url });
            const hits: object[] = [];
            // 3 hits from 8 days ago, 10 macro goals (the oldest of the rest), 5,087 page views.
            for (let i = 0; i < 3; i++) hits.push({ ...base(i, now - 8 * 86_400_000), type: 'event', event: { action: 'bulk', label: `stale-${i}` } });
            for (let i = 0; i < 10; i++) hits.push({ ...base(i, now - 3_600_000), type: 'goal', goal: { id: `macro-${i}`, kind: 'event', role: 'macro', supports: [] }, speed: {} });
            for (let i = 0; i < 5087; i++) hits.push({ ...base(i, now - 3_000_000 + i), type: 'pageview', nav: 'navigate', screen: 'desktop' });
            const tx = r.result.transaction('hits', 'readwrite');
            for (let i = 0; i < hits.length; i += 50) tx.objectStore('hits').put(JSON.stringify(hits.slice(i, i + 50)), `seed-${i}`);
            tx.oncomplete = () => (r.result.close(), ok());
          };
        }),
      [dbName, server.url(FIXTURE)] as const,
    );
    await seed.close();
    server.collector.reset();
    await open('maxHits=10000&flush=100');
    await waitFor(() => server.collector.hits().length >= 4500, 30_000, 200);
    await sleep(1000);
    const hits = server.collector.hits();
    const dropped = (server.collector.payloads() as { dropped: number }[]).reduce((n, p) => n + p.dropped, 0);
    expect(hits.filter((h) => h.type === 'goal').map((h) => (h as { goal: { id: string } }).goal.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `macro-${i}`).sort());
    expect(hits.filter((h) => h.type === 'event')).toHaveLength(0);
    // Trimmed to 90 % of 5,000 (this page's own view may come after the trim).
    expect(hits.length).toBeGreaterThanOrEqual(4500);
    expect(hits.length).toBeLessThanOrEqual(4501);
    expect(hits.length + dropped).toBe(5101);
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    expect(maxBodyBytes()).toBeLessThan(64 * 1024);
    table.push({ scenario: 'queue over 5,000 (bounds)', sent: 5101, delivered: hits.length, duplicated: 0, dropped });
  });
});

describe('tabs', () => {
  for (const mode of ['Web Locks', 'localStorage lease (no Web Locks)']) {
    test(`three tabs tracking at once against a slow collector, ${mode}: every hit delivered, no id in two successful requests`, async () => {
      await wipe();
      // Slow answers make the tabs' rounds overlap: each would send the others' stored hits without the lock.
      server.collector.setResponder(() => ({ status: 204, delayMs: 40 }));
      const tabs: Page[] = [];
      for (let i = 0; i < 3; i++) {
        const tab = await newTab();
        if (mode !== 'Web Locks') await tab.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
        tabs.push(await open('maxHits=10&flush=100', tab));
      }
      for (let round = 0; round < 6; round++) {
        await Promise.all(tabs.map((t, i) => track(t, 30, `t${i}r${round}`)));
        await sleep(150);
      }
      const wanted = [0, 1, 2, 3, 4, 5].flatMap((r) => [0, 1, 2].flatMap((i) => labels(30, `t${i}r${r}`)));
      await expectDelivered(`three tabs at once, ${mode}`, wanted, { timeoutMs: 30_000 });
    });
  }

  test('a tab that dies mid-send: its batch is taken back after the lease, with the same ids', async () => {
    await wipe();
    let hang = true;
    server.collector.setResponder((r) => (hang && r.body.includes('"dies-') ? 'hang' : { status: 204 }));
    const a = await open('maxHits=50&flush=100');
    await track(a, 10, 'dies');
    await waitFor(() => posts().some((r) => r.body.includes('"dies-')), 5000);
    const sentAt = Date.now();
    const cdp = await browser.context.newCDPSession(a);
    // The renderer dies at once: no pagehide, no answer to this command.
    void cdp.send('Page.crash').catch(() => undefined);
    await sleep(500);
    pages.splice(pages.indexOf(a), 1);
    hang = false;
    await open('maxHits=50&flush=100');
    await expectDelivered('sender crashed mid-send', labels(10, 'dies'), { timeoutMs: 30_000 });
    const retried = posts().filter((r) => r.status === 204 && r.body.includes('"dies-'));
    // Not before the dead tab's lease ran out (request timeout + 5 s).
    expect(retried[0].receivedAt - sentAt).toBeGreaterThanOrEqual(9_000);
  }, 60_000);
});

/**
 * Each sabotage runs before the page's scripts. `dbName` is goalpost's database
 * for the fixture's endpoint and site.
 */
const sabotage: Record<string, (dbName: string) => void> = {
  'indexedDB missing': () => Object.defineProperty(window, 'indexedDB', { get: () => undefined }),
  'indexedDB access throws': () =>
    Object.defineProperty(window, 'indexedDB', {
      get: () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    }),
  'open throws': () => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
  },
  'open fails (error event)': () => {
    IDBFactory.prototype.open = () => {
      const req = new EventTarget() as IDBOpenDBRequest & { error: DOMException };
      setTimeout(() => {
        Object.defineProperty(req, 'error', { value: new DOMException('disk', 'UnknownError') });
        req.onerror?.(new Event('error'));
      }, 10);
      return req;
    };
  },
  'open never answers': () => {
    IDBFactory.prototype.open = () => new EventTarget() as IDBOpenDBRequest;
  },
  'writes abort with QuotaExceededError': () => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      const req = put.apply(this, args);
      const tx = this.transaction;
      Object.defineProperty(tx, 'error', { value: new DOMException('quota', 'QuotaExceededError') });
      tx.abort();
      return req;
    };
  },
  'the connection is closed behind our back': () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<typeof open>) {
      const req = open.apply(this, args);
      req.addEventListener('success', () => req.result.close());
      return req;
    };
  },
  'the browser closes the connection (close event)': () => {
    const open = IDBFactory.prototype.open;
    let first = true;
    IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<typeof open>) {
      const req = open.apply(this, args);
      if (first) {
        first = false;
        req.addEventListener('success', () => setTimeout(() => (req.result.close(), req.result.dispatchEvent(new Event('close'))), 50));
      }
      return req;
    };
  },
  'transactions throw NotFoundError': () => {
    IDBDatabase.prototype.transaction = () => {
      throw new DOMException('No objectStore named hits', 'NotFoundError');
    };
  },
  'our database exists without our object store': (dbName) => {
    const req = indexedDB.open(dbName);
    req.onupgradeneeded = () => req.result.createObjectStore('something-else');
    req.onsuccess = () => req.result.close();
  },
};

describe('IndexedDB broken', () => {
  const dbName = () => `goalpost:delivery:${server.url('/collect')}`;

  for (const [name, script] of Object.entries(sabotage)) {
    test(`${name}: memory fallback, everything delivered, no page error`, async () => {
      await wipe();
      const page = await newTab();
      await page.addInitScript(script, dbName());
      await open('maxHits=10&flush=200', page);
      await track(page, 12, 'idb');
      await sleep(300);
      await track(page, 12, 'idb2');
      await expectDelivered(`IndexedDB: ${name}`, [...labels(12, 'idb'), ...labels(12, 'idb2')], { timeoutMs: 10_000 });
    });
  }

  test('a missing object store is added by an upgrade: the queue is durable again', async () => {
    await wipe();
    const page = await newTab();
    await page.addInitScript(sabotage['our database exists without our object store'], dbName());
    server.collector.setResponder(() => ({ status: 503 }));
    await open('maxHits=10&flush=200', page);
    await track(page, 5, 'store');
    await waitFor(() => posts().some((r) => r.body.includes('"store-')), 5000);
    const stores = await page.evaluate(
      (name) => new Promise<string[]>((ok) => { const r = indexedDB.open(name); r.onsuccess = () => { ok([...r.result.objectStoreNames]); r.result.close(); }; }),
      dbName(),
    );
    expect(stores).toContain('hits');
    await page.close({ runBeforeUnload: true });
    server.collector.setResponder(null);
    await flush(await open('maxHits=10&flush=200'));
    await expectDelivered('missing store, then a new tab', labels(5, 'store'));
  });

  test('corrupted records are skipped and deleted; the good ones beside them are sent', async () => {
    await wipe();
    const seed = await newTab();
    await seed.goto(server.url('/test/e2e/fixtures/harness.html'));
    const url = server.url(FIXTURE);
    await seed.evaluate(
      ([name, url]) =>
        new Promise<void>((ok) => {
          const r = indexedDB.open(name);
          r.onupgradeneeded = () => r.result.createObjectStore('hits');
          r.onsuccess = () => {
            const hit = (label: string) => ({ id: crypto.randomUUID(), type: 'event', ts: Date.now(), cid: 'c', sid: 's', pid: 'p', seq: 1, url, event: { action: 'bulk', label } });
            const tx = r.result.transaction('hits', 'readwrite');
            const os = tx.objectStore('hits');
            os.put(JSON.stringify([hit('old-0'), hit('old-1')]), 'good');
            os.put('{not json', 'broken');
            os.put({ a: 1 }, 'object');
            os.put(JSON.stringify([hit('old-2'), { id: 'x', type: 'nonsense' }, 42]), 'mixed');
            os.put('x', 7);
            tx.oncomplete = () => (r.result.close(), ok());
          };
        }),
      [dbName(), url] as const,
    );
    await seed.close();
    const page = await open('maxHits=10&flush=200');
    await track(page, 3, 'new');
    await expectDelivered('corrupted records beside good ones', [...labels(3, 'old'), ...labels(3, 'new')]);
    const left = await page.evaluate(
      (name) => new Promise<unknown[]>((ok) => { const r = indexedDB.open(name); r.onsuccess = () => { const q = r.result.transaction('hits').objectStore('hits').getAllKeys(); q.onsuccess = () => { ok(q.result); r.result.close(); }; }; }),
      dbName(),
    );
    expect(left).toEqual([]);
  });

  test('another tab deletes the database (versionchange): this tab lets go, reopens, keeps delivering', async () => {
    await wipe();
    const page = await open('maxHits=10&flush=200');
    await track(page, 5, 'before-delete');
    await expectDelivered('before the database is deleted', labels(5, 'before-delete'));
    const other = await newTab();
    await other.goto(server.url('/test/e2e/fixtures/harness.html'));
    const result = await other.evaluate(
      (name) => new Promise<string>((ok) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = () => ok('deleted'); r.onblocked = () => ok('blocked'); }),
      dbName(),
    );
    expect(result).toBe('deleted');
    await track(page, 5, 'after-delete');
    await expectDelivered('after the database was deleted', labels(5, 'after-delete'));
  });

  test('open throws once: memory first, IndexedDB again ~10 s later, durable from then on', async () => {
    await wipe();
    const page = await newTab();
    await page.addInitScript(() => {
      const open = IDBFactory.prototype.open;
      let first = true;
      IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<typeof open>) {
        if (first) {
          first = false;
          throw new DOMException('blocked', 'SecurityError');
        }
        return open.apply(this, args);
      };
    });
    server.collector.setResponder(() => ({ status: 503 }));
    await open('maxHits=10&flush=200', page);
    await track(page, 6, 'reopen');
    // The backoff retries keep coming; one of them, 10 s after the fault, opens IndexedDB and writes the queue.
    await waitFor(
      () =>
        page.evaluate(
          (name) => new Promise<number>((ok) => { const r = indexedDB.open(name); r.onsuccess = () => { try { const q = r.result.transaction('hits').objectStore('hits').count(); q.onsuccess = () => ok(q.result); } catch { ok(0); } r.result.close(); }; r.onerror = () => ok(0); }),
          dbName(),
        ),
      25_000,
      500,
    );
    await page.close({ runBeforeUnload: true });
    server.collector.setResponder(null);
    await flush(await open('maxHits=10&flush=200'));
    await expectDelivered('open threw once, then durable', labels(6, 'reopen'));
  }, 60_000);
});
