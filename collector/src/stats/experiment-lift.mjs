// @ts-check
/**
 * The lift of an experiment variant's conversion rate over control's.
 */
import { relativeDifference } from './relative-difference.mjs';
import { proportionSummary } from './summaries.mjs';

/** @typedef {import('./types.mjs').Counts} Counts */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */
/** @typedef {import('./relative-difference.mjs').RelativeDifference} RelativeDifference */

/**
 * Relative lift of treatment over control, (p_t − p_c) / p_c, with its delta-method
 * interval and p-value, as GrowthBook's frequentist engine does for a binomial metric
 * (see relativeDifference; the variance of a rate is p(1 − p)).
 *
 * Unavailable when control has no conversions (the lift of anything over 0 is
 * undefined), when a variant's sessions all converted or none did (no variance), or
 * with fewer than two sessions in a variant.
 *
 * @param {Counts} control
 * @param {Counts} treatment
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {RelativeDifference | Unavailable}
 */
export function experimentLift(control, treatment, options = {}) {
  const c = proportionSummary(control);
  const t = proportionSummary(treatment);
  if (control.n > 0 && control.k === 0) return { ok: false, reason: 'control has no conversions' };
  return relativeDifference(c, t, options);
}
