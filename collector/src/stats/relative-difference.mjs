// @ts-check
/**
 * The relative difference of two means, (b − a) / |a|, with a delta-method interval:
 * the lift of an experiment's variant, or how much more revenue per session a group brings.
 */
import { studentTInterval, twoSidedTPValue } from './student-t.mjs';
import { assertConfidence } from './validate.mjs';
import { welchDegreesOfFreedom } from './welch.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */
/** @typedef {import('./types.mjs').Summary} Summary */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */

/**
 * @typedef {object} RelativeDifference
 * @property {true} ok
 * @property {number} value (mean_b − mean_a) / |mean_a|; 0.12 reads "12% higher"
 * @property {Interval} ci value ± t(1 − α/2, ν) · se
 * @property {number} se the delta-method standard error
 * @property {number} dof Welch's degrees of freedom ν
 * @property {number} pValue two-sided, of H0: no difference
 */

/**
 * The relative difference of b's mean against a's (the baseline, or control), as
 * GrowthBook's frequentist engine computes it (gbstats: frequentist_diff,
 * frequentist_variance → variance_of_ratios, TwoSidedTTest):
 *
 *   value = (m_b − m_a) / |m_a|
 *   se²   = (v_b / n_b) / m_a² + (v_a / n_a) · m_b² / m_a⁴   (delta method, a and b independent)
 *
 * with a Student t interval and p-value on Welch's degrees of freedom. Like GrowthBook
 * it declines when either group has no variance (all 0 or all converted: the
 * delta method's normal approximation has nothing to stand on) or the baseline mean is 0.
 * Assumes independent units and means near normal (large samples).
 *
 * @param {Summary} a baseline (control)
 * @param {Summary} b compared (treatment)
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {RelativeDifference | Unavailable}
 */
export function relativeDifference(a, b, { confidence = 0.95 } = {}) {
  assertConfidence(confidence);
  if (a.n < 2 || b.n < 2) return { ok: false, reason: 'each group needs at least two sessions' };
  if (a.mean === 0) return { ok: false, reason: 'the baseline is 0, so a relative change is undefined' };
  if (!(a.variance > 0) || !(b.variance > 0)) return { ok: false, reason: 'a group has no variation (every session alike)' };
  const value = (b.mean - a.mean) / Math.abs(a.mean);
  const variance = b.variance / b.n / a.mean ** 2 + ((a.variance / a.n) * b.mean ** 2) / a.mean ** 4;
  const se = Math.sqrt(variance);
  const dof = /** @type {number} both variances are > 0 here */ (welchDegreesOfFreedom(a, b));
  return { ok: true, value, ci: studentTInterval(value, se, dof, confidence), se, dof, pValue: twoSidedTPValue(value / se, dof) };
}
