// @ts-check
/**
 * The regularized incomplete beta function I_x(a, b), behind Student's t distribution.
 *
 * Numerical Recipes (Press et al., 3rd ed., §6.4): the continued fraction converges
 * fast for x < (a + 1) / (a + b + 2); above it, the symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
 */
import { logGamma } from './log-gamma.mjs';

const EPSILON = Number.EPSILON;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000; // the fraction needs O(√max(a, b)) terms

/**
 * I_x(a, b) = B(x; a, b) / B(a, b).
 *
 * @param {number} x in [0, 1]
 * @param {number} a > 0
 * @param {number} b > 0
 * @returns {number} in [0, 1]
 */
export function regularizedBeta(x, a, b) {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 <= x <= 1, got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a;
  return 1 - (front * continuedFraction(1 - x, b, a)) / b;
}

/**
 * The continued fraction for I_x(a, b) (NR 6.4.5), by the modified Lentz method.
 * @param {number} x
 * @param {number} a
 * @param {number} b
 */
function continuedFraction(x, a, b) {
  let c = 1;
  let d = nonZero(1 - ((a + b) * x) / (a + 1));
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m))
    let numerator = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / nonZero(1 + numerator * d);
    c = nonZero(1 + numerator / c);
    h *= d * c;
    // odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / nonZero(1 + numerator * d);
    c = nonZero(1 + numerator / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new Error(`incomplete beta continued fraction did not converge for x = ${x}, a = ${a}, b = ${b}`);
}

/** @param {number} value */
function nonZero(value) {
  return Math.abs(value) < TINY ? TINY : value;
}
