// @ts-check
// The special functions behind every p-value, against closed forms (computed here, in
// the test, by other formulas) and published tables.
import { describe, expect, it } from 'vitest';
import { logGamma } from '../../src/stats/log-gamma.mjs';
import { regularizedGammaP, regularizedGammaQ } from '../../src/stats/incomplete-gamma.mjs';
import { regularizedBeta } from '../../src/stats/incomplete-beta.mjs';
import { expectRelativelyClose } from './support/close.mjs';

/** ln((n − 1)!) by summing logs. @param {number} n */
const logFactorialOfPredecessor = (n) => {
  let sum = 0;
  for (let i = 2; i < n; i++) sum += Math.log(i);
  return sum;
};

describe('logGamma', () => {
  it('is ln((n − 1)!) at the integers', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 100, 1000]) {
      expect(logGamma(n)).toBeCloseTo(logFactorialOfPredecessor(n), n < 100 ? 13 : 9);
    }
    expect(Math.exp(logGamma(10))).toBeCloseTo(362880, 7); // 9!
  });

  it('is ln √π at ½ and ln(√π / 2) at 3/2 (Abramowitz & Stegun 6.1.8, 6.1.9)', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });

  it('uses the reflection formula below ½: Γ(¼)Γ(¾) = π√2', () => {
    expect(logGamma(0.25) + logGamma(0.75)).toBeCloseTo(Math.log(Math.PI * Math.SQRT2), 13);
  });

  it('rejects x <= 0', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1.5)).toThrow(RangeError);
  });
});

describe('regularizedGammaP and Q', () => {
  it('are the exponential CDF and survival function at a = 1', () => {
    for (const x of [0.01, 0.5, 1, 2, 7, 30]) {
      expect(regularizedGammaP(1, x)).toBeCloseTo(-Math.expm1(-x), 14);
      expectRelativelyClose(regularizedGammaQ(1, x), Math.exp(-x), 1e-13);
    }
  });

  it('are Poisson tails at integer a: Q(n, x) = P(Poisson(x) < n)', () => {
    /** e^−x Σ_{i<n} x^i / i! @param {number} n @param {number} x */
    const poissonBelow = (n, x) => {
      let term = Math.exp(-x);
      let sum = term;
      for (let i = 1; i < n; i++) sum += (term *= x / i);
      return sum;
    };
    // Both branches: the series (x < a + 1) and the continued fraction (x >= a + 1).
    for (const [n, x] of [[5, 3], [5, 6], [10, 20], [3, 0.2], [30, 12], [12, 60]]) {
      expectRelativelyClose(regularizedGammaQ(n, x), poissonBelow(n, x), 1e-12);
      expect(regularizedGammaP(n, x) + regularizedGammaQ(n, x)).toBeCloseTo(1, 14);
    }
  });

  it('keeps the relative precision of a far tail: Q(½, 80) = 1.1314837902433038e-36 (scipy.stats.chi2.sf(160, 1))', () => {
    expectRelativelyClose(regularizedGammaQ(0.5, 80), 1.1314837902433038e-36, 1e-12);
  });

  it('has the limits at 0 and infinity, and rejects a <= 0 or x < 0', () => {
    expect([regularizedGammaP(2, 0), regularizedGammaQ(2, 0)]).toEqual([0, 1]);
    expect([regularizedGammaP(2, Infinity), regularizedGammaQ(2, Infinity)]).toEqual([1, 0]);
    expect(() => regularizedGammaQ(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaP(1, -1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, NaN)).toThrow(RangeError);
  });
});

describe('regularizedBeta', () => {
  it('is x^a when b = 1 and 1 − (1 − x)^b when a = 1', () => {
    for (const x of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(regularizedBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 14);
    }
  });

  it('is a binomial tail: I_p(k, n − k + 1) = P(Binomial(n, p) >= k)', () => {
    /** @param {number} n @param {number} p @param {number} k */
    const binomialAtLeast = (n, p, k) => {
      let sum = 0;
      let coefficient = 1; // C(n, i), built up from C(n, 0)
      for (let i = 0; i <= n; i++) {
        if (i >= k) sum += coefficient * p ** i * (1 - p) ** (n - i);
        coefficient = (coefficient * (n - i)) / (i + 1);
      }
      return sum;
    };
    for (const [n, p, k] of [[20, 0.3, 5], [20, 0.3, 12], [50, 0.9, 48], [100, 0.05, 1], [100, 0.05, 15]]) {
      expectRelativelyClose(regularizedBeta(p, k, n - k + 1), binomialAtLeast(n, p, k), 1e-11);
    }
  });

  it('is ½ at x = ½ when a = b, and I_x(a, b) + I_{1−x}(b, a) = 1', () => {
    expect(regularizedBeta(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 14);
    expect(regularizedBeta(0.2, 2.5, 40) + regularizedBeta(0.8, 40, 2.5)).toBeCloseTo(1, 14);
  });

  it('rejects x outside [0, 1] and non-positive a or b', () => {
    expect([regularizedBeta(0, 2, 3), regularizedBeta(1, 2, 3)]).toEqual([0, 1]);
    expect(() => regularizedBeta(1.5, 2, 3)).toThrow(RangeError);
    expect(() => regularizedBeta(0.5, 0, 3)).toThrow(RangeError);
  });
});
