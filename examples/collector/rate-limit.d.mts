// Types of rate-limit.mjs for TypeScript callers (the tests).
export declare function createRateLimiter(
  size: { burst: number; perSecond: number },
  options?: { now?: () => number; maxKeys?: number },
): {
  /** 0 when the request may go ahead, else the ms to wait. */
  take(key: string): number;
  /** Keys tracked now. */
  size(): number;
};
