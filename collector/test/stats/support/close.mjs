// @ts-check
import { expect } from 'vitest';

/**
 * Asserts |actual / expected − 1| <= tolerance: for values such as 1e-36, where
 * toBeCloseTo's absolute digits would pass anything.
 * @param {number} actual
 * @param {number} expected
 * @param {number} tolerance relative
 */
export function expectRelativelyClose(actual, expected, tolerance) {
  expect(Number.isFinite(actual), `${actual} is finite`).toBe(true);
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/**
 * Asserts every number in a nested result is finite: the library's promise of no NaN or Infinity.
 * @param {unknown} value
 */
export function expectAllFinite(value) {
  if (typeof value === 'number') expect(Number.isFinite(value), `${value} is finite`).toBe(true);
  else if (Array.isArray(value)) value.forEach(expectAllFinite);
  else if (value && typeof value === 'object') Object.values(value).forEach(expectAllFinite);
}
