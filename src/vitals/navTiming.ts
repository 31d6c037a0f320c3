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
 * that has not come yet (0 in the entry) is undefined. DCL and load are the
 * moments the events fired (`...EventStart`), the lines DevTools draws.
 */
export function navTiming(entry: PerformanceNavigationTiming | undefined): Pick<Timing, 'ttfb' | 'dcl' | 'load'> {
  if (!entry) return {};
  const from = (entry as PerformanceNavigationTiming & { activationStart?: number }).activationStart || 0;
  const at = (t: number) => (t > 0 ? Math.max(t - from, 0) : undefined);
  // An absent moment is an undefined field, which toTiming (the one reader) drops.
  return { ttfb: at(entry.responseStart), dcl: at(entry.domContentLoadedEventStart), load: at(entry.loadEventStart) };
}
