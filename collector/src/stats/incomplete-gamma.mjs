// @ts-check
/**
 * The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), the
 * distribution functions behind the chi-square test and (through erfc) the normal.
 *
 * Numerical Recipes (Press et al., 3rd ed., §6.2): the power series converges fast
 * for x < a + 1, the continued fraction (modified Lentz) for x >= a + 1. Each side
 * computes the smaller of P and Q directly, so tail probabilities such as 1e-36
 * keep their relative precision instead of vanishing in 1 − (1 − ε).
 */
import { logGamma } from './log-gamma.mjs';

const EPSILON = Number.EPSILON;
const TINY = 1e-300; // stands in for a zero denominator in Lentz's method
const MAX_ITERATIONS = 10_000; // enough for a < 1e5; sqrt(a) terms are typical
const MAX_A = 1e5;

/**
 * P(a, x) = γ(a, x) / Γ(a), the lower regularized incomplete gamma function.
 *
 * @param {number} a shape, 0 < a <= 1e5
 * @param {number} x >= 0 (Infinity gives 1)
 * @returns {number} in [0, 1]
 */
export function regularizedGammaP(a, x) {
  checkArguments(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x), the upper regularized incomplete gamma
 * function: the survival function of a Gamma(a, 1) variable.
 *
 * @param {number} a shape, 0 < a <= 1e5
 * @param {number} x >= 0 (Infinity gives 0)
 * @returns {number} in [0, 1]
 */
export function regularizedGammaQ(a, x) {
  checkArguments(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/**
 * @param {number} a
 * @param {number} x
 */
function checkArguments(a, x) {
  if (!(a > 0 && a <= MAX_A)) throw new RangeError(`incomplete gamma needs 0 < a <= ${MAX_A}, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`incomplete gamma needs x >= 0, got ${x}`);
}

/** e^−x x^a / Γ(a), the factor both expansions share, computed in logs. */
function prefactor(/** @type {number} */ a, /** @type {number} */ x) {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/**
 * P(a, x) by its series: P = e^−x x^a / Γ(a) · Σ x^n / (a (a+1) ... (a+n)).
 * @param {number} a
 * @param {number} x
 */
function lowerSeries(a, x) {
  let denominator = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    denominator += 1;
    term *= x / denominator;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return sum * prefactor(a, x);
  }
  throw new Error(`incomplete gamma series did not converge for a = ${a}, x = ${x}`);
}

/**
 * Q(a, x) by Legendre's continued fraction, evaluated with the modified Lentz method.
 * @param {number} a
 * @param {number} x
 */
function upperContinuedFraction(a, x) {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return prefactor(a, x) * h;
  }
  throw new Error(`incomplete gamma continued fraction did not converge for a = ${a}, x = ${x}`);
}
