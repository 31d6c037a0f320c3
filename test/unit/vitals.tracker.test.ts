import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseConfig, type GoalpostConfig } from '../../src/config';
import { createMemoryStore } from '../../src/lib/safeStorage';
import { payloadSchema, type Hit, type Payload } from '../../src/schema';
import { createTracker, type Tracker } from '../../src/tracker';
import type { MetricReport, Reporters } from '../../src/vitals/createVitals';

// The tracker's wiring of timing hits, with web-vitals replaced by stand-ins
// and sendBeacon recorded: which page view a timing hit belongs to, and that
// it is queued before delivery beacons the queue on hide.

let tracker: Tracker | undefined;
let visibility: DocumentVisibilityState = 'visible';
let beacons: Payload[] = [];
let idCounter = 0;

function fakeReporters() {
  const callbacks: Record<string, (m: MetricReport) => void> = {};
  const registered = vi.fn();
  const make = (name: string) => (cb: (m: MetricReport) => void) => {
    registered(name);
    callbacks[name] = cb;
  };
  const reporters: Reporters = { onFCP: make('FCP'), onLCP: make('LCP'), onINP: make('INP'), onCLS: make('CLS') };
  return { reporters, registered, report: (name: string, value: number) => callbacks[name]!({ name, value }) };
}

/** The hard load's Navigation Timing entry, where TTFB comes from (jsdom has none). */
const ttfb = (responseStart: number) => {
  const entry = { type: 'navigate', responseStart, domContentLoadedEventStart: 0, loadEventStart: 0 };
  vi.spyOn(performance, 'getEntriesByType').mockImplementation((type) => (type === 'navigation' ? [entry as unknown as PerformanceEntry] : []));
};

function setup(config: Partial<GoalpostConfig> = {}, now: () => number = Date.now, later: (fn: () => void) => void = (fn) => fn()) {
  const fake = fakeReporters();
  const parsed = parseConfig({ endpoint: '/collect', site: 'test', batch: { maxHits: 1000, flushIntervalMs: 60_000 }, ...config });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const fetchImpl = vi.fn(async () => new Response(null, { status: 204 }));
  tracker = createTracker(parsed.config, {
    newId: () => `00000000-0000-4000-8000-${String(++idCounter).padStart(12, '0')}`,
    storage: createMemoryStore(),
    fetchImpl: fetchImpl as typeof fetch,
    reporters: fake.reporters,
    later,
    now,
  });
  return { ...fake, tracker };
}

/** What the beacons carried so far. */
const beaconed = (): Hit[] => beacons.flatMap((p) => p.hits);
const hide = () => {
  visibility = 'hidden';
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
};
const show = () => {
  visibility = 'visible';
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
};
/** Bodies are read asynchronously from the Blob; wait until `n` beacons are parsed. */
const pending: Promise<void>[] = [];
const settled = async () => {
  await Promise.all(pending);
};

beforeEach(() => {
  history.replaceState({}, '', '/');
  localStorage.clear();
  visibility = 'visible';
  beacons = [];
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    // A string body (what delivery sends: text/plain;charset=UTF-8) or a Blob.
    value: (_url: string, body: string | Blob) => {
      const text = typeof body === 'string' ? Promise.resolve(body) : body.text();
      pending.push(text.then((t) => void beacons.push(payloadSchema.parse(JSON.parse(t)) as Payload)));
      return true;
    },
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  tracker?.destroy();
  tracker = undefined;
  pending.length = 0;
  delete (document as { visibilityState?: unknown }).visibilityState;
  delete (navigator as { sendBeacon?: unknown }).sendBeacon;
  vi.useRealTimers();
});

