import type { Speed, TimingHit } from '../schema';

/** The measured values of a timing hit (the hit adds `nav`). */
export type Timing = Omit<TimingHit['timing'], 'nav'>;
export type TimingName = keyof Timing;

// Absurd values (clock jumps, a tab asleep for hours) would skew every average.
export const MAX_MS = 15 * 60 * 1000;

/**
 * A value fit to send, or undefined: not finite, negative or over 15 minutes
 * is dropped. Milliseconds are rounded to whole ms, CLS to 4 decimals.
 */
export function cleanValue(field: TimingName, value: unknown): number | undefined {
  // Number.isFinite is false for anything but a number.
  if (!Number.isFinite(value) || (value as number) < 0) return undefined;
  if (field === 'cls') return Math.round((value as number) * 1e4) / 1e4;
  return (value as number) > MAX_MS ? undefined : Math.round(value as number);
}

/**
 * The timing of one page from what web-vitals reported and what Navigation
 * Timing knows: web-vitals wins where both have a value.
 */
export function toTiming(reported: Timing, nav: Timing = {}, fields: readonly TimingName[] = ['ttfb', 'fcp', 'lcp', 'inp', 'cls', 'dcl', 'load']): Timing {
  const out: Timing = {};
  for (const field of fields) {
    const v = cleanValue(field, reported[field] ?? nav[field]);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/** The `speed` of a goal hit: TTFB, FCP and LCP of a timing, cleaned (navSpeed passes Navigation Timing's raw values). */
export const toSpeed = (t: Timing): Speed => toTiming(t, {}, ['ttfb', 'fcp', 'lcp']);
