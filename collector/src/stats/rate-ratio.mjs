// @ts-check
/**
 * The ratio of two rates ("sessions that reached X converted 5.1× as often") with its interval.
 */
import { zForConfidence } from './normal.mjs';
import { assertConfidence, assertCounts } from './validate.mjs';

/** @typedef {import('./types.mjs').Counts} Counts */
/** @typedef {import('./types.mjs').Interval} Interval */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */

/**
 * rate(a) / rate(b) with the Katz log interval (Katz et al. 1978, Biometrics 34:469):
 *
 *   ln RR ± z √(1/k_a − 1/n_a + 1/k_b − 1/n_b)
 *
 * When any cell of the 2×2 table is empty (k = 0 or k = n in either group), 0.5 is
 * added to every cell first, i.e. k + 0.5 of n + 1 (Haldane 1956, Ann Hum Genet 20:309;
 * Anscombe 1956, Biometrika 43:461): without it a zero makes the
 * ratio 0 or infinite and the interval unbounded. `corrected` says when that happened,
 * so the report can say the ratio is rough. Assumes independent sessions; the interval
 * is a large-sample one.
 *
 * @param {Counts} a the group the sentence is about ("sessions that reached X")
 * @param {Counts} b the group it is compared with ("sessions that did not")
 * @param {{ confidence?: number }} [options] default 0.95
 * @returns {{ ok: true, ratio: number, ci: Interval, corrected: boolean } | Unavailable}
 */
export function rateRatio(a, b, { confidence = 0.95 } = {}) {
  assertCounts(a.k, a.n, 'rateRatio a');
  assertCounts(b.k, b.n, 'rateRatio b');
  assertConfidence(confidence);
  if (a.n === 0 || b.n === 0) return { ok: false, reason: 'a group has no sessions' };
  if (a.k === 0 && b.k === 0) return { ok: false, reason: 'no conversions in either group' };
  const corrected = hasEmptyCell(a) || hasEmptyCell(b);
  const [ka, na, kb, nb] = corrected ? [a.k + 0.5, a.n + 1, b.k + 0.5, b.n + 1] : [a.k, a.n, b.k, b.n];
  const logRatio = Math.log(ka / na) - Math.log(kb / nb);
  const se = Math.sqrt(1 / ka - 1 / na + 1 / kb - 1 / nb);
  const z = zForConfidence(confidence);
  return { ok: true, ratio: Math.exp(logRatio), ci: [Math.exp(logRatio - z * se), Math.exp(logRatio + z * se)], corrected };
}

/** @param {Counts} group */
function hasEmptyCell(group) {
  return group.k === 0 || group.k === group.n;
}
