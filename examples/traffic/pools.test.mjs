// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { pool, schedule, timeLimit } from './pools.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('schedule', () => {
  it('runs every item, never over budget, and uses the budget', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ i, slots: i % 3 === 0 ? 0.5 : 1 }));
    let used = 0;
    let peak = 0;
    const done = [];
    await schedule(items, 3, (it) => it.slots, async (it) => {
      used += it.slots;
      peak = Math.max(peak, used);
      await sleep(2 + (it.i % 4));
      used -= it.slots;
      done.push(it.i);
    });
    expect(done.sort((a, b) => a - b)).toEqual(items.map((it) => it.i));
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(2.5);
  });

  it('goes on after a failing item and stops starting new ones when told', async () => {
    let started = 0;
    let stop = false;
    await schedule([1, 2, 3, 4, 5], 1, () => 1, async (n) => {
      started++;
      if (n === 1) throw new Error('boom');
      if (n === 3) stop = true;
    }, () => stop);
    expect(started).toBe(3);
  });

  it('does not stall on slots that do not add up exactly in floating point', async () => {
    const items = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 1 : 1 / 3 + (i % 3) * 0.1));
    let done = 0;
    await schedule(items, 1, (s) => s, async () => {
      await sleep(1);
      done++;
    });
    expect(done).toBe(60);
  });

  it('resolves at once with nothing to do', async () => {
    await expect(schedule([], 3, () => 1, async () => {})).resolves.toBeUndefined();
  });
});

describe('pool', () => {
  it('runs at most size items at once', async () => {
    let running = 0;
    let peak = 0;
    await pool(Array.from({ length: 12 }), 4, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(3);
      running--;
    });
    expect(peak).toBe(4);
  });
});

describe('timeLimit', () => {
  it('starts no visit in the last 45 s and cuts off at the end', () => {
    expect(timeLimit(3, 1_000_000)).toEqual({ startUntil: 1_000_000 + 135_000, endAt: 1_000_000 + 180_000 });
  });

  it('keeps a quarter of a short limit free of new starts', () => {
    expect(timeLimit(1, 0)).toEqual({ startUntil: 45_000, endAt: 60_000 });
    expect(timeLimit(0.5, 0)).toEqual({ startUntil: 22_500, endAt: 30_000 });
  });

  it('has no end without minutes', () => {
    expect(timeLimit(0, 5)).toEqual({ startUntil: Infinity, endAt: Infinity });
  });
});
