// @ts-check
/**
 * An odds ratio per +1 unit as the percent words of a sentence: "each extra second of
 * LCP goes with 7% fewer purchases (95%: 4% to 10% fewer)".
 */
import { assertFinite } from './validate.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */

/**
 * @typedef {object} OddsChange
 * @property {number} percent signed change per +1 unit: −7 for an odds ratio of 0.93
 * @property {Interval} ci the interval's ends, likewise in signed percent
 * @property {'fewer' | 'more' | 'no change'} direction from the sign of percent
 * @property {boolean} distinguishable whether the interval excludes 0 (no change)
 * @property {'odds' | 'rate'} of what the percent is of: the odds, or the conversion
 *   rate at `baselineRate`
 */

/**
 * Turns an odds ratio and its interval into percent changes, (OR − 1)·100.
 *
 * That is a change in the odds of converting. For rare outcomes (purchases at a few
 * percent) odds and rate move alike, so "x% fewer purchases" is fair; when
 * `baselineRate` is given, the odds ratio is turned into a rate ratio at that rate
 * first, RR = OR / (1 − p₀ + p₀·OR) (Zhang & Yu 1998, JAMA 280:1690), which is exact
 * for a one-unit step from a session at rate p₀.
 *
 * @param {number} oddsRatio > 0
 * @param {Interval} ci its interval, both ends > 0
 * @param {{ baselineRate?: number }} [options] 0 < baselineRate < 1
 * @returns {OddsChange}
 */
export function oddsChange(oddsRatio, ci, { baselineRate } = {}) {
  for (const value of [oddsRatio, ...ci]) {
    assertFinite(value, 'oddsChange: odds ratio');
    if (!(value > 0)) throw new RangeError(`oddsChange: an odds ratio must be > 0, got ${value}`);
  }
  if (baselineRate !== undefined && !(baselineRate > 0 && baselineRate < 1)) {
    throw new RangeError(`oddsChange: baselineRate must be between 0 and 1, got ${baselineRate}`);
  }
  const toRatio = (/** @type {number} */ or) => (baselineRate === undefined ? or : or / (1 - baselineRate + baselineRate * or));
  const toPercent = (/** @type {number} */ or) => (toRatio(or) - 1) * 100;
  const percent = toPercent(oddsRatio);
  /** @type {Interval} */
  const interval = [toPercent(ci[0]), toPercent(ci[1])];
  return {
    percent,
    ci: interval,
    direction: percent < 0 ? 'fewer' : percent > 0 ? 'more' : 'no change',
    distinguishable: interval[0] > 0 || interval[1] < 0,
    of: baselineRate === undefined ? 'odds' : 'rate',
  };
}
