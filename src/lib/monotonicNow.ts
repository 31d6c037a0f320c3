/**
 * Epoch-like ms that never jump with the wall clock: the page's time origin
 * plus `performance.now()`. Tabs of one origin read close values, so leases
 * and pauses written to localStorage compare across tabs, and a clock change
 * neither stalls nor rushes a backoff.
 */
export function monotonicNow(): number {
  try {
    return performance.timeOrigin + performance.now();
  } catch {
    return Date.now();
  }
}
