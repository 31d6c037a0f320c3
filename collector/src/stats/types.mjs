// @ts-check
/**
 * Shapes shared by the statistics modules. Types only: this module exports no values.
 *
 * @typedef {[low: number, high: number]} Interval
 *   A two-sided confidence interval, low <= high.
 * @typedef {{ k: number, n: number }} Counts
 *   k of n: conversions (k) among sessions (n), 0 <= k <= n.
 * @typedef {{ n: number, sum: number, sumOfSquares: number }} Moments
 *   What SQL can aggregate about a per-session value (revenue): count, Σx and Σx².
 * @typedef {{ n: number, mean: number, variance: number }} Summary
 *   A sample's size, mean and variance, the input of the t-based comparisons.
 * @typedef {{ ok: false, reason: string }} Unavailable
 *   Returned instead of a number that would be NaN, Infinity or meaningless; `reason`
 *   is a plain-English phrase the report can show ("control has no conversions").
 */
export {};
