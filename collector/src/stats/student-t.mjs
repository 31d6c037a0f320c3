// @ts-check
/**
 * Student's t distribution, for intervals and p-values of means and of lifts
 * (GrowthBook's frequentist engine uses t with Welch's degrees of freedom:
 * packages/stats/gbstats/frequentist/tests.py, TwoSidedTTest).
 */
import { regularizedBeta } from './incomplete-beta.mjs';
import { logGamma } from './log-gamma.mjs';
import { normalCdf, normalQuantile } from './normal.mjs';

// Beyond this many degrees of freedom t and the normal differ by less than 1e-8,
// and the incomplete beta's continued fraction would need thousands of terms.
const NORMAL_ABOVE_DOF = 1e7;

/**
 * P(T <= t) for T ~ t(dof). The tail beyond |t| is ½·I_{dof/(dof+t²)}(dof/2, ½)
 * (Abramowitz & Stegun 26.7.1 with 26.5.27), computed directly, so small tails keep
 * their relative precision.
 *
 * @param {number} t
 * @param {number} dof degrees of freedom, > 0 (need not be an integer: Welch's are not)
 * @returns {number} in [0, 1]
 */
export function studentTCdf(t, dof) {
  checkDof(dof);
  if (Number.isNaN(t)) throw new RangeError('studentTCdf needs a number, got NaN');
  if (dof > NORMAL_ABOVE_DOF) return normalCdf(t);
  if (t === -Infinity) return 0;
  if (t === Infinity) return 1;
  const tail = 0.5 * regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/**
 * The two-sided p-value of a t statistic: 2·P(T <= −|t|).
 *
 * @param {number} t
 * @param {number} dof
 */
export function twoSidedTPValue(t, dof) {
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), dof));
}

/**
 * The t quantile: the t with P(T <= t) = p. Newton's method on studentTCdf from the
 * normal quantile, kept inside a bracket that bisection shrinks when a step would
 * leave it, so heavy tails (dof = 1) cannot throw it off.
 *
 * @param {number} p 1e-300 <= p < 1
 * @param {number} dof > 0
 * @returns {number}
 */
export function studentTQuantile(p, dof) {
  checkDof(dof);
  if (!(p >= 1e-300 && p < 1)) throw new RangeError(`studentTQuantile needs 1e-300 <= p < 1, got ${p}`);
  if (dof > NORMAL_ABOVE_DOF) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, dof);
  // Solve for the upper half, t > 0: find a bracket [low, high] with cdf(high) >= p.
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, dof) < p) {
    low = high;
    high *= 2;
  }
  let t = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    const error = studentTCdf(t, dof) - p;
    if (error === 0) return t;
    if (error > 0) high = t;
    else low = t;
    let next = t - error / studentTDensity(t, dof);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/**
 * The two-sided t interval estimate ± t(1 − α/2, dof) · se, α = 1 − confidence.
 *
 * @param {number} estimate
 * @param {number} se its standard error
 * @param {number} dof degrees of freedom of se
 * @param {number} confidence 0 < confidence < 1
 * @returns {[low: number, high: number]}
 */
export function studentTInterval(estimate, se, dof, confidence) {
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, dof) * se;
  return [estimate - halfWidth, estimate + halfWidth];
}

/**
 * The t density, Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2).
 * @param {number} t
 * @param {number} dof
 */
function studentTDensity(t, dof) {
  const logNormalizer = logGamma((dof + 1) / 2) - logGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI);
  return Math.exp(logNormalizer - ((dof + 1) / 2) * Math.log1p((t * t) / dof));
}

/** @param {number} dof */
function checkDof(dof) {
  if (!(dof > 0)) throw new RangeError(`Student's t needs dof > 0, got ${dof}`);
}
