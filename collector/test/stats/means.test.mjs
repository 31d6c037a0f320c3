// @ts-check
import { describe, expect, it } from 'vitest';
import { meanDifference, meanInterval, meanLift } from '../../src/stats/means.mjs';
import { momentsSummary } from '../../src/stats/summaries.mjs';

// GrowthBook's own test data for two sample means
// (packages/stats/tests/frequentist/test_tests.py, TestTwoSidedTTest):
// a = SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3407)
// b = SampleMeanStatistic(sum=2422.7,  sum_squares=134698.29,  n=3461)
const A = { n: 3407, sum: 1396.87, sumOfSquares: 52377.9767 };
const B = { n: 3461, sum: 2422.7, sumOfSquares: 134698.29 };

describe('meanInterval', () => {
  it('is the t interval of 1, 2, …, 10: 5.5 ± 2.262157 × 0.957427 (scipy.stats.t.interval)', () => {
    // n = 10, Σx = 55, Σx² = 385: s² = (385 − 302.5) / 9 = 9.1667, se = √(9.1667/10) = 0.957427
    const result = meanInterval({ n: 10, sum: 55, sumOfSquares: 385 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.mean).toBe(5.5);
    expect(result.se).toBeCloseTo(Math.sqrt(82.5 / 9 / 10), 14);
    expect(result.dof).toBe(9);
    expect(result.ci[0]).toBeCloseTo(3.334149410331831, 12);
    expect(result.ci[1]).toBeCloseTo(7.665850589668169, 12);
  });

  it('is [mean, mean] when every value is equal, and unavailable under two sessions', () => {
    expect(meanInterval({ n: 4, sum: 80, sumOfSquares: 1600 })).toMatchObject({ ok: true, mean: 20, ci: [20, 20] });
    expect(meanInterval({ n: 1, sum: 20, sumOfSquares: 400 })).toEqual({ ok: false, reason: 'needs at least two sessions' });
    expect(meanInterval({ n: 0, sum: 0, sumOfSquares: 0 })).toMatchObject({ ok: false });
  });
});

describe('meanDifference', () => {
  it("matches GrowthBook's absolute t-test: 0.29, ci (0.04538, 0.53462), se 0.12478, p 0.02016", () => {
    const result = meanDifference(A, B);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toBeCloseTo(0.29, 5);
    expect(result.ci[0]).toBeCloseTo(0.04538, 5);
    expect(result.ci[1]).toBeCloseTo(0.53462, 5);
    expect(result.se).toBeCloseTo(0.12478, 5);
    expect(result.pValue).toBeCloseTo(0.02016, 5);
  });

  it('is unavailable when neither group varies or a group has one session', () => {
    expect(meanDifference({ n: 5, sum: 0, sumOfSquares: 0 }, { n: 5, sum: 0, sumOfSquares: 0 })).toMatchObject({ ok: false, reason: expect.stringMatching(/no variation/) });
    expect(meanDifference({ n: 1, sum: 3, sumOfSquares: 9 }, B)).toMatchObject({ ok: false });
  });
});

describe('meanLift', () => {
  it("matches GrowthBook's relative t-test: 0.70732, ci (−0.03526, 1.44989), se 0.37879, p 0.06191", () => {
    const result = meanLift(A, B);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toBeCloseTo(0.70732, 5);
    expect(result.ci[0]).toBeCloseTo(-0.03526, 5);
    expect(result.ci[1]).toBeCloseTo(1.44989, 5);
    expect(result.se).toBeCloseTo(0.37879, 5);
    expect(result.pValue).toBeCloseTo(0.06191, 5);
  });

  it('is unavailable when the baseline mean is 0 (no revenue at all)', () => {
    expect(meanLift({ n: 50, sum: 0, sumOfSquares: 0 }, B)).toMatchObject({ ok: false, reason: expect.stringMatching(/baseline is 0/) });
  });
});

describe('momentsSummary', () => {
  it('uses the n − 1 sample variance and never goes negative by rounding', () => {
    expect(momentsSummary({ n: 10, sum: 55, sumOfSquares: 385 }).variance).toBeCloseTo(82.5 / 9, 14);
    // 3 × 0.1: Σx² − (Σx)²/n rounds to −1.04e-17
    expect(momentsSummary({ n: 3, sum: 0.1 + 0.1 + 0.1, sumOfSquares: 0.01 + 0.01 + 0.01 }).variance).toBe(0);
  });

  it('rejects impossible moments', () => {
    expect(() => momentsSummary({ n: -1, sum: 0, sumOfSquares: 0 })).toThrow(RangeError);
    expect(() => momentsSummary({ n: 2, sum: NaN, sumOfSquares: 0 })).toThrow(RangeError);
    expect(() => momentsSummary({ n: 2, sum: 1, sumOfSquares: -1 })).toThrow(RangeError);
  });
});
