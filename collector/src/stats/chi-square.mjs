// @ts-check
/**
 * The chi-square distribution's upper tail, for goodness-of-fit p-values.
 */
import { regularizedGammaQ } from './incomplete-gamma.mjs';

/**
 * P(X >= x) for X ~ χ²(df): Q(df/2, x/2), the upper regularized incomplete gamma
 * function (Abramowitz & Stegun 26.4.19). chiSquareSurvival(3.841, 1) ≈ 0.05.
 *
 * @param {number} x the statistic, >= 0 (negative counts as 0)
 * @param {number} df degrees of freedom, > 0
 * @returns {number} the p-value, in [0, 1]
 */
export function chiSquareSurvival(x, df) {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  if (Number.isNaN(x)) throw new RangeError('chi-square statistic is NaN');
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
