import { delMany, getMany, keys, setMany } from 'idb-keyval';
import { byteLength } from '../lib/byteLength';
import type { KeyValue } from '../lib/safeStorage';
import { withTimeout } from '../lib/withTimeout';
import type { Hit } from '../schema';
import { bound } from './bound';
import { openStore, type Store } from './openStore';

/** A hit waiting to be sent, with what the sender needs to know about it. */
export interface Entry {
  hit: Hit;
  /** The hit as JSON, made once: retries and beacons reuse it. */
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
  /** When this tab last knew the hit to be in IndexedDB (its write done, or read back); 0: in memory only. */
  stored: number;
  /** Failed attempts so far: a hit that keeps failing goes behind the others. */
  tries: number;
  /** In a request that has not answered yet. */
  busy?: boolean;
}

export interface QueueOptions {
  /** Database name; also the localStorage key prefix. Namespaced by endpoint and site. */
  name: string;
  /** Absent, or throwing on open: the queue lives in memory. */
  idb?: IDBFactory;
  /** localStorage: tombstones of hits sent while the page was going away. */
  kv: KeyValue;
  /** Monotonic ms, for the reopen delay. */
  now: () => number;
  /** Wall-clock ms, for the age bound (hits carry wall-clock `ts`). */
  wallNow?: () => number;
  maxHits?: number;
  maxBytes?: number;
  maxAgeMs?: number;
  /** Each hit is refused above this, with a warning by the caller. */
  maxHitBytes?: number;
  /** Hits dropped by the bounds. */
  onDrop?: (count: number) => void;
  /** Storage failed; the queue carries on in memory. For debug output. */
  onFault?: (error: unknown) => void;
}

/**
 * The durable queue: every hit in memory at once (so `add` is synchronous)
 * and in IndexedDB one record per hit, written in one transaction per burst.
 * Tabs share the database; the tab that sends reads it back with `load`.
 */
export interface Queue {
  /** Queues a hit; false when it is too large to ever send. Never waits. */
  add(hit: Hit): boolean;
  /** Writes what `add` buffered; settles (never rejects) when done or failed. */
  persist(): Promise<void>;
  /** Reads the stored queue (other tabs' and earlier pages' hits), forgets what others sent, applies the bounds. */
  load(): Promise<void>;
  /** Entries, oldest first, hits that failed more often last. */
  entries(): IterableIterator<Entry>;
  size(): number;
  /** Sent (or refused for good): out of memory and storage. `taken`: the page may be gone before the delete commits. */
  remove(entries: Entry[], taken?: boolean): Promise<void>;
  /** A failed attempt: these go behind the others. */
  retry(entries: Entry[]): void;
  /** Lets go of the database connection (page hidden for the back/forward cache, or stopped). */
  close(): void;
  /** Deletes everything: memory, tombstones and the database itself. */
  clear(): void;
}

const noop = () => {};
/** How long an IndexedDB open or transaction may take before we go on in memory. */
const TIMEOUT_MS = 2000;
/** After a storage failure, memory only for this long, then IndexedDB is tried again. */
const REOPEN_MS = 10_000;
const MAX_TOMBSTONES = 2000;

const isHit = (key: IDBValidKey, v: Partial<Hit> | null | undefined): v is Hit =>
  !!v && typeof v === 'object' && v.id === key && ['pageview', 'event', 'goal', 'timing'].includes(v.type as string) && (v.ts as number) > 0;

const byAge = (a: Entry, b: Entry) => a.tries - b.tries || a.hit.ts - b.hit.ts || a.hit.seq - b.hit.seq;

