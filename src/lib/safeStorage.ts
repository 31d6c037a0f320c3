/** The small synchronous key-value store goalpost keeps its ids in. */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Removes each of `keys` from `store` (ids on a denial, Do Not Track or `forget`). */
export function removeKeys(store: KeyValue, keys: readonly string[]): void {
  for (const k of keys) store.remove(k);
}

/** A store in memory only: for pages without localStorage, and before consent. */
export function createMemoryStore(): KeyValue {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => map.set(k, v),
    remove: (k) => map.delete(k),
  };
}

/**
 * localStorage, or memory where it is missing, blocked (Safari private mode,
 * sandboxed iframes, disabled cookies) or full. Falls back for good on the
 * first failure so one page never mixes the two. No write-probe: under Do Not
 * Track or before consent goalpost only reads and removes, and must leave
 * nothing behind, not even for a moment. Opened on first use: a page's first
 * touch of sessionStorage costs it about a millisecond.
 */
export function safeStorage(getStorage: () => Storage | null | undefined): KeyValue {
  const memory = createMemoryStore();
  let storage: Storage | null | undefined;
  let failed = false;
  /** The storage, once opened; null when missing or blocked. */
  const open = () => {
    if (storage === undefined) {
      try {
        storage = getStorage() || null;
      } catch {
        storage = null;
      }
    }
    return storage;
  };
  return {
    get(k) {
      try {
        if (!failed && open()) return storage!.getItem(k);
      } catch {
        failed = true;
      }
      return memory.get(k);
    },
    set(k, v) {
      memory.set(k, v);
      try {
        if (!failed && open()) storage!.setItem(k, v);
      } catch {
        failed = true;
      }
    },
    remove(k) {
      memory.remove(k);
      // Even after a failed write (storage full): what an earlier page left must still go.
      try {
        open()?.removeItem(k);
      } catch {
        /* nothing to remove */
      }
    },
  };
}
