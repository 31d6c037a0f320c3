import { onFCP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Speed } from './schema';

export interface Vitals {
  /** The current page's load timing known so far, for goal hits. */
  speed(): Speed;
  stop(): void;
}

// Absurd values (clock jumps, a tab asleep for hours) would skew every average.
const MAX_MS = 15 * 60 * 1000;

/** Listens to web-vitals once per page and keeps what the current page measured. */
export function createVitals(): Vitals {
  const speed: Speed = {};
  let stopped = false;
  const keep = (name: keyof Speed) => (m: Metric) => {
    if (stopped || !Number.isFinite(m.value) || m.value < 0 || m.value > MAX_MS) return;
    speed[name] = Math.round(m.value);
  };
  try {
    onTTFB(keep('ttfb'));
    onFCP(keep('fcp'));
    onLCP(keep('lcp'), { reportAllChanges: true });
  } catch {
    // No PerformanceObserver: goal hits go without speed.
  }
  return {
    speed: () => ({ ...speed }),
    stop: () => void (stopped = true),
  };
}
