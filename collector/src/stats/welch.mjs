// @ts-check
/**
 * Welch–Satterthwaite degrees of freedom for comparing two means with unequal variances.
 */

/** @typedef {import('./types.mjs').Summary} Summary */

/**
 * ν = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1))
 * (Welch 1947, Biometrika 34:28; Satterthwaite 1946). GrowthBook's TTest.dof uses
 * the same raw variances for relative lifts too (gbstats/frequentist/tests.py).
 *
 * @param {Summary} a n > 1
 * @param {Summary} b n > 1
 * @returns {number | null} null when both variances are 0 or a group has n <= 1
 */
export function welchDegreesOfFreedom(a, b) {
  if (a.n <= 1 || b.n <= 1) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const denominator = (va * va) / (a.n - 1) + (vb * vb) / (b.n - 1);
  if (!(denominator > 0)) return null;
  return ((va + vb) * (va + vb)) / denominator;
}
