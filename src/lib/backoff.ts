/**
 * How long to wait before retry number `attempt` (1, 2, ...): 1 s doubling to
 * a 60 s cap, with "equal jitter" (between half and all of it) so that tabs and
 * visitors that failed together do not all come back at the same instant.
 */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return base / 2 + (base / 2) * random();
}
