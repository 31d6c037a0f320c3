// @ts-check
import { describe, expect, it } from 'vitest';
import { compareRates } from '../../src/stats/compare-rates.mjs';
import { MIN_CONVERSIONS_TO_COMPARE } from '../../src/stats/thresholds.mjs';

describe('compareRates', () => {
  it("says too few sessions below GrowthBook's 150 conversions, even with p = 1.2e-8", () => {
    expect(MIN_CONVERSIONS_TO_COMPARE).toBe(150); // DEFAULT_MIN_SAMPLE_SIZE, growthbook packages/shared/src/constants.ts
    const result = compareRates({ k: 51, n: 200 }, { k: 10, n: 200 });
    expect(result.verdict).toBe('too-few-sessions');
    expect(result.direction).toBeNull();
    expect(result.reason).toMatch(/150/);
    // The numbers stay, for a report that greys them out.
    expect(result.ratio).toBeCloseTo(5.1, 12);
    expect(result.pValue).toBeLessThan(1e-7);
  });

  it('compares below 150 when the caller lowers the minimum', () => {
    expect(compareRates({ k: 51, n: 200 }, { k: 10, n: 200 }, { minConversions: 10 })).toMatchObject({ verdict: 'distinguishable', direction: 'higher' });
  });

  it('needs a conversion in each group, as GrowthBook does (hasEnoughData)', () => {
    expect(compareRates({ k: 0, n: 5000 }, { k: 400, n: 5000 }).verdict).toBe('too-few-sessions');
  });

  it('calls 300/1000 against 150/1000 distinguishable, twice as often (chi-square p = 9.6e-16, scipy)', () => {
    const result = compareRates({ k: 300, n: 1000 }, { k: 150, n: 1000 });
    expect(result).toMatchObject({ verdict: 'distinguishable', direction: 'higher', corrected: false, reason: null });
    expect(result.ratio).toBeCloseTo(2, 14);
    expect(compareRates({ k: 150, n: 1000 }, { k: 300, n: 1000 })).toMatchObject({ verdict: 'distinguishable', direction: 'lower' });
  });

  it('calls 160/1000 against 150/1000 indistinguishable (p = 0.5367, scipy)', () => {
    const result = compareRates({ k: 160, n: 1000 }, { k: 150, n: 1000 });
    expect(result.verdict).toBe('indistinguishable');
    expect(result.pValue).toBeCloseTo(0.5366669543992779, 12);
    expect(result.ci?.[0]).toBeLessThan(1);
  });

  it('says indistinguishable where the z-test (p = 0.0496) and the Katz interval (low 0.99967) disagree', () => {
    // 150/1000 against 120/1000: scipy chi2_contingency p = 0.049640386865368834 < 0.05,
    // while the Katz interval's low end is 0.999673 < 1. The verdict errs to "no difference".
    const result = compareRates({ k: 150, n: 1000 }, { k: 120, n: 1000 });
    expect(result.pValue).toBeCloseTo(0.049640386865368834, 12);
    expect(result.ci?.[0]).toBeCloseTo(0.999673327758014, 10);
    expect(result.verdict).toBe('indistinguishable');
  });

  it('says indistinguishable where the Katz interval excludes 1 (low 1.00026) but p = 0.051', () => {
    // 25/300 against 167/3000: the Katz interval is [1.0002603049921328, 2.2404437294921884]
    // (scipy relative_risk), while chi2_contingency(correction=False) gives p = 0.05095734829875255.
    const result = compareRates({ k: 25, n: 300 }, { k: 167, n: 3000 });
    expect(result.ci?.[0]).toBeCloseTo(1.0002603049921328, 10);
    expect(result.pValue).toBeCloseTo(0.05095734829875255, 12);
    expect(result.verdict).toBe('indistinguishable');
  });

  it('gives no p-value, with a reason, when every session converted', () => {
    const result = compareRates({ k: 200, n: 200 }, { k: 300, n: 300 });
    expect(result).toMatchObject({ verdict: 'indistinguishable', pValue: null, corrected: true, reason: 'every session converted in both groups' });
  });
});
