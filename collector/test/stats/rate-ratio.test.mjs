// @ts-check
import { describe, expect, it } from 'vitest';
import { rateRatio } from '../../src/stats/rate-ratio.mjs';
import { twoProportionZTest } from '../../src/stats/two-proportion-z-test.mjs';
import { expectRelativelyClose } from './support/close.mjs';

describe('rateRatio', () => {
  // scipy 1.17.1: scipy.stats.contingency.relative_risk(k_a, n_a, k_b, n_b)
  // .confidence_interval(0.95), which is the Katz log interval.
  it('51/200 against 10/200: 5.1× as often, 95% [2.665399062851535, 9.758388664012513] (scipy)', () => {
    const result = rateRatio({ k: 51, n: 200 }, { k: 10, n: 200 });
    expect(result).toMatchObject({ ok: true, corrected: false });
    if (!result.ok) return;
    expect(result.ratio).toBeCloseTo(5.1, 12);
    expect(result.ci[0]).toBeCloseTo(2.665399062851535, 12);
    expect(result.ci[1]).toBeCloseTo(9.758388664012513, 12);
  });

  it('30/100 against 20/100: 1.5×, 95% [0.9159608293223659, 2.456436921723568] (scipy)', () => {
    const result = rateRatio({ k: 30, n: 100 }, { k: 20, n: 100 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.ratio).toBeCloseTo(1.5, 12);
    expect(result.ci[0]).toBeCloseTo(0.9159608293223659, 12);
    expect(result.ci[1]).toBeCloseTo(2.456436921723568, 12);
  });

  it('adds 0.5 to every cell when a group has no conversions, by hand', () => {
    // 0/50 against 5/50 → 0.5/51 against 5.5/51: RR = 0.5/5.5 = 1/11 = 0.0909…
    // se = √(1/0.5 − 1/51 + 1/5.5 − 1/51) = √2.14260249… = 1.46376312…
    // 95%: exp(ln(1/11) ± 1.95996398 × 1.46376312) = [0.00516000213, 1.60163941720]
    const result = rateRatio({ k: 0, n: 50 }, { k: 5, n: 50 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.corrected).toBe(true);
    expect(result.ratio).toBeCloseTo(1 / 11, 14);
    expect(result.ci[0]).toBeCloseTo(0.005160002133539396, 12);
    expect(result.ci[1]).toBeCloseTo(1.6016394172008848, 12);
  });

  it('corrects when every session of a group converted, which alone would leave no variance', () => {
    const result = rateRatio({ k: 10, n: 10 }, { k: 10, n: 10 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.corrected).toBe(true);
    expect(result.ratio).toBe(1);
    expect(result.ci[0]).toBeLessThan(1);
    expect(result.ci[1]).toBeGreaterThan(1);
  });

  it('is unavailable, with a reason, for no sessions or no conversions at all', () => {
    expect(rateRatio({ k: 0, n: 0 }, { k: 3, n: 10 })).toEqual({ ok: false, reason: 'a group has no sessions' });
    expect(rateRatio({ k: 0, n: 40 }, { k: 0, n: 10 })).toEqual({ ok: false, reason: 'no conversions in either group' });
  });

  it('rejects impossible counts', () => {
    expect(() => rateRatio({ k: 11, n: 10 }, { k: 1, n: 10 })).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  // Its p-value is Pearson's chi-square test of the 2×2 table without continuity
  // correction: scipy.stats.chi2_contingency(table, correction=False)[1].
  it('30/100 against 20/100: p = 0.10247043485974942 (scipy)', () => {
    const result = twoProportionZTest({ k: 30, n: 100 }, { k: 20, n: 100 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.pValue).toBeCloseTo(0.10247043485974942, 13);
    // by hand: pooled 0.25, se = √(0.25 × 0.75 × 0.02) = 0.0612372, z = 0.1 / se
    expect(result.z).toBeCloseTo(0.1 / Math.sqrt(0.25 * 0.75 * 0.02), 13);
  });

  it('51/200 against 10/200: p = 1.1821045042259228e-08 (scipy), z negative when a is lower', () => {
    const result = twoProportionZTest({ k: 51, n: 200 }, { k: 10, n: 200 });
    if (!result.ok) throw new Error(result.reason);
    expectRelativelyClose(result.pValue, 1.1821045042259228e-8, 1e-10);
    const swapped = twoProportionZTest({ k: 10, n: 200 }, { k: 51, n: 200 });
    expect(swapped.ok && swapped.z).toBeCloseTo(-result.z, 14);
  });

  it('is defined when one group has no conversions', () => {
    const result = twoProportionZTest({ k: 0, n: 50 }, { k: 5, n: 50 });
    expect(result.ok).toBe(true);
  });

  it('is unavailable without variation or without sessions', () => {
    expect(twoProportionZTest({ k: 0, n: 50 }, { k: 0, n: 50 })).toEqual({ ok: false, reason: 'no conversions in either group' });
    expect(twoProportionZTest({ k: 5, n: 5 }, { k: 9, n: 9 })).toEqual({ ok: false, reason: 'every session converted in both groups' });
    expect(twoProportionZTest({ k: 0, n: 0 }, { k: 9, n: 9 })).toEqual({ ok: false, reason: 'a group has no sessions' });
  });
});
