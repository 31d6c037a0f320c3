import { warn } from './log';

/**
 * Wraps a function so nothing it throws reaches the host page: a public call,
 * a listener or a timer callback of goalpost fails alone, with one warning.
 */
export function guard<A extends unknown[], R>(fn: (...args: A) => R, what = 'internal error'): (...args: A) => R | undefined {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      warn(what, e);
    }
  };
}
