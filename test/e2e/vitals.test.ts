/**
 * Page speed in Chromium: the timing hit of a hard load and of a bfcache
 * restore, with web-vitals' numbers checked against the browser's own
 * entries, and the `speed` of goal hits. The page (fixtures/vitals.html) has
 * text, a large image from a slow route, a slow button and a late banner.
 */
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { TimingHit } from '../../src/schema';
import { expectNoPageErrors, launchBrowser, watchBfcache, type TestBrowser } from './support/browser';
import { expectHits, waitFor } from './support/expectHits';
import { startServer, type TestServer } from './support/server';

const pagePath = '/test/e2e/fixtures/vitals.html';
const awayPath = '/test/e2e/fixtures/vitals-away.html';
const heroPath = '/test/e2e/fixtures/vitals-hero.png';
/** The hero image answers this late, so LCP (the image) comes well after FCP (the text). */
const HERO_DELAY_MS = 400;

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser({ viewport: { width: 1000, height: 800 } })]);
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

/** A 900 x 500 PNG, made here so no binary lives in the repo. */
const heroPng = (() => {
  const [w, h] = [900, 500];
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set([120 + (x % 100), 80, 40], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
})();

/** What the browser itself measured on the page (fixtures/vitals.js gathers the buffered entries). */
interface BrowserTiming {
  ttfb: number;
  fcp: number;
  dcl: number;
  load: number;
  lcp: number[];
  shifts: { value: number; hadRecentInput: boolean }[];
  events: { name: string; duration: number; interactionId: number }[];
}
const readBrowser = (tab: Page) =>
  tab.evaluate((): BrowserTiming => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const seen = (window as unknown as { browserEntries: { lcp: { startTime: number }[]; shifts: BrowserTiming['shifts']; events: BrowserTiming['events'] } }).browserEntries;
    return {
      ttfb: nav.responseStart,
      fcp: paint ? paint.startTime : -1,
      dcl: nav.domContentLoadedEventStart,
      load: nav.loadEventStart,
      lcp: seen.lcp.map((e) => e.startTime),
      shifts: seen.shifts,
      events: seen.events,
    };
  });

/**
 * A new tab on the test page, in a fresh session: the profile is shared across
 * tests, and each goal converts once per session.
 */
async function open(path = pagePath, prepare?: (tab: Page) => Promise<unknown>, inBrowser = browser): Promise<Page> {
  server.route(heroPath, { body: heroPng, headers: { 'Content-Type': 'image/png' }, delayMs: HERO_DELAY_MS });
  page = await inBrowser.newPage();
  await page.goto(server.url(awayPath));
  await page.evaluate(() => localStorage.clear());
  await prepare?.(page);
  server.collector.reset();
  await page.goto(server.url(path));
  return page;
}

/** The image has painted: LCP has its final candidate. */
const heroPainted = (tab: Page) =>
  tab.waitForFunction(() => (window as unknown as { browserEntries: { lcp: { url: string }[] } }).browserEntries.lcp.some((e) => e.url.endsWith('vitals-hero.png')));

/**
 * Hide the page for real by going to another page, the way a typed URL does:
 * clicking a link would be an interaction, and count toward INP.
 */
const leave = (tab: Page) => tab.goto(server.url(awayPath));

const timingOf = (hit: unknown) => (hit as TimingHit).timing;

