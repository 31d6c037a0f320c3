// @ts-check
/**
 * The two-proportion z-test: are two rates distinguishable from equal?
 */
import { twoSidedNormalPValue } from './normal.mjs';
import { assertCounts } from './validate.mjs';

/** @typedef {import('./types.mjs').Counts} Counts */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */

/**
 * The pooled two-proportion z-test of H0: rate(a) = rate(b), two-sided.
 *
 *   p = (k_a + k_b) / (n_a + n_b),  z = (k_a/n_a − k_b/n_b) / √(p (1 − p) (1/n_a + 1/n_b))
 *
 * The score test for two proportions; z² equals Pearson's chi-square of the 2×2 table
 * without continuity correction (Agresti, Categorical Data Analysis).
 * Unlike a Wald test on the log ratio it is defined when one group has no conversions.
 * Assumes independent sessions and a normal approximation (at least ~5 conversions and
 * ~5 non-conversions expected per group).
 *
 * @param {Counts} a
 * @param {Counts} b
 * @returns {{ ok: true, z: number, pValue: number } | Unavailable}
 */
export function twoProportionZTest(a, b) {
  assertCounts(a.k, a.n, 'twoProportionZTest a');
  assertCounts(b.k, b.n, 'twoProportionZTest b');
  if (a.n === 0 || b.n === 0) return { ok: false, reason: 'a group has no sessions' };
  const pooled = (a.k + b.k) / (a.n + b.n);
  const variance = pooled * (1 - pooled) * (1 / a.n + 1 / b.n);
  if (!(variance > 0)) return { ok: false, reason: pooled === 0 ? 'no conversions in either group' : 'every session converted in both groups' };
  const z = (a.k / a.n - b.k / b.n) / Math.sqrt(variance);
  return { ok: true, z, pValue: twoSidedNormalPValue(z) };
}
