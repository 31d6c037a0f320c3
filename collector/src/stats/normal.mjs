// @ts-check
/**
 * The standard normal distribution: its CDF and quantile, and the z for a confidence level.
 */
import { regularizedGammaQ } from './incomplete-gamma.mjs';

const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

/**
 * Φ(z), the standard normal CDF.
 *
 * Through erfc: the tail beyond |z| is ½·erfc(|z|/√2) = ½·Q(½, z²/2) (Abramowitz &
 * Stegun 7.1.2 with 6.5.17), so small tails keep their relative precision: Φ(−8) is
 * 6.22e-16, not 0.
 *
 * @param {number} z
 * @returns {number} in [0, 1]
 */
export function normalCdf(z) {
  if (Number.isNaN(z)) throw new RangeError('normalCdf needs a number, got NaN');
  if (z === -Infinity) return 0;
  if (z === Infinity) return 1;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

/**
 * Φ⁻¹(p), the standard normal quantile.
 *
 * Starts from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) and polishes with Halley's
 * method on normalCdf, which converges cubically: two or three steps reach full
 * double precision. The lower half is solved directly and the upper half by symmetry,
 * so small p (1e-12) keep their precision.
 *
 * @param {number} p probability, 1e-300 <= p < 1
 * @returns {number}
 */
export function normalQuantile(p) {
  // Below 1e-300 the density under Halley's step underflows; no report needs z < −37.
  if (!(p >= 1e-300 && p < 1)) throw new RangeError(`normalQuantile needs 1e-300 <= p < 1, got ${p}`);
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = abramowitzStegun(p);
  for (let i = 0; i < 20; i++) {
    const error = normalCdf(x) - p;
    const u = error * SQRT_TWO_PI * Math.exp((x * x) / 2); // error / density
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/**
 * The z of a two-sided interval: zForConfidence(0.95) = Φ⁻¹(0.975) = 1.959964…
 *
 * @param {number} confidence 0 < confidence < 1
 */
export function zForConfidence(confidence) {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * The two-sided p-value of a standard normal statistic: 2·Φ(−|z|).
 *
 * @param {number} z
 */
export function twoSidedNormalPValue(z) {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/**
 * Abramowitz & Stegun 26.2.23: the lower-tail quantile for 0 < p <= 0.5.
 * @param {number} p
 */
function abramowitzStegun(p) {
  const t = Math.sqrt(-2 * Math.log(p));
  const numerator = 2.515517 + 0.802853 * t + 0.010328 * t * t;
  const denominator = 1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t;
  return -(t - numerator / denominator);
}
