// @ts-check
/**
 * Sample-ratio mismatch: did the variants get the share of sessions they were meant to?
 * A mismatch means assignment or tracking is broken, and no lift can be trusted.
 */
import { chiSquareSurvival } from './chi-square.mjs';
import { SRM_MIN_SESSIONS_PER_VARIANT, SRM_P_VALUE_THRESHOLD } from './thresholds.mjs';

/**
 * @typedef {object} SampleRatioCheck
 * @property {'balanced' | 'mismatch' | 'too-few-sessions' | 'too-few-variants'} status
 *   'mismatch' when p < threshold; 'too-few-sessions' below GrowthBook's
 *   8 sessions per variant, where the test is not read
 * @property {boolean} flagged status === 'mismatch'
 * @property {number | null} chiSquare Σ (observed − expected)² / expected; null with no sessions or one variant
 * @property {number} df variants − 1
 * @property {number | null} pValue P(χ²(df) >= chiSquare); null when chiSquare is
 */

/**
 * Pearson's chi-square goodness-of-fit test of the observed sessions per variant against
 * the expected split, as GrowthBook's check_srm (gbstats/utils.py) with its
 * thresholds (see thresholds.mjs): flagged at p < 0.001, not judged below 8 sessions
 * per variant. The p-value is the chi-square upper tail on variants − 1 degrees of
 * freedom, through the regularized upper incomplete gamma function.
 *
 * @param {number[]} sessions sessions per variant, in the same order as weights
 * @param {{ weights?: number[], threshold?: number, minSessionsPerVariant?: number }} [options]
 *   weights: the intended split, any positive scale (default equal)
 * @returns {SampleRatioCheck}
 */
export function sampleRatioMismatch(
  sessions,
  { weights = sessions.map(() => 1), threshold = SRM_P_VALUE_THRESHOLD, minSessionsPerVariant = SRM_MIN_SESSIONS_PER_VARIANT } = {},
) {
  if (weights.length !== sessions.length) throw new RangeError(`sampleRatioMismatch: ${sessions.length} counts but ${weights.length} weights`);
  for (const n of sessions) if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`sampleRatioMismatch: counts must be finite and >= 0, got ${n}`);
  for (const w of weights) if (!(Number.isFinite(w) && w > 0)) throw new RangeError(`sampleRatioMismatch: weights must be finite and > 0, got ${w}`);
  const df = Math.max(0, sessions.length - 1);
  const total = sessions.reduce((sum, n) => sum + n, 0);
  if (sessions.length < 2) return { status: 'too-few-variants', flagged: false, chiSquare: null, df, pValue: null };
  if (total === 0) return { status: 'too-few-sessions', flagged: false, chiSquare: null, df, pValue: null };
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  let chiSquare = 0;
  sessions.forEach((observed, i) => {
    const expected = (weights[i] / totalWeight) * total;
    chiSquare += (observed - expected) ** 2 / expected;
  });
  const pValue = chiSquareSurvival(chiSquare, df);
  const status = total < minSessionsPerVariant * sessions.length ? 'too-few-sessions' : pValue < threshold ? 'mismatch' : 'balanced';
  return { status, flagged: status === 'mismatch', chiSquare, df, pValue };
}
