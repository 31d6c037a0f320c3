import type { Timing } from './toTiming';

/** The navigation entry of the hard load, or undefined where Navigation Timing 2 is missing. */
export function readNavEntry(win: Window): PerformanceNavigationTiming | undefined {
  try {
    return win.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  } catch {
    return undefined;
  }
}

/**
 * TTFB, DOMContentLoaded and load of the hard load from Navigation Timing, in
 * ms from navigation start, or from activation for a prerendered page (clamped
 * at 0, as web-vitals does for what happened before activation). A moment
 * that has not come yet (0 in the entry) is left out. DCL and load are the
 * moments the events fired (`...EventStart`), the lines DevTools draws.
 */
export function navTiming(entry: PerformanceNavigationTiming | undefined): Pick<Timing, 'ttfb' | 'dcl' | 'load'> {
  const out: Pick<Timing, 'ttfb' | 'dcl' | 'load'> = {};
  if (!entry) return out;
  const from = (entry as PerformanceNavigationTiming & { activationStart?: number }).activationStart || 0;
  const at = (t: number) => (t > 0 ? Math.max(t - from, 0) : undefined);
  const ttfb = at(entry.responseStart);
  const dcl = at(entry.domContentLoadedEventStart);
  const load = at(entry.loadEventStart);
  if (ttfb !== undefined) out.ttfb = ttfb;
  if (dcl !== undefined) out.dcl = dcl;
  if (load !== undefined) out.load = load;
  return out;
}
