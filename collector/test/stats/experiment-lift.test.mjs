// @ts-check
import { describe, expect, it } from 'vitest';
import { experimentLift } from '../../src/stats/experiment-lift.mjs';
import { welchDegreesOfFreedom } from '../../src/stats/welch.mjs';

describe('experimentLift', () => {
  it("matches GrowthBook's own test of a binomial relative lift: 14/28 control, 16/30 treatment", () => {
    // growthbook packages/stats/tests/frequentist/test_tests.py, test_two_sided_ttest_binom:
    // expected 0.06667, ci (−0.47767, 0.61101), stddev 0.2717, pValue 0.80707 (5 decimals).
    const result = experimentLift({ k: 14, n: 28 }, { k: 16, n: 30 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toBeCloseTo(0.06667, 5);
    expect(result.ci[0]).toBeCloseTo(-0.47767, 5);
    expect(result.ci[1]).toBeCloseTo(0.61101, 5);
    expect(result.se).toBeCloseTo(0.2717, 4);
    expect(result.pValue).toBeCloseTo(0.80707, 5);
  });

  it('by hand: 100/1000 control, 120/1000 treatment', () => {
    // lift = (0.12 − 0.10) / 0.10 = 0.2
    // se² = (0.12 × 0.88 / 1000) / 0.1² + (0.1 × 0.9 / 1000) × 0.12² / 0.1⁴
    //     = 0.01056 + 0.01296 = 0.02352, se = 0.153362316
    // Welch: ν = (0.0001056 + 0.00009)² / (0.0001056²/(1000² × 999) + 0.00009²/(1000² × 999)) = 1985.3714564
    // t(0.975, 1985.37) = 1.9611595762 (scipy.stats.t.ppf), half-width 0.3007679748
    // p = 2 × t.sf(0.2 / 0.153362316, 1985.37) = 0.192350207 (scipy)
    const result = experimentLift({ k: 100, n: 1000 }, { k: 120, n: 1000 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toBeCloseTo(0.2, 14);
    expect(result.se).toBeCloseTo(Math.sqrt(0.02352), 14);
    expect(result.dof).toBeCloseTo(1985.3714563542528, 8);
    expect(result.ci[0]).toBeCloseTo(-0.10076797484835615, 10);
    expect(result.ci[1]).toBeCloseTo(0.5007679748483562, 10);
    expect(result.pValue).toBeCloseTo(0.19235020701505556, 10);
  });

  it('is negative when treatment converts less, and its interval moves with it', () => {
    const result = experimentLift({ k: 120, n: 1000 }, { k: 100, n: 1000 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toBeCloseTo(-1 / 6, 14);
    expect(result.ci[1]).toBeGreaterThan(0);
  });

  it('is unavailable when control has no conversions', () => {
    expect(experimentLift({ k: 0, n: 500 }, { k: 12, n: 500 })).toEqual({ ok: false, reason: 'control has no conversions' });
  });

  it('is unavailable when a variant has no variance, as in GrowthBook (ZERO_NEGATIVE_VARIANCE)', () => {
    expect(experimentLift({ k: 12, n: 500 }, { k: 0, n: 500 })).toMatchObject({ ok: false, reason: expect.stringMatching(/no variation/) });
    expect(experimentLift({ k: 12, n: 500 }, { k: 500, n: 500 })).toMatchObject({ ok: false });
  });

  it('is unavailable with fewer than two sessions in a variant', () => {
    expect(experimentLift({ k: 0, n: 0 }, { k: 3, n: 10 })).toMatchObject({ ok: false, reason: expect.stringMatching(/two sessions/) });
    expect(experimentLift({ k: 3, n: 10 }, { k: 1, n: 1 })).toMatchObject({ ok: false });
  });
});

describe('welchDegreesOfFreedom', () => {
  it('is n_a + n_b − 2 for equal sizes and variances', () => {
    // (2v/n)² / (2 (v/n)² / (n − 1)) = 2(n − 1)
    expect(welchDegreesOfFreedom({ n: 50, mean: 0, variance: 4 }, { n: 50, mean: 1, variance: 4 })).toBeCloseTo(98, 12);
  });

  it('is null without variance or with a group of one', () => {
    expect(welchDegreesOfFreedom({ n: 50, mean: 0, variance: 0 }, { n: 50, mean: 1, variance: 0 })).toBeNull();
    expect(welchDegreesOfFreedom({ n: 1, mean: 0, variance: 1 }, { n: 50, mean: 1, variance: 1 })).toBeNull();
  });
});
