// @ts-check
import { describe, expect, it } from 'vitest';
import { oddsChange } from '../../src/stats/odds-change.mjs';

describe('oddsChange', () => {
  it('reads an odds ratio of 0.93 (95%: 0.90 to 0.96) as 7% fewer (4% to 10%)', () => {
    const change = oddsChange(0.93, [0.9, 0.96]);
    expect(change.percent).toBeCloseTo(-7, 12);
    expect(change.ci[0]).toBeCloseTo(-10, 12);
    expect(change.ci[1]).toBeCloseTo(-4, 12);
    expect(change).toMatchObject({ direction: 'fewer', distinguishable: true, of: 'odds' });
  });

  it('reads 1.05 (0.98 to 1.12) as 5% more, not distinguishable from no change', () => {
    const change = oddsChange(1.05, [0.98, 1.12]);
    expect(change.percent).toBeCloseTo(5, 12);
    expect(change).toMatchObject({ direction: 'more', distinguishable: false });
    expect(oddsChange(1, [0.9, 1.1]).direction).toBe('no change');
  });

  it('turns odds into a rate at a baseline rate (Zhang & Yu 1998), by hand', () => {
    // p₀ = 0.05: RR = OR / (1 − p₀ + p₀·OR)
    //   0.93 / (0.95 + 0.0465) = 0.93 / 0.9965 = 0.933266…  → −6.6734%
    //   0.90 / (0.95 + 0.045)  = 0.90 / 0.995  = 0.904523…  → −9.5477%
    //   0.96 / (0.95 + 0.048)  = 0.96 / 0.998  = 0.961924…  → −3.8076%
    const change = oddsChange(0.93, [0.9, 0.96], { baselineRate: 0.05 });
    expect(change.percent).toBeCloseTo((0.93 / 0.9965 - 1) * 100, 12);
    expect(change.percent).toBeCloseTo(-6.6734, 4);
    expect(change.ci[0]).toBeCloseTo(-9.5477, 4);
    expect(change.ci[1]).toBeCloseTo(-3.8076, 4);
    expect(change.of).toBe('rate');
  });

  it('rejects odds ratios that are not positive and finite, and a baseline outside (0, 1)', () => {
    expect(() => oddsChange(0, [0, 1])).toThrow(RangeError);
    expect(() => oddsChange(1.2, [1, Infinity])).toThrow(RangeError);
    expect(() => oddsChange(NaN, [1, 2])).toThrow(RangeError);
    expect(() => oddsChange(1.2, [1, 2], { baselineRate: 1 })).toThrow(RangeError);
  });
});
