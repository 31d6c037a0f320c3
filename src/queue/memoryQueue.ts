import type { Hit } from '../schema';

/** Hits waiting to be sent, oldest first; bounded, oldest dropped first. */
export interface Queue {
  add(hit: Hit): void;
  /** Up to `n` of the oldest hits, still queued until `remove`. */
  peek(n: number): Hit[];
  remove(ids: ReadonlySet<string>): void;
  size(): number;
  /** Hits dropped by the bound since the last call. */
  takeDropped(): number;
  clear(): void;
}

export function createMemoryQueue(maxHits = 5000): Queue {
  let hits: Hit[] = [];
  let dropped = 0;
  return {
    add(hit) {
      hits.push(hit);
      if (hits.length > maxHits) {
        dropped += hits.length - maxHits;
        hits = hits.slice(hits.length - maxHits);
      }
    },
    peek: (n) => hits.slice(0, n),
    remove(ids) {
      hits = hits.filter((h) => !ids.has(h.id));
    },
    size: () => hits.length,
    takeDropped() {
      const d = dropped;
      dropped = 0;
      return d;
    },
    clear() {
      hits = [];
      dropped = 0;
    },
  };
}
