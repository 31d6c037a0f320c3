import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createVitals, SEND_AFTER_MS, type MetricReport, type Reporters, type Vitals } from '../../src/vitals/createVitals';
import { navTiming } from '../../src/vitals/navTiming';
import { cleanValue, MAX_MS, toSpeed, toTiming, type Timing } from '../../src/vitals/toTiming';

/** web-vitals stand-ins: each keeps the callback it was given, so a test can report through it. */
function fakeReporters() {
  const callbacks: Record<string, (m: MetricReport) => void> = {};
  const opts: Record<string, unknown> = {};
  const calls: string[] = [];
  const make = (name: string) =>
    vi.fn((cb: (m: MetricReport) => void, o?: unknown) => {
      calls.push(name);
      callbacks[name] = cb;
      opts[name] = o;
    });
  const reporters: Reporters = { onFCP: make('FCP'), onLCP: make('LCP'), onINP: make('INP'), onCLS: make('CLS') };
  // `via` lets a test report a name web-vitals does not have through a real callback.
  const report = (name: string, value: number, via = name) => callbacks[via]!({ name, value });
  return { reporters, report, calls, opts };
}

const navEntry = (fields: Partial<Record<string, number>>) => ({ responseStart: 0, domContentLoadedEventStart: 0, loadEventStart: 0, ...fields }) as unknown as PerformanceNavigationTiming;

let visibility: DocumentVisibilityState = 'visible';
const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
};
const restore = () => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));

let vitals: Vitals | undefined;
beforeEach(() => {
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  vitals?.stop();
  vitals = undefined;
  vi.useRealTimers();
  delete (document as { visibilityState?: unknown }).visibilityState;
  delete (document as { prerendering?: unknown }).prerendering;
});

function setup(entry?: PerformanceNavigationTiming) {
  const fake = fakeReporters();
  const sent: Timing[] = [];
  vitals = createVitals({ win: window, send: (t) => sent.push(t), reporters: fake.reporters, navEntry: () => entry });
  return { ...fake, sent, vitals };
}

