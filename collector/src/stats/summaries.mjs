// @ts-check
/**
 * Turns SQL aggregates into the (n, mean, variance) summaries the t-based tests take.
 */
import { assertCounts, assertFinite } from './validate.mjs';

/** @typedef {import('./types.mjs').Counts} Counts */
/** @typedef {import('./types.mjs').Moments} Moments */
/** @typedef {import('./types.mjs').Summary} Summary */

/**
 * A rate k/n as a mean of 0/1 values, with variance p(1 − p): the population variance,
 * as GrowthBook's ProportionStatistic (gbstats/models/statistics.py).
 *
 * @param {Counts} counts
 * @returns {Summary}
 */
export function proportionSummary({ k, n }) {
  assertCounts(k, n, 'proportionSummary');
  const mean = n === 0 ? 0 : k / n;
  return { n, mean, variance: mean * (1 - mean) };
}

/**
 * A value's mean and sample variance (denominator n − 1) from n, Σx and Σx², as
 * GrowthBook's SampleMeanStatistic. Σx² − (Σx)²/n can come out a hair below zero
 * by rounding when every value is equal; it is clamped to 0.
 *
 * @param {Moments} moments
 * @returns {Summary}
 */
export function momentsSummary({ n, sum, sumOfSquares }) {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`moments: n must be a finite number >= 0, got ${n}`);
  assertFinite(sum, 'moments: sum');
  assertFinite(sumOfSquares, 'moments: sumOfSquares');
  if (sumOfSquares < 0) throw new RangeError(`moments: sumOfSquares cannot be negative, got ${sumOfSquares}`);
  const mean = n === 0 ? 0 : sum / n;
  const variance = n <= 1 ? 0 : Math.max(0, (sumOfSquares - (sum * sum) / n) / (n - 1));
  return { n, mean, variance };
}
