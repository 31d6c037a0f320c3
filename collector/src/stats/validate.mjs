// @ts-check
/**
 * Argument checks shared by the statistics modules. They throw RangeError on input
 * no caller should send (k > n, negative counts, NaN): those are bugs upstream, and
 * a loud error in a test beats a silent NaN in a report. Data that is merely too
 * thin to say anything (n = 0, no conversions) is not an error: the modules return
 * null or `{ ok: false, reason }` for it.
 */

/**
 * @param {number} k conversions
 * @param {number} n sessions
 * @param {string} [label] names the argument in the message
 */
export function assertCounts(k, n, label = 'counts') {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${label}: n must be a finite number >= 0, got ${n}`);
  if (!Number.isFinite(k) || k < 0 || k > n) throw new RangeError(`${label}: k must be between 0 and n = ${n}, got ${k}`);
}

/** @param {number} confidence a level such as 0.95 */
export function assertConfidence(confidence) {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
}

/**
 * @param {number} value
 * @param {string} label
 */
export function assertFinite(value, label) {
  if (!Number.isFinite(value)) throw new RangeError(`${label} must be a finite number, got ${value}`);
}
