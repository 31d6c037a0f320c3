/** The small synchronous key-value store goalpost keeps its ids in. */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** A store in memory only: for pages without localStorage, and before consent. */
export function createMemoryStore(): KeyValue {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
  };
}

/**
 * localStorage, or memory where it is missing, blocked (Safari private mode,
 * sandboxed iframes, disabled cookies) or full. Falls back for good on the
 * first failure so one page never mixes the two. No write-probe: under Do Not
 * Track or before consent goalpost only reads and removes, and must leave
 * nothing behind, not even for a moment.
 */
export function safeStorage(getStorage: () => Storage | null | undefined = () => globalThis.localStorage): KeyValue {
  const memory = createMemoryStore();
  let s: Storage | null | undefined;
  try {
    s = getStorage();
  } catch {
    /* blocked: memory */
  }
  if (!s) return memory;
  const storage = s;
  let failed = false;
  return {
    get(k) {
      if (!failed) {
        try {
          return storage.getItem(k);
        } catch {
          failed = true;
        }
      }
      return memory.get(k);
    },
    set(k, v) {
      memory.set(k, v);
      try {
        if (!failed) storage.setItem(k, v);
      } catch {
        failed = true;
      }
    },
    remove(k) {
      memory.remove(k);
      try {
        storage.removeItem(k);
      } catch {
        /* nothing to remove */
      }
    },
  };
}