describe('values', () => {
  test('ms are rounded; not finite, negative or over 15 minutes is dropped', () => {
    expect(cleanValue('lcp', 1234.56)).toBe(1235);
    expect(cleanValue('ttfb', 0)).toBe(0);
    expect(cleanValue('inp', MAX_MS)).toBe(MAX_MS);
    expect(cleanValue('load', MAX_MS + 1)).toBeUndefined();
    expect(cleanValue('fcp', Number.NaN)).toBeUndefined();
    expect(cleanValue('fcp', Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(cleanValue('dcl', -3)).toBeUndefined();
    expect(cleanValue('dcl', '12' as unknown as number)).toBeUndefined();
  });

  test('CLS is unitless: 4 decimals, no 15-minute ceiling', () => {
    expect(cleanValue('cls', 0.123456)).toBe(0.1235);
    expect(cleanValue('cls', 0)).toBe(0);
    expect(cleanValue('cls', 1e6)).toBe(1e6);
    expect(cleanValue('cls', Number.NaN)).toBeUndefined();
  });

  test('toTiming prefers what web-vitals reported over Navigation Timing and leaves out unknowns', () => {
    expect(toTiming({ ttfb: 80.4, lcp: Infinity }, { ttfb: 99, dcl: 300.2 })).toEqual({ ttfb: 80, dcl: 300 });
    expect(toTiming({}, {})).toEqual({});
  });

  test('speed is TTFB, FCP and LCP only', () => {
    expect(toSpeed({ ttfb: 1, fcp: 2, lcp: 3, inp: 4, cls: 0.5, dcl: 6, load: 7 })).toEqual({ ttfb: 1, fcp: 2, lcp: 3 });
  });
});

describe('Navigation Timing', () => {
  test('ttfb, dcl and load in ms from navigation start; moments still to come are absent', () => {
    expect(navTiming(navEntry({ responseStart: 40, domContentLoadedEventStart: 120 }))).toEqual({ ttfb: 40, dcl: 120 });
    expect(navTiming(navEntry({ responseStart: 40, domContentLoadedEventStart: 120, loadEventStart: 250 }))).toEqual({ ttfb: 40, dcl: 120, load: 250 });
    expect(navTiming(undefined)).toEqual({});
  });

  test('a prerendered page is measured from activation, clamped at 0', () => {
    expect(navTiming(navEntry({ activationStart: 1000, responseStart: 40, domContentLoadedEventStart: 120, loadEventStart: 1300 }))).toEqual({ ttfb: 0, dcl: 0, load: 300 });
  });
});

describe('createVitals', () => {
  test('registers each web-vitals reporter once, asking for every change', () => {
    const { calls, opts } = setup();
    expect(calls).toEqual(['FCP', 'LCP', 'INP', 'CLS']);
    for (const o of Object.values(opts)) expect(o).toEqual({ reportAllChanges: true });
  });

  test('maps each report to its field; the latest report of a metric wins', () => {
    const { report, vitals } = setup(navEntry({ responseStart: 30.2, domContentLoadedEventStart: 210.4, loadEventStart: 380 }));
    report('FCP', 101.7);
    report('LCP', 150);
    report('LCP', 420.5);
    report('INP', 48);
    report('CLS', 0.05);
    report('CLS', 0.1234567);
    report('FID', 5, 'INP');
    expect(vitals.timing()).toEqual({ ttfb: 30, fcp: 102, lcp: 421, inp: 48, cls: 0.1235, dcl: 210, load: 380 });
    expect(vitals.speed()).toEqual({ ttfb: 30, fcp: 102, lcp: 421 });
  });

  test('TTFB is Navigation Timing\'s responseStart, from activation on a prerendered page', () => {
    expect(setup(navEntry({ responseStart: 55.5 })).vitals.speed()).toEqual({ ttfb: 56 });
    vitals!.stop();
    expect(setup(navEntry({ responseStart: 55.5, activationStart: 20 })).vitals.speed()).toEqual({ ttfb: 36 });
    vitals!.stop();
    expect(setup(navEntry({ responseStart: 55.5, activationStart: 900 })).vitals.speed()).toEqual({ ttfb: 0 });
  });

  test('an absurd report is dropped, not sent', () => {
    const { report, vitals } = setup();
    report('LCP', 20 * 60 * 1000);
    report('INP', Number.NaN);
    report('FCP', 900);
    expect(vitals.timing()).toEqual({ fcp: 900 });
  });

  test('sent at the first hide with the final values; a later hide sends only when something changed', () => {
    const { report, sent } = setup();
    report('FCP', 100);
    report('CLS', 0);
    expect(sent).toEqual([]);
    setVisibility('hidden');
    expect(sent).toEqual([{ fcp: 100, cls: 0 }]);
    setVisibility('visible');
    setVisibility('hidden');
    expect(sent).toHaveLength(1);
    setVisibility('visible');
    report('INP', 72);
    setVisibility('hidden');
    expect(sent).toEqual([{ fcp: 100, cls: 0 }, { fcp: 100, cls: 0, inp: 72 }]);
  });

  test('a hide with nothing measured sends nothing', () => {
    const { sent } = setup();
    setVisibility('hidden');
    expect(sent).toEqual([]);
  });

  test('a page still visible after 60 s sends what it has; the timer does not run again', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { report, sent } = setup();
    report('FCP', 100);
    vi.advanceTimersByTime(SEND_AFTER_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ fcp: 100 }]);
    report('CLS', 0.2);
    vi.advanceTimersByTime(10 * SEND_AFTER_MS);
    expect(sent).toHaveLength(1);
    setVisibility('hidden');
    expect(sent).toEqual([{ fcp: 100 }, { fcp: 100, cls: 0.2 }]);
  });

  test('a hide before 60 s cancels the timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { report, sent } = setup();
    report('FCP', 100);
    setVisibility('hidden');
    setVisibility('visible');
    report('LCP', 300);
    vi.advanceTimersByTime(2 * SEND_AFTER_MS);
    expect(sent).toEqual([{ fcp: 100 }]);
  });

  test('a prerendered page starts its 60 s at activation', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    Object.defineProperty(document, 'prerendering', { configurable: true, value: true });
    const { sent } = setup(navEntry({ responseStart: 5, activationStart: 40 }));
    vi.advanceTimersByTime(2 * SEND_AFTER_MS);
    expect(sent).toEqual([]);
    document.dispatchEvent(new Event('prerenderingchange'));
    vi.advanceTimersByTime(SEND_AFTER_MS);
    expect(sent).toEqual([{ ttfb: 0 }]);
  });

  test('a bfcache restore starts a new measurement without Navigation Timing, sent at its own first hide', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { report, sent, vitals } = setup(navEntry({ responseStart: 20, domContentLoadedEventStart: 90, loadEventStart: 150 }));
    report('FCP', 100);
    report('CLS', 0.01);
    setVisibility('hidden');
    restore();
    setVisibility('visible');
    // TTFB 0 (nothing was fetched), then web-vitals reports FCP and LCP after two frames.
    expect(vitals.timing()).toEqual({ ttfb: 0 });
    report('FCP', 16.4);
    report('LCP', 16.4);
    expect(vitals.speed()).toEqual({ ttfb: 0, fcp: 16, lcp: 16 });
    setVisibility('hidden');
    expect(sent).toEqual([{ ttfb: 20, fcp: 100, cls: 0.01, dcl: 90, load: 150 }, { ttfb: 0, fcp: 16, lcp: 16 }]);
    // The restored page's 60 s were cancelled by its hide, too.
    vi.advanceTimersByTime(2 * SEND_AFTER_MS);
    expect(sent).toHaveLength(2);
  });

  test('a restore that stays visible sends after 60 s from the restore', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { report, sent } = setup();
    report('FCP', 100);
    setVisibility('hidden');
    vi.advanceTimersByTime(30_000);
    restore();
    setVisibility('visible');
    vi.advanceTimersByTime(SEND_AFTER_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ fcp: 100 }, { ttfb: 0 }]);
  });

  test('a pageshow that is not a restore changes nothing', () => {
    const { report, vitals } = setup();
    report('FCP', 100);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    expect(vitals.timing()).toEqual({ fcp: 100 });
  });

  test('stop() ends listening: later reports and hides are ignored', () => {
    const { report, sent, vitals } = setup();
    report('FCP', 100);
    vitals.stop();
    report('LCP', 200);
    setVisibility('hidden');
    expect(sent).toEqual([]);
    expect(vitals.timing()).toEqual({ fcp: 100 });
  });

  test('a reporter that throws costs only its own metric', () => {
    const fake = fakeReporters();
    fake.reporters.onINP = () => {
      throw new Error('no PerformanceObserver');
    };
    const sent: Timing[] = [];
    vitals = createVitals({ win: window, send: (t) => sent.push(t), reporters: fake.reporters, navEntry: () => undefined });
    fake.report('CLS', 0.3);
    setVisibility('hidden');
    expect(sent).toEqual([{ cls: 0.3 }]);
  });
});
