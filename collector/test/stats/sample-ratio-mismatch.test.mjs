// @ts-check
import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from '../../src/stats/sample-ratio-mismatch.mjs';
import { SRM_MIN_SESSIONS_PER_VARIANT, SRM_P_VALUE_THRESHOLD } from '../../src/stats/thresholds.mjs';
import { expectRelativelyClose } from './support/close.mjs';
import { seededRandom } from './support/random.mjs';

describe('sampleRatioMismatch', () => {
  it("uses GrowthBook's thresholds: p < 0.001, 8 sessions per variant (packages/shared/src/constants.ts)", () => {
    expect(SRM_P_VALUE_THRESHOLD).toBe(0.001);
    expect(SRM_MIN_SESSIONS_PER_VARIANT).toBe(8);
  });

  it('flags a 52/48 split of 100,000 sessions meant to be 50/50', () => {
    // by hand: expected 50,000 each, χ² = 2 × 2000² / 50000 = 160, df 1
    // p = scipy.stats.chisquare([52000, 48000]).pvalue = 1.1314837902433038e-36
    const result = sampleRatioMismatch([52_000, 48_000]);
    expect(result).toMatchObject({ status: 'mismatch', flagged: true, df: 1 });
    expect(result.chiSquare).toBeCloseTo(160, 10);
    expectRelativelyClose(/** @type {number} */ (result.pValue), 1.1314837902433038e-36, 1e-12);
  });

  it('passes a fair split: 50,112 / 49,888', () => {
    // χ² = 2 × 112² / 50000 = 0.50176, p = 0.4787278126181185 (scipy.stats.chisquare)
    const result = sampleRatioMismatch([50_112, 49_888]);
    expect(result).toMatchObject({ status: 'balanced', flagged: false });
    expect(result.chiSquare).toBeCloseTo(0.50176, 12);
    expect(result.pValue).toBeCloseTo(0.4787278126181185, 12);
  });

  it('flags a planted 52% assignment of 100,000 simulated sessions, and passes a fair one', () => {
    /** @param {number} share @param {number} seed */
    const assign = (share, seed) => {
      const random = seededRandom(seed);
      const counts = [0, 0];
      for (let i = 0; i < 100_000; i++) counts[random() < share ? 0 : 1]++;
      return counts;
    };
    expect(sampleRatioMismatch(assign(0.52, 1)).flagged).toBe(true);
    // A fair split is flagged one time in a thousand; these seeds are fixed, not chosen.
    for (const seed of [1, 2, 3]) expect(sampleRatioMismatch(assign(0.5, seed)).flagged).toBe(false);
  });

  it('tests against declared weights: 9,120 / 880 meant to be 90/10', () => {
    // expected 9000 / 1000: χ² = 120²/9000 + 120²/1000 = 1.6 + 14.4 = 16
    // p = scipy.stats.chisquare([9120, 880], [9000, 1000]).pvalue = 6.334248366623988e-05
    const result = sampleRatioMismatch([9120, 880], { weights: [90, 10] });
    expect(result.chiSquare).toBeCloseTo(16, 10);
    expectRelativelyClose(/** @type {number} */ (result.pValue), 6.334248366623988e-5, 1e-10);
    expect(result.flagged).toBe(true);
    // the same counts read as an equal split are far worse
    expect(/** @type {number} */ (sampleRatioMismatch([9120, 880]).pValue)).toBeLessThan(1e-100);
  });

  it('has df = variants − 1: three variants at 3400/3300/3300 give χ² = 2 and p = e^−1', () => {
    // expected 3333.3 each: (66.7² + 33.3² + 33.3²) / 3333.3 = 2; at df 2 the tail is e^(−χ²/2)
    const result = sampleRatioMismatch([3400, 3300, 3300]);
    expect(result.df).toBe(2);
    expect(result.chiSquare).toBeCloseTo(2, 12);
    expect(result.pValue).toBeCloseTo(Math.exp(-1), 13);
  });

  it('does not judge under 8 sessions per variant, even at p = 1.1e-4', () => {
    // [15, 0]: χ² = 2 × 7.5²/7.5 = 15, p = 1.0751117672950066e-4 (scipy) < 0.001, but 15 < 16
    const result = sampleRatioMismatch([15, 0]);
    expect(result).toMatchObject({ status: 'too-few-sessions', flagged: false });
    expectRelativelyClose(/** @type {number} */ (result.pValue), 1.0751117672950066e-4, 1e-10);
  });

  it('answers without numbers for no sessions or a single variant', () => {
    expect(sampleRatioMismatch([0, 0])).toEqual({ status: 'too-few-sessions', flagged: false, chiSquare: null, df: 1, pValue: null });
    expect(sampleRatioMismatch([500])).toEqual({ status: 'too-few-variants', flagged: false, chiSquare: null, df: 0, pValue: null });
  });

  it('rejects weights that do not match the counts, and non-positive weights', () => {
    expect(() => sampleRatioMismatch([10, 10], { weights: [1] })).toThrow(RangeError);
    expect(() => sampleRatioMismatch([10, 10], { weights: [1, 0] })).toThrow(RangeError);
    expect(() => sampleRatioMismatch([10, -1])).toThrow(RangeError);
  });
});
