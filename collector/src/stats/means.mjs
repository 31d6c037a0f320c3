// @ts-check
/**
 * Means of a per-session value (revenue per session) with intervals, and how two differ.
 */
import { relativeDifference } from './relative-difference.mjs';
import { studentTInterval, twoSidedTPValue } from './student-t.mjs';
import { momentsSummary } from './summaries.mjs';
import { assertConfidence } from './validate.mjs';
import { welchDegreesOfFreedom } from './welch.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */
/** @typedef {import('./types.mjs').Moments} Moments */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */
/** @typedef {import('./relative-difference.mjs').RelativeDifference} RelativeDifference */

/**
 * The mean of a value with its Student t interval, mean ± t(1 − α/2, n − 1) · s/√n,
 * from n, Σx and Σx² (s² with denominator n − 1).
 *
 * t, not the normal: it is exact for normal data and slightly wider for small n.
 * Revenue per session is far from normal (most sessions bring 0), so the interval
 * leans on the central limit theorem and is trustworthy only with many sessions and
 * some tens of orders. When every value is equal the interval is [mean, mean].
 *
 * @param {Moments} moments
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {{ ok: true, mean: number, ci: Interval, se: number, dof: number } | Unavailable}
 */
export function meanInterval(moments, { confidence = 0.95 } = {}) {
  assertConfidence(confidence);
  const { n, mean, variance } = momentsSummary(moments);
  if (n < 2) return { ok: false, reason: 'needs at least two sessions' };
  const se = Math.sqrt(variance / n);
  return { ok: true, mean, ci: studentTInterval(mean, se, n - 1, confidence), se, dof: n - 1 };
}

/**
 * mean(b) − mean(a) by Welch's t (Welch 1947): se = √(s_a²/n_a + s_b²/n_b), interval
 * and p-value from t on Welch–Satterthwaite degrees of freedom; GrowthBook's absolute
 * TwoSidedTTest. For "sessions that reached X brought $3.20 more per session".
 * Assumptions as meanInterval's; the groups are independent.
 *
 * @param {Moments} a baseline ("sessions that did not reach X")
 * @param {Moments} b compared ("sessions that reached X")
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {{ ok: true, value: number, ci: Interval, se: number, dof: number, pValue: number } | Unavailable}
 */
export function meanDifference(a, b, { confidence = 0.95 } = {}) {
  assertConfidence(confidence);
  const sa = momentsSummary(a);
  const sb = momentsSummary(b);
  if (sa.n < 2 || sb.n < 2) return { ok: false, reason: 'each group needs at least two sessions' };
  const dof = welchDegreesOfFreedom(sa, sb);
  if (dof === null) return { ok: false, reason: 'no variation in either group (every session alike)' };
  const value = sb.mean - sa.mean;
  const se = Math.sqrt(sa.variance / sa.n + sb.variance / sb.n);
  return { ok: true, value, ci: studentTInterval(value, se, dof, confidence), se, dof, pValue: twoSidedTPValue(value / se, dof) };
}

/**
 * (mean(b) − mean(a)) / mean(a), the ratio of two means minus one, with a delta-method
 * interval (see relativeDifference): "sessions that reached X brought 70% more per
 * session (95%: −4% to 145%)". Add 1 to value and interval for "1.7× as much".
 *
 * @param {Moments} a baseline
 * @param {Moments} b compared
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {RelativeDifference | Unavailable}
 */
export function meanLift(a, b, options = {}) {
  return relativeDifference(momentsSummary(a), momentsSummary(b), options);
}
