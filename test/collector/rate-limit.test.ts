import { expect, test } from 'vitest';
import { createRateLimiter } from '../../examples/collector/rate-limit.mjs';

test('a bucket lets a burst through, then refills at its rate, per key', () => {
  let now = 1_000_000;
  const limiter = createRateLimiter({ burst: 3, perSecond: 2 }, { now: () => now });
  expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 500]);
  expect(limiter.take('b')).toBe(0);
  now += 250; // half a token back: 250 ms more to wait
  expect(limiter.take('a')).toBe(250);
  now += 1_000; // 2.5 tokens
  expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 250]);
});

test('a server clock that steps back does not drain the buckets', () => {
  let now = 1_000_000;
  const limiter = createRateLimiter({ burst: 2, perSecond: 1 }, { now: () => now });
  expect(limiter.take('a')).toBe(0);
  now -= 3_600_000;
  expect(limiter.take('a')).toBe(0);
  expect(limiter.take('a')).toBe(1000);
});

test('the map of keys stays bounded under a flood of distinct keys', () => {
  let now = 0;
  const limiter = createRateLimiter({ burst: 1, perSecond: 1 }, { now: () => now, maxKeys: 100 });
  for (let i = 0; i < 1_000; i++) limiter.take(`k${i}`);
  expect(limiter.size()).toBeLessThanOrEqual(100);
  now += 10_000;
  limiter.take('late');
  expect(limiter.size()).toBeLessThanOrEqual(100);
});
