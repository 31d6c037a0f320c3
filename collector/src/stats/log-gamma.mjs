// @ts-check
/**
 * ln Γ(x), the log of the gamma function, for the incomplete gamma and beta functions.
 */

// Lanczos approximation with g = 7 and nine coefficients (Godfrey's set, the one in
// Wikipedia's "Lanczos approximation" article); relative error about 1e-15 for x > 0.
const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 (Lanczos 1964, g = 7, n = 9), with the reflection formula
 * Γ(x) Γ(1 − x) = π / sin(πx) below 0.5, where the series is least accurate.
 *
 * @param {number} x > 0
 * @returns {number}
 */
export function logGamma(x) {
  if (!(x > 0) || x === Infinity) throw new RangeError(`logGamma needs a finite x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let series = COEFFICIENTS[0];
  for (let i = 1; i < COEFFICIENTS.length; i++) series += COEFFICIENTS[i] / (z + i);
  const t = z + G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}