describe('timing hit of a hard load', () => {
  test('text and a late large image: FCP, LCP, TTFB, DCL and load, sent when the page is left', async () => {
    await open();
    const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    await heroPainted(page);
    const measured = await readBrowser(page);
    await expectHits(server.collector, { expected: [], refuted: [{ type: 'timing' }], settleMs: 500 });

    const [hit] = await expectHits(server.collector, {
      action: () => leave(page),
      // No click and no shift on this visit: no INP, CLS 0.
      expected: [{ type: 'timing', pid: pv.pid, url: pv.url, sid: pv.sid, timing: { nav: 'navigate', inp: undefined, cls: 0 } }],
    });
    const t = timingOf(hit);
    console.log('[vitals] hard load:', JSON.stringify(t));
    expect(t.ttfb).toBe(Math.round(measured.ttfb));
    expect(t.fcp).toBe(Math.round(measured.fcp));
    expect(t.lcp).toBe(Math.round(measured.lcp.at(-1)!));
    expect(t.dcl).toBe(Math.round(measured.dcl));
    expect(t.load).toBe(Math.round(measured.load));
    // The order the page was built in.
    expect(t.ttfb!).toBeLessThanOrEqual(t.fcp!);
    expect(t.lcp!).toBeGreaterThan(t.fcp!);
    expect(t.lcp!).toBeGreaterThanOrEqual(HERO_DELAY_MS);
    expect(t.dcl!).toBeLessThan(t.load!);
    expect(t.load!).toBeGreaterThanOrEqual(HERO_DELAY_MS);
    expect(hit.ts).toBeGreaterThan(pv.ts);
  });

  test('CLS from a deliberate layout shift', async () => {
    await open();
    await heroPainted(page);
    await page.evaluate(() => (window as unknown as { shiftLayout(): void }).shiftLayout());
    await waitFor(async () => (await readBrowser(page)).shifts.length > 0);
    const { shifts } = await readBrowser(page);
    const [hit] = await expectHits(server.collector, { action: () => leave(page), expected: [{ type: 'timing' }] });
    const cls = timingOf(hit).cls!;
    console.log('[vitals] CLS:', cls, 'from', shifts.length, 'shift(s)');
    expect(shifts.every((s) => !s.hadRecentInput)).toBe(true);
    expect(cls).toBeGreaterThan(0.05);
    expect(cls).toBeCloseTo(shifts.reduce((sum, s) => sum + s.value, 0), 4);
  });

  test('INP after a real click on a slow button', async () => {
    await open();
    await heroPainted(page);
    await page.click('#slow');
    await page.waitForFunction(() => document.getElementById('slow')!.textContent === 'Clicked');
    await waitFor(async () => (await readBrowser(page)).events.some((e) => e.interactionId > 0 && e.name === 'click'));
    const { events } = await readBrowser(page);
    const [hit] = await expectHits(server.collector, { action: () => leave(page), expected: [{ type: 'timing', timing: { cls: 0 } }] });
    const inp = timingOf(hit).inp!;
    const longest = Math.max(...events.filter((e) => e.interactionId > 0).map((e) => e.duration));
    console.log('[vitals] INP:', inp, 'longest interaction entry:', longest);
    expect(inp).toBeGreaterThanOrEqual(150);
    expect(inp).toBe(Math.round(longest));
  });
});

describe('back/forward cache', () => {
  test('a restore makes a second page view with its own timing hit, measured from the restore', async () => {
    server.allowBfcache(pagePath);
    let notRestored: () => string[] = () => [];
    await open(pagePath, async (tab) => (notRestored = await watchBfcache(tab)));
    const [pv1] = await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    await heroPainted(page);
    await expectHits(server.collector, { action: () => leave(page), expected: [{ type: 'timing', pid: pv1.pid, timing: { nav: 'navigate' } }] });

    const [pv2] = await expectHits(server.collector, {
      action: () => page.goBack({ waitUntil: 'commit' }),
      expected: [{ type: 'pageview', nav: 'back-forward-cache', url: pv1.url }],
    });
    expect(notRestored()).toEqual([]);
    expect(pv2.pid).not.toBe(pv1.pid);
    // web-vitals reports FCP and LCP of a restore two frames after it.
    await page.waitForFunction(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => ok(true), 50)))));

    const [hit] = await expectHits(server.collector, {
      action: () => leave(page),
      expected: [{ type: 'timing', pid: pv2.pid, url: pv1.url, timing: { nav: 'back-forward-cache', ttfb: 0, dcl: undefined, load: undefined } }],
      refuted: [{ type: 'timing', pid: pv1.pid }],
    });
    const t = timingOf(hit);
    console.log('[vitals] bfcache restore:', JSON.stringify(t));
    expect(t.fcp).toBeGreaterThan(0);
    expect(t.lcp).toBeGreaterThanOrEqual(t.fcp!);
    // A restore paints from memory: far quicker than the image the hard load waited for.
    expect(t.lcp!).toBeLessThan(HERO_DELAY_MS);
  });
});

describe('speed on goal hits', () => {
  test('a goal on the page, and one on a later SPA view, carry the hard load speed; SPA views get no timing hit', async () => {
    await open();
    const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    await heroPainted(page);
    // Wait for load, so the speed read below has settled.
    await page.waitForFunction(() => document.readyState === 'complete');
    const measured = await readBrowser(page);
    const speed = { ttfb: Math.round(measured.ttfb), fcp: Math.round(measured.fcp), lcp: Math.round(measured.lcp.at(-1)!) };

    const [buy] = await expectHits(server.collector, {
      action: () => page.click('#buy'),
      expected: [{ type: 'goal', goal: { id: 'buy' }, pid: pv.pid }],
    });
    expect(buy).toMatchObject({ speed });
    console.log('[vitals] goal speed:', JSON.stringify((buy as { speed: unknown }).speed));

    const [spa, thanks] = await expectHits(server.collector, {
      action: () => page.evaluate(() => (window as unknown as { goalpost(...a: unknown[]): void }).goalpost('pageview', '/test/e2e/fixtures/vitals.html?thanks')),
      expected: [{ type: 'pageview', nav: 'spa' }, { type: 'goal', goal: { id: 'thanks' } }],
    });
    expect(thanks.pid).toBe(spa.pid);
    expect(thanks).toMatchObject({ speed });

    await expectHits(server.collector, {
      action: () => leave(page),
      expected: [{ type: 'timing', pid: pv.pid, url: pv.url, timing: { ...speed, nav: 'navigate' } }],
      refuted: [{ type: 'timing', pid: spa.pid }],
    });
    expect(server.collector.hitsWhere((h) => h.type === 'timing')).toHaveLength(1);
  });

  test('a destination goal converting at the hard load has the speed known that early', async () => {
    await open(pagePath + '?thanks');
    const [pv, goal] = await expectHits(server.collector, { expected: [{ type: 'pageview' }, { type: 'goal', goal: { id: 'thanks' } }] });
    expect(goal.pid).toBe(pv.pid);
    const { speed } = goal as { speed: { ttfb?: number; fcp?: number; lcp?: number } };
    console.log('[vitals] speed of a goal at page view:', JSON.stringify(speed));
    // TTFB comes from Navigation Timing, known at once; the image cannot have painted yet.
    expect(speed.ttfb).toBe(Math.round((await readBrowser(page)).ttfb));
    expect(speed.lcp === undefined || speed.lcp < HERO_DELAY_MS).toBe(true);
  });
});

