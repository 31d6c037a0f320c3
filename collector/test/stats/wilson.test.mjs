// @ts-check
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/stats/wilson.mjs';

describe('wilsonInterval', () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion:
  // comparison of seven methods", Stat Med 17:857–872, illustrative examples, method 3
  // (score interval without continuity correction), printed to four decimals. Also
  // found independently by solving the score equation (p̂ − p)² = z² p(1 − p)/n with
  // scipy.optimize.brentq: 81/263 → [0.25528852, 0.36620958].
  const newcombe = [
    { k: 81, n: 263, low: 0.2553, high: 0.3662 },
    { k: 15, n: 148, low: 0.0624, high: 0.1605 },
    { k: 0, n: 20, low: 0.0, high: 0.1611 },
    { k: 1, n: 29, low: 0.0061, high: 0.1718 },
  ];
  for (const { k, n, low, high } of newcombe) {
    it(`${k}/${n} → [${low}, ${high}] (Newcombe 1998)`, () => {
      const ci = /** @type {[number, number]} */ (wilsonInterval(k, n));
      expect(ci[0]).toBeCloseTo(low, 4);
      expect(ci[1]).toBeCloseTo(high, 4);
    });
  }

  it('at k = 0 is [0, z²/(n + z²)], the closed form, for any z', () => {
    // 99%: z = 2.5758293035489004, z² = 6.634896601021214; 0 of 20 → 6.634896601/26.634896601 = 0.2491054011
    const z = 2.5758293035489004;
    expect(wilsonInterval(0, 20, { z })).toEqual([0, expect.closeTo((z * z) / (20 + z * z), 15)]);
    expect(wilsonInterval(0, 20, { confidence: 0.99 })?.[1]).toBeCloseTo(0.2491054011, 9);
  });

  it('at k = n is [n/(n + z²), 1], the mirror of k = 0', () => {
    const z = 1.959963984540054;
    expect(wilsonInterval(20, 20)).toEqual([expect.closeTo(20 / (20 + z * z), 14), 1]);
  });

  it('by hand at 5 of 10 with z = 2: centre (5 + 2)/(10 + 4) = ½, half-width 2√(2.5 + 1)/14', () => {
    const half = (2 * Math.sqrt(3.5)) / 14; // 0.267261…
    const ci = /** @type {[number, number]} */ (wilsonInterval(5, 10, { z: 2 }));
    expect(ci[0]).toBeCloseTo(0.5 - half, 15);
    expect(ci[1]).toBeCloseTo(0.5 + half, 15);
  });

  it('is null with no sessions', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('narrows as the confidence falls', () => {
    const [low95, high95] = /** @type {[number, number]} */ (wilsonInterval(30, 200));
    const [low80, high80] = /** @type {[number, number]} */ (wilsonInterval(30, 200, { confidence: 0.8 }));
    expect(low80).toBeGreaterThan(low95);
    expect(high80).toBeLessThan(high95);
  });

  it('rejects impossible counts and a bad z', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, NaN)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, { z: 0 })).toThrow(RangeError);
  });
});
