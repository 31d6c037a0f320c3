/**
 * How long to wait before retry number `attempt` (1, 2, ...): 1 s doubling to
 * a 60 s cap, with "equal jitter" (between half and all of it) so that tabs and
 * visitors that failed together do not all come back at the same instant.
 */
export function backoff(attempt: number, random: () => number = Math.random): number {
  // Half the wait: 500 ms << (attempt - 1), at most 30 s.
  const half = Math.min(30_000, 250 * 2 ** Math.max(1, attempt));
  return half + half * random();
}
