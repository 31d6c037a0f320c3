// @ts-check
import { describe, expect, it } from 'vitest';
import { quantileBins } from '../../src/stats/quantile-bins.mjs';
import { seededRandom } from './support/random.mjs';

/** @typedef {import('../../src/stats/logistic-regression.mjs').Bin} Bin */

/** 100 ms bins from 0 to 10 s (centres 0.05 … 9.95), 10 sessions and 1 conversion each. */
const UNIFORM = Array.from({ length: 100 }, (_, i) => ({ x: Math.round((i + 0.5) * 100) / 1000, n: 10, k: 1 }));

/** @param {ReturnType<typeof quantileBins>} result */
function binsOf(result) {
  if (!result.ok) throw new Error(`expected bins, got: ${result.reason}`);
  return result.bins;
}

describe('quantileBins', () => {
  it('cuts 1,000 evenly spread sessions into 4 bins of 250, with their x ranges', () => {
    const bins = binsOf(quantileBins(UNIFORM, { bins: 4, binWidth: 0.1 }));
    expect(bins.map((bin) => bin.n)).toEqual([250, 250, 250, 250]);
    expect(bins.map((bin) => bin.k)).toEqual([25, 25, 25, 25]);
    expect(bins.map((bin) => [bin.from, bin.to])).toEqual([
      [expect.closeTo(0, 12), expect.closeTo(2.5, 12)],
      [expect.closeTo(2.5, 12), expect.closeTo(5, 12)],
      [expect.closeTo(5, 12), expect.closeTo(7.5, 12)],
      [expect.closeTo(7.5, 12), expect.closeTo(10, 12)],
    ]);
    // the point to plot: the mean of centres 0.05 … 2.45
    expect(bins[0].x).toBeCloseTo(1.25, 12);
    expect(bins[0].rate).toBe(0.1);
  });

  it("gives each bin its Wilson interval: 81 of 263 → Newcombe's [0.2553, 0.3662]", () => {
    const fine = [{ x: 1, n: 100, k: 30 }, { x: 2, n: 100, k: 31 }, { x: 3, n: 63, k: 20 }];
    const [bin] = binsOf(quantileBins(fine, { bins: 1 }));
    expect(bin).toMatchObject({ n: 263, k: 81, from: 1, to: 3 });
    expect(bin.ci[0]).toBeCloseTo(0.2553, 4);
    expect(bin.ci[1]).toBeCloseTo(0.3662, 4);
  });

  it('makes fewer bins when there are too few sessions for q bins of the minimum', () => {
    // 1,000 sessions with 300 a bin make ⌊1000/300⌋ = 3 bins, not 10
    const bins = binsOf(quantileBins(UNIFORM, { bins: 10, minSessions: 300 }));
    expect(bins).toHaveLength(3);
    for (const bin of bins) expect(bin.n).toBeGreaterThanOrEqual(300);
  });

  it('keeps a fine bin that holds most sessions whole, and no bin under the minimum', () => {
    const fine = [
      { x: 1.05, n: 30, k: 3 },
      { x: 1.15, n: 30, k: 3 },
      { x: 1.25, n: 600, k: 40 },
      { x: 1.35, n: 30, k: 2 },
      { x: 1.45, n: 110, k: 5 },
    ];
    const bins = binsOf(quantileBins(fine, { bins: 8, minSessions: 100 }));
    expect(bins.reduce((sum, bin) => sum + bin.n, 0)).toBe(800);
    for (const bin of bins) expect(bin.n).toBeGreaterThanOrEqual(100);
    // The 600-session bin cannot be split; the two 30s before it cannot stand alone.
    expect(bins.map((bin) => bin.n)).toEqual([660, 140]);
  });

  it('lets a fine bin pass several quantiles at once, then cuts at the next quantile ahead', () => {
    // 100 sessions, q = 4: the cuts at 25, 50 and 75 all fall inside the 70-session bin,
    // so the first bin ends there (80 sessions) and the other 20 are the last bin.
    const fine = [{ x: 1, n: 10, k: 1 }, { x: 2, n: 70, k: 7 }, { x: 3, n: 5, k: 0 }, { x: 4, n: 5, k: 1 }, { x: 5, n: 10, k: 2 }];
    expect(binsOf(quantileBins(fine, { bins: 4, minSessions: 1 })).map((bin) => bin.n)).toEqual([80, 20]);
  });

  it('sorts its input and ignores empty fine bins', () => {
    const shuffled = [...UNIFORM].reverse().concat([{ x: 50, n: 0, k: 0 }]);
    expect(quantileBins(shuffled, { bins: 4 })).toEqual(quantileBins(UNIFORM, { bins: 4 }));
  });

  it('keeps every session, in order, with no bin under the minimum, on random histograms', () => {
    const random = seededRandom(42);
    for (let trial = 0; trial < 50; trial++) {
      const fine = Array.from({ length: 1 + Math.floor(random() * 120) }, (_, i) => {
        const n = Math.floor(random() ** 3 * 400);
        return { x: i / 10, n, k: Math.floor(random() * (n + 1)) };
      });
      const total = fine.reduce((sum, bin) => sum + bin.n, 0);
      const result = quantileBins(fine, { bins: 10, minSessions: 100 });
      if (total < 100) {
        expect(result.ok).toBe(false);
        continue;
      }
      const bins = binsOf(result);
      expect(bins.reduce((sum, bin) => sum + bin.n, 0)).toBe(total);
      expect(bins.reduce((sum, bin) => sum + bin.k, 0)).toBe(fine.reduce((sum, bin) => sum + bin.k, 0));
      expect(bins.length).toBeLessThanOrEqual(10);
      for (const [i, bin] of bins.entries()) {
        expect(bin.n).toBeGreaterThanOrEqual(100);
        if (i > 0) expect(bin.from).toBeGreaterThan(bins[i - 1].to);
      }
    }
  });

  it('says too few sessions when there are fewer than one bin needs', () => {
    expect(quantileBins([{ x: 1, n: 40, k: 2 }], { minSessions: 100 })).toEqual({
      ok: false,
      reason: 'too few sessions for a speed curve: 40, and a bin needs 100',
    });
    expect(quantileBins([])).toMatchObject({ ok: false });
  });

  it('rejects bad options and impossible bins', () => {
    expect(() => quantileBins(UNIFORM, { bins: 0 })).toThrow(RangeError);
    expect(() => quantileBins(UNIFORM, { bins: 2.5 })).toThrow(RangeError);
    expect(() => quantileBins([{ x: 1, n: 3, k: 4 }])).toThrow(RangeError);
  });
});
