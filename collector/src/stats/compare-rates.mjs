// @ts-check
/**
 * The verdict on two rates, for a sentence: distinguishable from no difference, not
 * distinguishable, or too few sessions to say.
 */
import { rateRatio } from './rate-ratio.mjs';
import { CONFIDENCE_LEVEL, MIN_CONVERSIONS_TO_COMPARE } from './thresholds.mjs';
import { twoProportionZTest } from './two-proportion-z-test.mjs';

/** @typedef {import('./types.mjs').Counts} Counts */
/** @typedef {import('./types.mjs').Interval} Interval */
/** @typedef {'too-few-sessions' | 'distinguishable' | 'indistinguishable'} Verdict */

/**
 * @typedef {object} RateComparison
 * @property {Verdict} verdict
 *   'too-few-sessions' below GrowthBook's minimum; 'distinguishable' when the interval
 *   of the ratio excludes 1 and p < 1 − confidence; otherwise 'indistinguishable'.
 * @property {'higher' | 'lower' | null} direction a's rate against b's, when distinguishable
 * @property {number | null} ratio rate(a) / rate(b) (see rateRatio), null when undefined
 * @property {Interval | null} ci its Katz interval
 * @property {boolean} corrected whether the ratio needed the 0.5 correction for an empty cell
 * @property {number | null} pValue the two-proportion z-test's, null when undefined
 * @property {string | null} reason why the verdict is not a comparison, in words
 */

/**
 * Compares a's rate with b's for a sentence such as "sessions that reached X converted
 * 5.1× as often (95%: 2.7× to 9.8×)".
 *
 * The minimum is GrowthBook's (hasEnoughData with DEFAULT_MIN_SAMPLE_SIZE, see
 * thresholds.mjs): both groups need a conversion and the larger needs
 * `minConversions`. Above it, "distinguishable" needs both the Katz interval to exclude 1
 * and the z-test's p below 1 − confidence. The two are different large-sample
 * approximations and can disagree near the boundary; requiring both means the sentence
 * never contradicts a number printed beside it, and errs towards "not distinguishable".
 * Correlation only: sessions that reached X differ from the rest in more than X.
 *
 * @param {Counts} a
 * @param {Counts} b
 * @param {{ confidence?: number, minConversions?: number }} [options]
 * @returns {RateComparison}
 */
export function compareRates(a, b, { confidence = CONFIDENCE_LEVEL, minConversions = MIN_CONVERSIONS_TO_COMPARE } = {}) {
  const ratio = rateRatio(a, b, { confidence });
  const test = twoProportionZTest(a, b);
  const numbers = {
    ratio: ratio.ok ? ratio.ratio : null,
    ci: ratio.ok ? ratio.ci : null,
    corrected: ratio.ok ? ratio.corrected : false,
    pValue: test.ok ? test.pValue : null,
  };
  if (a.k === 0 || b.k === 0 || Math.max(a.k, b.k) < minConversions) {
    const reason = `too few conversions to compare: ${minConversions} needed in the larger group and at least one in each`;
    return { verdict: 'too-few-sessions', direction: null, ...numbers, reason };
  }
  const { ci, pValue } = numbers;
  // Both groups have conversions here, so the ratio and the test are defined, except
  // when every session in both groups converted (the test has no variance to use).
  if (ci === null || pValue === null) {
    const reason = ratio.ok ? (test.ok ? null : test.reason) : ratio.reason;
    return { verdict: 'indistinguishable', direction: null, ...numbers, reason };
  }
  if (pValue < 1 - confidence && (ci[0] > 1 || ci[1] < 1)) {
    return { verdict: 'distinguishable', direction: ci[0] > 1 ? 'higher' : 'lower', ...numbers, reason: null };
  }
  return { verdict: 'indistinguishable', direction: null, ...numbers, reason: null };
}
