// @ts-check
/**
 * The Wilson score interval for a rate: every rate in the report carries one.
 */
import { zForConfidence } from './normal.mjs';
import { assertCounts } from './validate.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */

/**
 * The Wilson score interval for k successes in n trials (Wilson 1927; Newcombe 1998,
 * "Two-sided confidence intervals for the single proportion", Stat Med 17:857, method 3).
 *
 *   centre = (k + z²/2) / (n + z²),  half-width = z √(k(n − k)/n + z²/4) / (n + z²)
 *
 * It is the set of p that a score test would not reject, so unlike the Wald interval
 * it stays inside [0, 1] and is not zero-width at k = 0 or k = n: 0 of 20 gives
 * [0, 0.161]. Assumes the n trials are independent with a common rate.
 *
 * @param {number} k successes (conversions), 0 <= k <= n
 * @param {number} n trials (sessions), >= 0
 * @param {{ confidence?: number, z?: number }} [options]
 *   confidence defaults to 0.95; z, if given, is used as is (z = 1.96 for 95%).
 * @returns {Interval | null} null when n = 0: no sessions, no rate.
 */
export function wilsonInterval(k, n, { confidence = 0.95, z = zForConfidence(confidence) } = {}) {
  assertCounts(k, n, 'wilsonInterval');
  if (!(z > 0 && Number.isFinite(z))) throw new RangeError(`wilsonInterval needs a finite z > 0, got ${z}`);
  if (n === 0) return null;
  const z2 = z * z;
  const centre = (k + z2 / 2) / (n + z2);
  const halfWidth = (z * Math.sqrt((k * (n - k)) / n + z2 / 4)) / (n + z2);
  // At k = 0 and k = n the bound is exactly 0 or 1; rounding would leave ±1e-17.
  const low = k === 0 ? 0 : Math.max(0, centre - halfWidth);
  const high = k === n ? 1 : Math.min(1, centre + halfWidth);
  return [low, high];
}
