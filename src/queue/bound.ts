import type { Hit } from '../schema';

export interface Bounds {
  maxHits: number;
  maxBytes: number;
  /** Hits older than this (by `ts`) go whatever the room. */
  maxAgeMs: number;
  /** Epoch ms. */
  now: number;
}

/** What a hit is worth keeping: page views and timing go first, then events, micro goals, macro goals last. */
const worth = (hit: Hit): number => (hit.type === 'goal' ? (hit.goal.role === 'macro' ? 3 : 2) : hit.type === 'event' ? 1 : 0);

/**
 * The entries to drop so the rest fit the bounds: everything too old, then
 * the least worth, oldest first, until count and bytes fit. Pure.
 */
export function bound<E extends { hit: Hit; bytes: number }>(entries: Iterable<E>, { maxHits, maxBytes, maxAgeMs, now }: Bounds): E[] {
  const drop: E[] = [];
  const keep: E[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (now - e.hit.ts > maxAgeMs) drop.push(e);
    else {
      keep.push(e);
      bytes += e.bytes;
    }
  }
  let n = keep.length;
  if (n > maxHits || bytes > maxBytes) {
    keep.sort((a, b) => worth(a.hit) - worth(b.hit) || a.hit.ts - b.hit.ts);
    for (const e of keep) {
      if (n <= maxHits && bytes <= maxBytes) break;
      drop.push(e);
      n--;
      bytes -= e.bytes;
    }
  }
  return drop;
}