describe('a page kept open', () => {
  test('still visible after 60 s it sends what it has; a later hide replaces it under the same pid', async () => {
    // Playwright's clock also replaces `performance`: under it Navigation Timing is empty (no
    // ttfb, dcl or load) and web-vitals cannot count interactions (no INP). FCP, LCP and CLS
    // come from PerformanceObserver and still work.
    // The clock is installed on the whole context: a browser of its own keeps it from other tests.
    const own = await launchBrowser({ viewport: { width: 1000, height: 800 } });
    onTestFinished(() => own.close());
    await open(pagePath, (tab) => tab.clock.install(), own);
    const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview', nav: 'navigate' }] });
    await heroPainted(page);
    // The 60 s run from the script's start, a second or few of real time ago: 50 s on is
    // safely before them, 11 s more safely after.
    await expectHits(server.collector, { action: () => page.clock.fastForward(50_000), expected: [], refuted: [{ type: 'timing' }], settleMs: 500 });

    const [early] = await expectHits(server.collector, {
      action: () => page.clock.fastForward(11_000),
      expected: [{ type: 'timing', pid: pv.pid, timing: { nav: 'navigate', inp: undefined } }],
    });
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    const t = timingOf(early);
    expect(t).toMatchObject({ fcp: expect.any(Number), lcp: expect.any(Number), cls: 0 });

    await page.evaluate(() => (window as unknown as { shiftLayout(): void }).shiftLayout());
    const [late] = await expectHits(server.collector, {
      action: () => leave(page),
      expected: [{ type: 'timing', pid: pv.pid, timing: { ...t, cls: expect.any(Number) } }],
    });
    expect(timingOf(late).cls).toBeGreaterThan(0);
    expect(late.id).not.toBe(early.id);
    expect(late.seq).toBeGreaterThan(early.seq);
  });
});

describe('timing: false', () => {
  test('no web-vitals observers, no timing hit, goal hits with empty speed', async () => {
    // The page without its own observers (vitals.js), so every observe() call counted is goalpost's.
    const html = readFileSync(new URL('./fixtures/vitals.html', import.meta.url), 'utf8')
      .replace('"site": "e2e",', '"site": "e2e", "timing": false,')
      .replace('<script defer src="/test/e2e/fixtures/vitals.js"></script>', '');
    expect(html).toContain('"timing": false');
    const countObservers = () => {
      const w = window as unknown as { observed: string[] };
      w.observed = [];
      const observe = PerformanceObserver.prototype.observe;
      PerformanceObserver.prototype.observe = function (this: PerformanceObserver, opts?: PerformanceObserverInit) {
        w.observed.push(opts?.type ?? (opts?.entryTypes ?? []).join());
        return observe.call(this, opts);
      };
    };
    const observedOn = async (body: string) => {
      server.route('/timing-page', { body });
      await open('/timing-page', (tab) => tab.addInitScript(countObservers));
      await expectHits(server.collector, { expected: [{ type: 'pageview' }] });
      return page.evaluate(() => (window as unknown as { observed: string[] }).observed);
    };

    // Control: the same page with timing on does observe.
    const withTiming = await observedOn(html.replace('"timing": false,', ''));
    expect(withTiming).toEqual(expect.arrayContaining(['largest-contentful-paint', 'layout-shift', 'event']));
    await page.close();
    server.reset();

    expect(await observedOn(html)).toEqual([]);
    const [goal] = await expectHits(server.collector, { action: () => page.click('#buy'), expected: [{ type: 'goal', goal: { id: 'buy' } }] });
    expect(goal).toMatchObject({ speed: {} });
    expect(Object.keys((goal as { speed: object }).speed)).toEqual([]);
    await expectHits(server.collector, { action: () => leave(page), expected: [], refuted: [{ type: 'timing' }], settleMs: 1000 });
  });
});
