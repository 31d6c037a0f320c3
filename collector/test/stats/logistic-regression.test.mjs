// @ts-check
import { describe, expect, it } from 'vitest';
import { logisticRegression } from '../../src/stats/logistic-regression.mjs';
import { expectAllFinite } from './support/close.mjs';
import { normalDraw, seededRandom } from './support/random.mjs';

/** @typedef {import('../../src/stats/logistic-regression.mjs').Bin} Bin */

// Wikipedia, "Logistic regression", Example: hours studied and passing an exam, 20
// students. Published fit: intercept −4.0777 (SE 1.7610), hours 1.5046 (SE 0.6287),
// Wald p-value of hours 0.0167. (An independent fit with scipy.optimize on the same
// points gives −4.07771348, 1.50464544, SEs 1.76099433, 0.62872085.)
const HOURS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 4, 4.25, 4.5, 4.75, 5, 5.5];
const PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1];
/** @type {Bin[]} */
const STUDENTS = HOURS.map((x, i) => ({ x, n: 1, k: PASSED[i] }));

/** @param {ReturnType<typeof logisticRegression>} result */
function fitted(result) {
  if (!result.ok) throw new Error(`expected a fit, got: ${result.reason}`);
  return result;
}

describe('logisticRegression', () => {
  it("recovers Wikipedia's exam example from 20 bins of one student", () => {
    const fit = fitted(logisticRegression(STUDENTS));
    expect(fit.intercept).toBeCloseTo(-4.0777, 4);
    expect(fit.slope).toBeCloseTo(1.5046, 4);
    expect(fit.standardErrors.intercept).toBeCloseTo(1.761, 4);
    expect(fit.standardErrors.slope).toBeCloseTo(0.6287, 4);
    expect(fit.pValue).toBeCloseTo(0.0167, 4);
    expect(fit.oddsRatio).toBeCloseTo(Math.exp(1.50464544), 6);
    // Wald interval of the odds ratio: exp(1.50464544 ± 1.95996398 × 0.62872085)
    expect(fit.ci[0]).toBeCloseTo(Math.exp(1.50464544 - 1.959963985 * 0.62872085), 6);
    expect(fit.ci[1]).toBeCloseTo(Math.exp(1.50464544 + 1.959963985 * 0.62872085), 5);
    expect(fit).toMatchObject({ sessions: 20, conversions: 10, converged: true });
    expect(fit.iterations).toBeLessThan(20);
  });

  it('gives the same fit when equal x are aggregated into one bin', () => {
    /** @type {Map<number, Bin>} */
    const merged = new Map();
    for (const { x, n, k } of STUDENTS) {
      const bin = merged.get(x) ?? { x, n: 0, k: 0 };
      merged.set(x, { x, n: bin.n + n, k: bin.k + k });
    }
    expect(merged.get(1.75)).toEqual({ x: 1.75, n: 2, k: 1 });
    const individual = fitted(logisticRegression(STUDENTS));
    const binned = fitted(logisticRegression([...merged.values()]));
    expect(binned.slope).toBeCloseTo(individual.slope, 10);
    expect(binned.standardErrors.slope).toBeCloseTo(individual.standardErrors.slope, 10);
    expect(binned.logLikelihood).toBeCloseTo(individual.logLikelihood, 10);
  });

  it('fits x far from 0 as well: hours + 1,000,000 keep the slope and its SE', () => {
    const fit = fitted(logisticRegression(STUDENTS.map((bin) => ({ ...bin, x: bin.x + 1e6 }))));
    expect(fit.slope).toBeCloseTo(1.5046, 4);
    expect(fit.standardErrors.slope).toBeCloseTo(0.6287, 4);
    // The intercept moves to x = 0, a million hours away: −4.0777 − 1.5046e6.
    expect(fit.intercept / 1e6).toBeCloseTo(-1.50465, 4);
  });

  it('fits x in other units: hours × 3600 (seconds) divide the slope by 3600', () => {
    const fit = fitted(logisticRegression(STUDENTS.map((bin) => ({ ...bin, x: bin.x * 3600 }))));
    expect(fit.slope * 3600).toBeCloseTo(1.5046, 4);
    expect(fit.standardErrors.slope * 3600).toBeCloseTo(0.6287, 4);
    expect(fit.intercept).toBeCloseTo(-4.0777, 4);
  });

  it('recovers a planted odds ratio of 0.93 per second from 200,000 simulated sessions in 100 ms bins', () => {
    const planted = { intercept: Math.log(0.06 / 0.94), slope: Math.log(0.93) };
    const bins = simulateLcpBins({ sessions: 200_000, ...planted, seed: 7 });
    expect(bins.length).toBeGreaterThan(50);
    const fit = fitted(logisticRegression(bins));
    expect(fit.ci[0]).toBeLessThan(0.93);
    expect(fit.ci[1]).toBeGreaterThan(0.93);
    expect(fit.ci[1]).toBeLessThan(1); // and the effect is detected, not just covered
    expect(Math.abs(fit.intercept - planted.intercept)).toBeLessThan(3 * fit.standardErrors.intercept);
  });

  it('covers the planted slope about 95% of the time: 40 simulated sites of 20,000 sessions', () => {
    let covered = 0;
    for (let seed = 100; seed < 140; seed++) {
      const fit = fitted(logisticRegression(simulateLcpBins({ sessions: 20_000, intercept: -2.5, slope: Math.log(0.93), seed })));
      if (fit.ci[0] < 0.93 && 0.93 < fit.ci[1]) covered++;
    }
    // Binomial(40, 0.95): P(covered <= 34) = 0.014. Standard errors twice too small
    // would cover about 68%, i.e. 27 of 40.
    expect(covered).toBeGreaterThanOrEqual(35);
  });

  describe('returns a reason, never NaN or Infinity', () => {
    /** @param {Bin[]} bins @param {RegExp} reason */
    const expectFailure = (bins, reason) => {
      const result = logisticRegression(bins);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toMatch(reason);
      expectAllFinite(result);
    };

    it('on 1,000 random data sets: x from 1e-4 to 1e8 in scale, shifted or not, 1 to 30 bins', () => {
      const random = seededRandom(9);
      let fits = 0;
      for (let trial = 0; trial < 1000; trial++) {
        const scale = 10 ** Math.floor(random() * 12 - 4);
        const offset = random() < 0.2 ? 10 ** Math.floor(random() * 8) : 0;
        const [b0, b1] = [(random() - 0.5) * 20, (random() - 0.5) * 10];
        const bins = Array.from({ length: 1 + Math.floor(random() * 30) }, () => {
          const x = offset + (random() - 0.3) * scale;
          const n = Math.floor(random() ** 2 * 1000);
          const p = 1 / (1 + Math.exp(-(b0 + (b1 * (x - offset)) / scale)));
          let k = 0;
          for (let j = 0; j < n; j++) if (random() < p) k++;
          return { x, n, k };
        });
        const result = logisticRegression(bins);
        expectAllFinite(result);
        if (result.ok) fits++;
        // Thin or extreme data may fail, but only for a reason named above, never "did not converge".
        else expect(result.reason).not.toMatch(/converge|singular|no step/);
      }
      expect(fits).toBeGreaterThan(500);
    });

    it('with no bins or only empty ones', () => {
      expectFailure([], /no sessions/);
      expectFailure([{ x: 1, n: 0, k: 0 }], /no sessions/);
    });

    it('when no session converted, or every one did', () => {
      expectFailure([{ x: 1, n: 10, k: 0 }, { x: 2, n: 10, k: 0 }], /no session converted/);
      expectFailure([{ x: 1, n: 10, k: 10 }, { x: 2, n: 10, k: 10 }], /every session converted/);
    });

    it('with one bin, or several at the same x', () => {
      expectFailure([{ x: 2.5, n: 100, k: 7 }], /same x/);
      expectFailure([{ x: 2.5, n: 100, k: 7 }, { x: 2.5, n: 50, k: 1 }], /same x/);
    });

    it('under complete separation: every fast session converted, no slow one', () => {
      expectFailure([{ x: 1, n: 10, k: 10 }, { x: 2, n: 10, k: 10 }, { x: 3, n: 10, k: 0 }], /separation/);
    });

    it('under quasi-complete separation: a mixed bin on the boundary', () => {
      expectFailure([{ x: 1, n: 10, k: 0 }, { x: 2, n: 10, k: 4 }, { x: 3, n: 10, k: 10 }], /separation/);
      expectFailure([{ x: 1, n: 10, k: 0 }, { x: 2, n: 10, k: 4 }], /separation/);
    });

    it('when x overflows', () => {
      expectFailure([{ x: 1e308, n: 10, k: 3 }, { x: -1e308, n: 10, k: 5 }, { x: 0, n: 10, k: 4 }], /too large/);
    });

    it('when the odds ratio per unit would overflow: x in tiny units', () => {
      expectFailure(STUDENTS.map((bin) => ({ ...bin, x: bin.x * 1e-4 })), /out of range/);
    });
  });

  it('fits two mixed bins exactly (a saturated model): the slope is the log odds ratio between them', () => {
    // 2/10 at x = 0 and 6/10 at x = 1: slope = ln((6/4) / (2/8)) = ln 6
    const fit = fitted(logisticRegression([{ x: 0, n: 10, k: 2 }, { x: 1, n: 10, k: 6 }]));
    expect(fit.slope).toBeCloseTo(Math.log(6), 10);
    expect(fit.intercept).toBeCloseTo(Math.log(2 / 8), 10);
    // Woolf: var(ln OR) = 1/2 + 1/8 + 1/6 + 1/4
    expect(fit.standardErrors.slope).toBeCloseTo(Math.sqrt(1 / 2 + 1 / 8 + 1 / 6 + 1 / 4), 10);
  });

  it('fits a saturated model where an undamped Newton step leaves the information singular', () => {
    // 1 of 100,000 at x = 0 and 9 of 10 at x = 10: the first full Newton step drives the
    // x = 10 bin to p = 1. The estimate is the two-bin one, as above:
    // slope = (logit 0.9 − logit 1e-5) / 10 = (2.1972246 + 11.5129155) / 10 = 1.3710140
    // se = √(1/1 + 1/99,999 + 1/9 + 1/1) / 10 (Woolf)
    const fit = fitted(logisticRegression([{ x: 0, n: 100_000, k: 1 }, { x: 10, n: 10, k: 9 }]));
    expect(fit.slope).toBeCloseTo((Math.log(9) - Math.log(1 / 99_999)) / 10, 8);
    expect(fit.intercept).toBeCloseTo(Math.log(1 / 99_999), 8);
    expect(fit.standardErrors.slope).toBeCloseTo(Math.sqrt(1 + 1 / 99_999 + 1 / 9 + 1) / 10, 8);
  });

  it('rejects impossible bins', () => {
    expect(() => logisticRegression([{ x: 1, n: 5, k: 6 }])).toThrow(RangeError);
    expect(() => logisticRegression([{ x: NaN, n: 5, k: 1 }])).toThrow(RangeError);
  });
});

/**
 * Sessions with a log-normal landing LCP (median 2.5 s), converting with probability
 * logistic(intercept + slope × LCP in seconds), then counted in 100 ms bins by the
 * bin's centre, as the collector's SQL will (so x is blurred by up to 50 ms).
 * @param {{ sessions: number, intercept: number, slope: number, seed: number }} plan
 * @returns {Bin[]}
 */
function simulateLcpBins({ sessions, intercept, slope, seed }) {
  const random = seededRandom(seed);
  /** @type {Map<number, { n: number, k: number }>} */
  const bins = new Map();
  for (let i = 0; i < sessions; i++) {
    const lcp = Math.exp(Math.log(2.5) + 0.5 * normalDraw(random));
    const centre = (Math.floor(lcp * 10) + 0.5) / 10;
    const converted = random() < 1 / (1 + Math.exp(-(intercept + slope * lcp)));
    const bin = bins.get(centre) ?? { n: 0, k: 0 };
    bins.set(centre, { n: bin.n + 1, k: bin.k + (converted ? 1 : 0) });
  }
  return [...bins].map(([x, { n, k }]) => ({ x, n, k }));
}
