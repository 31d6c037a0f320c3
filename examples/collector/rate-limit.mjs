// @ts-check
/**
 * Token buckets per key (a client IP, a client id): each key may make `burst`
 * requests at once and `perSecond` more every second after that. A flood from
 * one key gets refused with the time to wait; other keys are not affected.
 */

/**
 * @typedef {{ burst: number, perSecond: number }} BucketSize
 * @typedef {(key: string) => number} TakeToken Returns 0 when the request may go ahead, else the ms to wait.
 */

/**
 * @param {BucketSize} size
 * @param {{ now?: () => number, maxKeys?: number }} [options]
 * @returns {{ take: TakeToken, size: () => number }}
 */
export function createRateLimiter({ burst, perSecond }, { now = Date.now, maxKeys = 10_000 } = {}) {
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  const refillPerMs = perSecond / 1000;

  // A clock that steps back (NTP) must not drain buckets: time only moves forward here.
  /** @param {{ tokens: number, at: number }} b @param {number} t */
  const level = (b, t) => Math.min(burst, b.tokens + Math.max(0, t - b.at) * refillPerMs);

  /** Full buckets carry no state worth keeping: forget them so the map stays small. @param {number} t */
  function prune(t) {
    for (const [key, b] of buckets) if (level(b, t) >= burst) buckets.delete(key);
    // Still too many (a flood of distinct keys): drop the oldest, which errs on the side of letting requests in.
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  }

  /** @type {TakeToken} */
  function take(key) {
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= maxKeys) prune(t);
      b = { tokens: burst, at: t };
      buckets.set(key, b);
    }
    b.tokens = level(b, t);
    b.at = Math.max(b.at, t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / refillPerMs);
  }

  return { take, size: () => buckets.size };
}
