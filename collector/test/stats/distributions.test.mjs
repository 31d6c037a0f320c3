// @ts-check
// Normal, chi-square and Student t, against published tables, closed forms and scipy.
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, twoSidedNormalPValue, zForConfidence } from '../../src/stats/normal.mjs';
import { chiSquareSurvival } from '../../src/stats/chi-square.mjs';
import { studentTCdf, studentTInterval, studentTQuantile, twoSidedTPValue } from '../../src/stats/student-t.mjs';
import { expectRelativelyClose } from './support/close.mjs';

describe('normalCdf', () => {
  it('matches Abramowitz & Stegun Table 26.1 and scipy.stats.norm.cdf', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 15);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 15);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
  });

  it('keeps far tails: Φ(−8) = 6.22096057427174e-16 (scipy), not 0', () => {
    expectRelativelyClose(normalCdf(-8), 6.22096057427174e-16, 1e-12);
  });

  it('is 0 and 1 at the infinities and rejects NaN', () => {
    expect([normalCdf(-Infinity), normalCdf(Infinity)]).toEqual([0, 1]);
    expect(() => normalCdf(NaN)).toThrow(RangeError);
  });

  it('gives two-sided p-values: 1.96 → 0.05, 0 → 1', () => {
    expect(twoSidedNormalPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedNormalPValue(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedNormalPValue(0)).toBe(1);
  });
});

describe('normalQuantile', () => {
  it('matches the standard critical values (scipy.stats.norm.ppf)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 13);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 13);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536269514722, 13);
    expect(zForConfidence(0.95)).toBeCloseTo(1.959963984540054, 13);
  });

  it('inverts normalCdf across the range', () => {
    for (const p of [1e-12, 1e-5, 0.01, 0.2, 0.5, 0.7, 0.99, 0.999999]) {
      expectRelativelyClose(normalCdf(normalQuantile(p)), p, 1e-12);
    }
  });

  it('rejects p outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
});

describe('chiSquareSurvival', () => {
  // Critical values, NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.4
  // (upper-tail critical values of the chi-square distribution). Printed to three
  // decimals, so the p-value is matched to 0.1%.
  const table = [
    { df: 1, x: 3.841, p: 0.05 },
    { df: 1, x: 6.635, p: 0.01 },
    { df: 1, x: 10.828, p: 0.001 },
    { df: 2, x: 5.991, p: 0.05 },
    { df: 2, x: 9.21, p: 0.01 },
    { df: 2, x: 13.816, p: 0.001 },
    { df: 3, x: 7.815, p: 0.05 },
    { df: 3, x: 11.345, p: 0.01 },
    { df: 3, x: 16.266, p: 0.001 },
    { df: 10, x: 18.307, p: 0.05 },
  ];
  for (const { df, x, p } of table) {
    it(`df ${df}: ${x} → ${p}`, () => expectRelativelyClose(chiSquareSurvival(x, df), p, 1e-3));
  }

  it('is e^(−x/2) at df 2 (closed form)', () => {
    for (const x of [0.1, 1, 5, 30, 200]) expectRelativelyClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-12);
  });

  it('keeps far tails: df 1, x = 160 → 1.1314837902433038e-36 (scipy.stats.chi2.sf)', () => {
    expectRelativelyClose(chiSquareSurvival(160, 1), 1.1314837902433038e-36, 1e-12);
  });

  it('is 1 at 0 and rejects df <= 0', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe("Student's t", () => {
  it('is the Cauchy distribution at 1 dof: ½ + atan(t)/π', () => {
    for (const t of [-30, -1, 0.3, 2, 100]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
    for (const p of [0.6, 0.975, 0.9995]) expectRelativelyClose(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-11);
  });

  it('has the closed form ½ + t / (2√(2 + t²)) at 2 dof', () => {
    for (const t of [-5, -0.5, 1, 4.3]) expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    // its inverse: t = (2p − 1) / √(2p(1 − p))
    for (const p of [0.1, 0.975]) expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 11);
  });

  it('matches the two-sided 95% critical values of NIST/SEMATECH §1.3.6.7.2 (3 decimals)', () => {
    for (const [dof, t] of [[1, 12.706], [2, 4.303], [10, 2.228], [30, 2.042], [100, 1.984]]) {
      expect(studentTQuantile(0.975, dof)).toBeCloseTo(t, 3);
    }
  });

  it("matches scipy.stats.t.ppf at a Welch (fractional) dof: t(0.975, 1985.37) = 1.9611595761856087", () => {
    expect(studentTQuantile(0.975, 1985.3714563542528)).toBeCloseTo(1.9611595761856087, 11);
  });

  it('becomes the normal for very large dof', () => {
    expect(studentTCdf(1.96, 1e9)).toBe(normalCdf(1.96));
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959963984540054, 5);
  });

  it('gives two-sided p-values symmetric in t', () => {
    expect(twoSidedTPValue(2.228138851986274, 10)).toBeCloseTo(0.05, 12);
    expect(twoSidedTPValue(-2.228138851986274, 10)).toBeCloseTo(0.05, 12);
  });

  it('makes the interval estimate ± t · se: 5.5 ± 2.262157 × 0.957427 at 9 dof (scipy.stats.t.interval)', () => {
    const [low, high] = studentTInterval(5.5, Math.sqrt(82.5 / 90), 9, 0.95);
    expect(low).toBeCloseTo(3.334149410331831, 12);
    expect(high).toBeCloseTo(7.665850589668169, 12);
  });

  it('rejects dof <= 0 and p outside (0, 1)', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
  });
});