describe('timing hits in the tracker', () => {
  test('the hide that sends the timing hit beacons it in the same turn, after the page view', async () => {
    const { report } = setup();
    ttfb(12);
    report('FCP', 80);
    report('CLS', 0.02);
    hide();
    await settled();
    const hits = beaconed();
    expect(hits.map((h) => h.type)).toEqual(['pageview', 'timing']);
    const [pv, timing] = hits;
    expect(timing).toMatchObject({ type: 'timing', pid: pv!.pid, sid: pv!.sid, cid: pv!.cid, url: pv!.url, seq: 2, timing: { ttfb: 12, fcp: 80, cls: 0.02, nav: 'navigate' } });
  });

  test('after SPA navigations the timing hit still belongs to the hard load; SPA views have none', async () => {
    const { report, tracker } = setup();
    report('FCP', 80);
    history.pushState({}, '', '/a');
    tracker.pageview('/b');
    hide();
    await settled();
    const hits = beaconed();
    expect(hits.map((h) => [h.type, h.type === 'pageview' ? h.nav : undefined])).toEqual([
      ['pageview', 'navigate'],
      ['pageview', 'spa'],
      ['pageview', 'spa'],
      ['timing', undefined],
    ]);
    expect(hits[3]).toMatchObject({ pid: hits[0]!.pid, url: 'http://localhost:3000/', timing: { fcp: 80, nav: 'navigate' } });
  });

  test('a bfcache restore: a new page view, then a timing hit of its own with nav back-forward-cache', async () => {
    const { report } = setup();
    report('FCP', 80);
    hide();
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    show();
    // The restored page's TTFB is 0: nothing was fetched.
    report('FCP', 16);
    hide();
    await settled();
    const hits = beaconed();
    expect(hits.map((h) => h.type)).toEqual(['pageview', 'timing', 'pageview', 'timing']);
    const [pv1, t1, pv2, t2] = hits as [Hit, Hit, Hit, Hit];
    expect(pv2).toMatchObject({ nav: 'back-forward-cache' });
    expect(pv2.pid).not.toBe(pv1.pid);
    expect(t1).toMatchObject({ pid: pv1.pid, timing: { fcp: 80, nav: 'navigate' } });
    expect(t2).toMatchObject({ pid: pv2.pid, timing: { ttfb: 0, fcp: 16, nav: 'back-forward-cache' } });
  });

  test('a later hide with new values resends with the same pid; an unchanged one does not', async () => {
    const { report } = setup();
    report('FCP', 80);
    hide();
    show();
    hide();
    show();
    report('INP', 56);
    hide();
    await settled();
    const timings = beaconed().filter((h) => h.type === 'timing');
    expect(timings.map((h) => h.type === 'timing' && h.timing)).toEqual([
      { fcp: 80, nav: 'navigate' },
      { fcp: 80, inp: 56, nav: 'navigate' },
    ]);
    expect(timings[0]!.pid).toBe(timings[1]!.pid);
    expect(timings[0]!.id).not.toBe(timings[1]!.id);
  });

  test('goal hits carry the speed known so far, also on an SPA view', async () => {
    const { report, tracker } = setup({ goals: [{ id: 'thanks', kind: 'destination', url: '/thanks' }, { id: 'buy', kind: 'event', event: { action: 'buy' } }] });
    ttfb(12);
    report('LCP', 300);
    report('INP', 40);
    tracker.track('buy');
    report('LCP', 450);
    tracker.pageview('/thanks');
    hide();
    await settled();
    const goals = beaconed().filter((h) => h.type === 'goal');
    expect(goals.map((h) => h.type === 'goal' && [h.goal.id, h.speed])).toEqual([
      ['buy', { ttfb: 12, lcp: 300 }],
      ['thanks', { ttfb: 12, lcp: 450 }],
    ]);
  });

  test('timing: false leaves web-vitals out: no reporter is registered, no timing hit, goal hits have empty speed', async () => {
    const { registered, tracker } = setup({ timing: false, goals: [{ id: 'buy', kind: 'event', event: { action: 'buy' } }] });
    tracker.track('buy');
    hide();
    await settled();
    expect(registered).not.toHaveBeenCalled();
    const hits = beaconed();
    expect(hits.map((h) => h.type)).toEqual(['pageview', 'event', 'goal']);
    expect(hits[2]).toMatchObject({ speed: {} });
  });

  test('web-vitals starts when the page is idle, not while goalpost loads; a hide before that starts it', async () => {
    const idle: (() => void)[] = [];
    const first = setup({}, Date.now, (fn) => idle.push(fn));
    expect(first.registered).not.toHaveBeenCalled();
    idle.forEach((fn) => fn());
    expect(first.registered.mock.calls.map(([n]) => n)).toEqual(['FCP', 'LCP', 'INP', 'CLS']);
    first.tracker.destroy();

    const second = setup({}, Date.now, () => undefined);
    expect(second.registered).not.toHaveBeenCalled();
    hide();
    expect(second.registered).toHaveBeenCalledTimes(4);
  });

  test('destroy() stops timing hits', async () => {
    const { report, tracker } = setup();
    report('FCP', 80);
    tracker.destroy();
    hide();
    await settled();
    expect(beaconed().filter((h) => h.type === 'timing')).toEqual([]);
  });

  test('with consent required, the timing hit waits with the others and goes on grant', async () => {
    const { report, tracker } = setup({ privacy: { requireConsent: true } });
    report('FCP', 80);
    hide();
    await settled();
    expect(beaconed()).toEqual([]);
    show();
    tracker.consent('granted');
    hide();
    await settled();
    expect(beaconed().map((h) => h.type)).toEqual(['pageview', 'timing']);
  });
});

describe('a timing hit after the session timed out', () => {
  test('goes with the session of its page view and starts no new one', async () => {
    let t = 1_700_000_000_000;
    const { report } = setup({ session: { timeoutMinutes: 30 } }, () => t);
    ttfb(50);
    report('FCP', 120);
    t += 45 * 60_000; // the tab sat visible and idle for 45 minutes, then was hidden
    hide();
    await settled();
    const [pv, timing] = beaconed();
    expect(pv.type).toBe('pageview');
    expect(timing).toMatchObject({ type: 'timing', sid: pv.sid, pid: pv.pid, seq: pv.seq + 1, timing: { ttfb: 50, fcp: 120 } });
  });
});