export function createQueue(o: QueueOptions): Queue {
  const { kv, now, wallNow = Date.now, maxHits = 5000, maxBytes = 5_000_000, maxAgeMs = 7 * 86_400_000, maxHitBytes = 32 * 1024 } = o;
  const tombKey = o.name + ':sent';
  const mem = new Map<string, Entry>();
  let bytes = 0;
  let pending: Entry[] = [];
  let scheduled = false;
  let chain: Promise<unknown> = Promise.resolve();
  let store: Store | undefined;
  let faultAt = -Infinity;
  // Bumped by clear(): storage work queued before it must not bring the database back.
  let era = 0;

  /** Runs storage work in order, each step bounded in time; any failure switches to memory for a while. */
  function db<T>(op: (s: Store) => Promise<T>): Promise<T> {
    const e = era;
    const p = chain.then(() => {
      if (e !== era || !o.idb || now() - faultAt < REOPEN_MS) throw noop;
      return withTimeout(op((store ??= openStore(o.name, 'hits', o.idb))), TIMEOUT_MS);
    });
    chain = p.catch((err) => {
      if (err === noop) return;
      o.onFault?.(err);
      store?.close();
      store = undefined;
      faultAt = now();
    });
    return p;
  }

  const put = (e: Entry) => {
    if (mem.has(e.hit.id)) return;
    mem.set(e.hit.id, e);
    bytes += e.bytes;
  };
  const forget = (id: string) => {
    const e = mem.get(id);
    if (e) bytes -= e.bytes;
    mem.delete(id);
  };

  const tombstones = (): string[] => {
    try {
      const list: unknown = JSON.parse(kv.get(tombKey) || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  };
  const setTombstones = (ids: string[]) => (ids.length ? kv.set(tombKey, JSON.stringify(ids.slice(-MAX_TOMBSTONES))) : kv.remove(tombKey));

  /** Applies the bounds; `full` also drops old hits (the age check reads every entry). */
  function trim(full?: boolean): void {
    if (!full && mem.size <= maxHits && bytes <= maxBytes) return;
    // Trim to 90 % so a full queue is not re-sorted on every add.
    const idle = [...mem.values()].filter((e) => !e.busy);
    const drop = bound(idle, { maxHits: Math.floor(maxHits * 0.9), maxBytes: maxBytes * 0.9, maxAgeMs, now: wallNow() });
    if (!drop.length) return;
    drop.forEach((e) => forget(e.hit.id));
    o.onDrop?.(drop.length);
    db((s) => delMany(drop.map((e) => e.hit.id), s)).catch(noop);
  }

  function persist(): Promise<void> {
    const batch = pending.filter((e) => mem.get(e.hit.id) === e);
    pending = [];
    if (!batch.length) return chain.then(noop);
    return db((s) => setMany(batch.map((e) => [e.hit.id, e.hit]), s)).then(
      () => {
        const t = now();
        batch.forEach((e) => (e.stored ||= t));
      },
      // In memory until storage works again; the next persist tries them again.
      () => void (pending = batch.concat(pending)),
    );
  }

  return {
    add(hit) {
      let json: string;
      try {
        json = JSON.stringify(hit);
      } catch {
        return false;
      }
      const e: Entry = { hit, json, bytes: byteLength(json), stored: 0, tries: 0 };
      if (e.bytes > maxHitBytes) return false;
      put(e);
      pending.push(e);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          void persist();
        });
      }
      trim();
      return true;
    },

    persist,

    async load() {
      await persist();
      const dead = tombstones();
      const gone = new Set(dead);
      try {
        const stored = await db((s) => keys(s));
        const t = now();
        const present = new Set(stored);
        // Stored once and gone now, or tombstoned: another tab (or page) sent it, or consent was withdrawn elsewhere.
        for (const e of mem.values()) if (!e.busy && (e.stored ? !present.has(e.hit.id) : gone.has(e.hit.id))) forget(e.hit.id);
        const unknown = stored.filter((k) => !mem.has(k as string) && !gone.has(k as string));
        const values = unknown.length ? await db((s) => getMany<Partial<Hit>>(unknown, s)) : [];
        const bad = stored.filter((k) => gone.has(k as string));
        let fresh = 0;
        values.forEach((v, i) => {
          if (!isHit(unknown[i], v)) return void bad.push(unknown[i]);
          let json: string;
          try {
            json = JSON.stringify(v);
          } catch {
            return void bad.push(unknown[i]);
          }
          put({ hit: v, json, bytes: byteLength(json), stored: t, tries: 0 });
          fresh++;
        });
        for (const e of mem.values()) if (present.has(e.hit.id)) e.stored ||= t;
        if (fresh) {
          const all = [...mem.values()].sort(byAge);
          mem.clear();
          all.forEach((e) => mem.set(e.hit.id, e));
        }
        // Corrupted records and tombstoned hits: delete, then forget the tombstones.
        if (bad.length) await db((s) => delMany(bad, s));
        if (dead.length) setTombstones(tombstones().filter((id) => !gone.has(id)));
      } catch {
        // Storage unavailable: memory is all we have.
      }
      trim(true);
    },

    entries: () => mem.values(),
    size: () => mem.size,

    remove(list, taken) {
      const ids = list.map((e) => e.hit.id);
      ids.forEach(forget);
      if (taken) setTombstones(tombstones().concat(ids));
      // A delete that fails leaves sent hits in storage: tombstone those, so no page sends them again.
      return db((s) => delMany(ids, s)).then(noop, () => {
        const stored = list.filter((e) => e.stored).map((e) => e.hit.id);
        if (stored.length && !taken) setTombstones(tombstones().concat(stored));
      });
    },

    retry(list) {
      for (const e of list) {
        e.tries++;
        if (mem.get(e.hit.id) !== e) continue;
        mem.delete(e.hit.id);
        mem.set(e.hit.id, e);
      }
    },

    close() {
      const s = store;
      store = undefined;
      // After the writes already queued, so a page going away still commits them.
      chain = chain.then(() => s?.close());
    },

    clear() {
      era++;
      mem.clear();
      bytes = 0;
      pending = [];
      kv.remove(tombKey);
      const s = store;
      store = undefined;
      try {
        s?.close();
        o.idb?.deleteDatabase(o.name);
      } catch {
        // Nothing stored to delete.
      }
    },
  };
}
