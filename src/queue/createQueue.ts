import { promisifyRequest } from 'idb-keyval';
import { byteLength } from '../lib/byteLength';
import { createId } from '../lib/createId';
import type { KeyValue } from '../lib/safeStorage';
import { toJson } from '../lib/toJson';
import { withTimeout } from '../lib/withTimeout';
import type { Hit } from '../schema';
import { bound } from './bound';
import { openStore, type Store } from './openStore';

/** A hit waiting to be sent, with what the sender needs to know about it. */
export interface Entry {
  hit: Hit;
  /** The hit as JSON, made once (in the task after `add`): records, bodies and retries reuse it. '' until then. */
  json: string;
  /** UTF-8 bytes of `json` (0 until it is made). */
  bytes: number;
  /** The IndexedDB record holding it. */
  rec: string;
  /** When this tab last knew it to be in IndexedDB (its write done, or read back); 0: in memory only so far. */
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
  /** localStorage: tombstones, and hits left by a page that went away before IndexedDB had them. */
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
  /** Hits per IndexedDB record: best the batch size, so a sent batch deletes whole records. */
  recordHits?: number;
  /**
   * How long the write after an add may wait (default 0: the next task). Delivery passes its
   * batch interval: every send and page hide writes first anyway, so a page's first seconds
   * open no database, and a steady trickle of hits costs one write per interval.
   */
  writeAfterMs?: number;
  /** Hits dropped by the bounds. */
  onDrop?: (count: number) => void;
  /** A hit too large to ever send (or that cannot be serialised), dropped. */
  onRefuse?: (hit: Hit) => void;
}

/**
 * The durable queue. Every hit is in memory (so `add` is synchronous) and in
 * IndexedDB, in records of a few hits (a record per hit costs ~20x more main
 * thread to write, and commits too slowly to beat a navigation). A record is
 * a JSON string, written from memory, never read-modified-written; records of
 * one burst are written in one transaction. Tabs share the database; the tab
 * that sends reads it back with `load`, and IndexedDB is the truth: what is
 * no longer stored was sent by another tab.
 */
export interface Queue {
  /**
   * Queues a hit (false: its id is already queued). Never waits, and leaves
   * the JSON and the write to a task of their own: a page's burst of calls
   * does not pay for them (the hide handling and every send make them first).
   */
  add(hit: Hit): boolean;
  /** Writes what changed since the last write; settles (never rejects) when done or failed. */
  persist(ready?: boolean): Promise<void>;
  /** Reads the stored queue (other tabs' and earlier pages' hits), forgets what others sent, applies the bounds. */
  load(): Promise<void>;
  /** Entries, oldest first, hits that failed more often last; each with its JSON made. */
  entries(): IterableIterator<Entry>;
  size(): number;
  /** Sent (or refused for good): out of memory and storage. `taken` by a beacon: tombstoned at once, the page may be gone before the write. */
  remove(entries: Entry[], taken?: boolean): Promise<void>;
  /**
   * Sent (or refused for good) within a round of sends: out of memory now,
   * out of storage with the sender's next persist, one transaction for the
   * whole round instead of one per request.
   */
  sent(entries: Entry[]): void;
  /** A failed attempt: these go behind the others. */
  retry(entries: Entry[]): void;
  /**
   * The page is going away, and IndexedDB work in flight may be aborted with
   * it: tombstones the removed hits whose delete is unconfirmed, leaves in
   * localStorage the hits whose write is unconfirmed (the next page adopts
   * them), and lets go of the connection.
   */
  leave(): void;
  /** Lets go of the database connection. */
  close(): void;
  /** Deletes everything: memory, localStorage and the database itself. */
  clear(): void;
}

const noop = () => {};
/** How long an IndexedDB open or transaction may take before we go on in memory. */
const TIMEOUT_MS = 2000;
/** After a storage failure, memory only for this long, then IndexedDB is tried again. */
const REOPEN_MS = 10_000;
const MAX_TOMBSTONES = 2000;
/** localStorage is the host's too: at most this many characters of hits are left there for the next page. */
const MAX_SPILL_CHARS = 512 * 1024;
/** Hits serialised per task by the deferred write: 10,000 calls in a loop must not make a long task later. */
const CHUNK = 2000;

const isHit = (v: Partial<Hit> | null | undefined): v is Hit =>
  !!v && typeof v === 'object' && typeof v.id === 'string' && ['pageview', 'event', 'goal', 'timing'].includes(v.type as string) && (v.ts as number) > 0;

const byAge = (a: Entry, b: Entry) => a.tries - b.tries || a.hit.ts - b.hit.ts || a.hit.seq - b.hit.seq;

const parseList = (text: unknown): unknown[] => {
  try {
    const list: unknown = typeof text === 'string' ? JSON.parse(text) : 0;
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
};

/**
 * Deletes a queue's storage (its database, tombstones and spill) without
 * opening it: under Do Not Track or a remembered denial, what an earlier page
 * left must go too.
 */
export function deleteQueue(name: string, idb: IDBFactory | undefined, kv: KeyValue): void {
  kv.remove(name + ':sent');
  kv.remove(name + ':spill');
  try {
    idb?.deleteDatabase(name);
  } catch {
    // Nothing stored to delete.
  }
}

export function createQueue(o: QueueOptions): Queue {
  const { kv, now, wallNow = Date.now, maxHits = 5000, maxBytes = 5_000_000, maxAgeMs = 7 * 86_400_000, maxHitBytes = 32 * 1024, recordHits = 50 } = o;
  const tombKey = o.name + ':sent';
  const spillKey = o.name + ':spill';
  const mem = new Map<string, Entry>();
  /** Each record this tab wrote or read: its entries and its text as stored. */
  const recs = new Map<string, { list: Entry[]; text?: string }>();
  /** Records to write (or delete, when none of their hits is left). */
  const dirty = new Set<string>();
  /** Hits removed here whose record rewrite has not been confirmed. */
  const deleting = new Set<string>();
  let bytes = 0;
  /** Added, JSON not made yet, oldest first. */
  let raw: Entry[] = [];
  let open: { key: string; list: Entry[] } | undefined;
  let scheduled = false;
  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  /**
   * Made once, here: it connects on first use and again after close(). Its listeners live as
   * long as a connection does, so it must not be made inside a call holding a write's hits.
   */
  const store: Store | undefined = o.idb && openStore(o.name, 'hits', o.idb);
  let faultAt = -Infinity;
  // Bumped by clear(): storage work queued before it must not bring the database back.
  let era = 0;

  /** Runs storage work in order, each step bounded in time; any failure switches to memory for a while. */
  function db<T>(op: (s: Store) => Promise<T>): Promise<T> {
    const e = era;
    const p = chain.then(() => {
      if (e !== era || !o.idb || now() - faultAt < REOPEN_MS) throw noop;
      return withTimeout(op(store!), TIMEOUT_MS);
    });
    chain = p.catch((err) => {
      if (err === noop) return;
      close();
      faultAt = now();
    });
    return p;
  }

  const alive = (e: Entry) => mem.get(e.hit.id) === e;
  /** Out of memory; its record is rewritten by the deferred write, or, `quiet`, by the caller's next persist. */
  const forget = (e: Entry, quiet?: boolean) => {
    if (!alive(e)) return;
    mem.delete(e.hit.id);
    bytes -= e.bytes;
    dirty.add(e.rec);
    if (!quiet) schedule();
  };
  /** Out of memory; `unconfirmed`: stored hits whose delete is noted until a write confirms it. */
  const drop = (list: Entry[], unconfirmed: boolean, quiet?: boolean) => {
    for (const e of list) {
      if (unconfirmed && e.stored) deleting.add(e.hit.id);
      forget(e, quiet);
    }
  };
  const entry = (hit: Hit, json: string, rec: string, stored: number): Entry => ({ hit, json, bytes: json ? byteLength(json) : 0, rec, stored, tries: 0 });
  const put = (e: Entry) => {
    mem.set(e.hit.id, e);
    bytes += e.bytes;
  };
  /** Makes the JSON of up to `max` added hits, oldest first; refuses those too large to ever send. */
  const serialize = (max = Infinity) => {
    if (!raw.length) return;
    for (const e of raw.splice(0, max)) {
      if (!alive(e)) continue;
      try {
        e.json = toJson(e.hit);
        e.bytes = byteLength(e.json);
      } catch {
        e.bytes = Infinity;
      }
      if (e.bytes > maxHitBytes) {
        e.bytes = 0;
        forget(e);
        o.onRefuse?.(e.hit);
      } else bytes += e.bytes;
    }
    trim();
  };

  const tombstones = (): string[] => parseList(kv.get(tombKey)) as string[];
  const setTombstones = (ids: string[]) => (ids.length ? kv.set(tombKey, toJson(ids.slice(-MAX_TOMBSTONES))) : kv.remove(tombKey));

  /** The deferred JSON, in a task after the one that added (a chunk per task), and the write, then or writeAfterMs later. */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      open = undefined;
      serialize(CHUNK);
      if (raw.length) schedule();
      if (!o.writeAfterMs) void persist(true);
      // persist() itself lets go of the timer.
      else writeTimer ??= setTimeout(persist, o.writeAfterMs);
    });
  }

  /** Applies the bounds; `full` also drops old hits (the age check reads every entry). */
  function trim(full?: boolean): void {
    if (!full && mem.size <= maxHits && bytes <= maxBytes) return;
    // Trim to 90 % so a full queue is not re-sorted on every add.
    const idle = [...mem.values()].filter((e) => !e.busy);
    const out = bound(idle, { maxHits: Math.floor(maxHits * 0.9), maxBytes: maxBytes * 0.9, maxAgeMs, now: wallNow() });
    drop(out, true);
    if (out.length) o.onDrop?.(out.length);
  }

  function add(hit: Hit): boolean {
    if (mem.has(hit.id)) return false;
    if (!open || open.list.length >= recordHits) {
      open = { key: createId(), list: [] };
      recs.set(open.key, { list: open.list });
    }
    const e = entry(hit, '', open.key, 0);
    open.list.push(e);
    put(e);
    raw.push(e);
    dirty.add(e.rec);
    schedule();
    if (mem.size > maxHits) trim();
    return true;
  }

  /**
   * Writes the dirty records, all in one transaction. `ready`: only the hits
   * whose JSON is made (the deferred write, chunk by chunk); otherwise all.
   */
  function persist(ready?: boolean): Promise<void> {
    // This write covers the one waiting: no timer is left behind.
    clearTimeout(writeTimer);
    writeTimer = undefined;
    if (!ready) serialize();
    if (!dirty.size) return chain.then(noop);
    const keys = [...dirty];
    dirty.clear();
    const writes = keys.flatMap((key) => {
      const rec = recs.get(key)!;
      rec.list = rec.list.filter(alive);
      const done = rec.list.filter((e) => e.json);
      // The rest of this record is written with a later chunk.
      if (done.length < rec.list.length) dirty.add(key);
      if (!done.length && rec.list.length) return [];
      return [{ key, rec, done, text: done.length ? '[' + done.map((e) => e.json).join(',') + ']' : '' }];
    });
    const removed = [...deleting];
    return db((s) =>
      s('readwrite', (os) => {
        for (const w of writes) w.text ? os.put(w.text, w.key) : os.delete(w.key);
        return promisifyRequest(os.transaction);
      }),
    ).then(
      () => {
        const t = now();
        for (const w of writes) {
          w.done.forEach((e) => (e.stored ||= t));
          if (w.text) w.rec.text = w.text;
          else if (!w.rec.list.length) recs.delete(w.key);
        }
        removed.forEach((id) => deleting.delete(id));
      },
      // In memory until storage works again; the next persist writes them.
      () =>
        keys.forEach((k) => {
          const rec = recs.get(k);
          // Gone (clear() ran meanwhile) or nothing left to write: nothing to retry.
          if (rec?.list.length || rec?.text) dirty.add(k);
          else recs.delete(k);
        }),
    );
  }

  /** Takes in the hits an earlier page left in localStorage (see leave). */
  function adopt(): void {
    const list = parseList(kv.get(spillKey));
    if (!list.length) return;
    kv.remove(spillKey);
    const gone = new Set(tombstones());
    for (const h of list) if (isHit(h as Hit) && !gone.has((h as Hit).id)) add(h as Hit);
  }

  function close(): void {
    // After the writes already queued (a page going away still commits them), the connection they used.
    chain = chain.then(() => store?.close());
  }

  adopt();

  return {
    add,
    persist,

    async load() {
      adopt();
      await persist();
      try {
        // Keys and values in one transaction (idb-keyval's entries() would also bring its default store along).
        const stored = await db((s) =>
          s('readonly', (os) => Promise.all([promisifyRequest(os.getAllKeys()), promisifyRequest(os.getAll())]).then(([keys, values]) => keys.map((k, i) => [k, values[i]] as const))),
        );
        const t = now();
        // Read after the records: a beacon may have taken hits meanwhile.
        const dead = tombstones();
        const gone = new Set(dead);
        const present = new Set<unknown>();
        let fresh = 0;
        for (const [key, text] of stored) {
          present.add(key);
          const known = recs.get(key as string);
          if (known?.text === text) continue;
          const items = parseList(text);
          if (!items.length || typeof key !== 'string') {
            // Corrupted: the persist below deletes it (or writes back what this tab knew it to hold).
            if (!known) recs.set(key as string, { list: [] });
            dirty.add(key as string);
            continue;
          }
          // A record new to this tab, or rewritten by another: its hits as stored are the truth.
          const list: Entry[] = [];
          const ids = new Set<string>();
          let rewrite = false;
          for (const h of items) {
            const hit = h as Hit;
            if (!isHit(hit) || gone.has(hit.id) || deleting.has(hit.id)) {
              rewrite = true;
              continue;
            }
            ids.add(hit.id);
            let e = mem.get(hit.id);
            if (!e) {
              e = entry(hit, toJson(hit), key, t);
              put(e);
              fresh++;
            }
            e.rec = key;
            e.stored ||= t;
            list.push(e);
          }
          known?.list.forEach((e) => e.rec === key && !e.busy && !ids.has(e.hit.id) && forget(e));
          recs.set(key, { list, text: text as string });
          if (!rewrite) dirty.delete(key);
          else dirty.add(key);
        }
        // Stored once and gone now: another tab (or page) sent it, or consent was withdrawn elsewhere.
        for (const [key, rec] of recs) {
          if (!rec.text || present.has(key)) continue;
          recs.delete(key);
          rec.list.forEach((e) => e.rec === key && !e.busy && forget(e));
          dirty.delete(key);
        }
        for (const e of mem.values()) if (gone.has(e.hit.id)) forget(e);
        if (fresh) {
          const all = [...mem.values()].sort(byAge);
          mem.clear();
          all.forEach((e) => mem.set(e.hit.id, e));
        }
        trim(true);
        // Corrupted records are deleted; records with tombstoned or bad hits rewritten without them.
        await persist();
        // Tombstoned hits are out of storage now: the tombstones can go.
        if (dead.length && !dirty.size) setTombstones(tombstones().filter((id) => !gone.has(id)));
      } catch {
        // Storage unavailable: memory is all we have.
        trim(true);
      }
    },

    entries() {
      serialize();
      return mem.values();
    },
    size: () => mem.size,

    remove(list, taken) {
      if (taken) setTombstones(tombstones().concat(list.map((e) => e.hit.id)));
      drop(list, !taken);
      return persist();
    },

    sent: (list) => drop(list, true, true),

    retry(list) {
      for (const e of list) {
        e.tries++;
        if (!alive(e)) continue;
        mem.delete(e.hit.id);
        mem.set(e.hit.id, e);
      }
    },

    leave() {
      serialize();
      if (deleting.size) setTombstones(tombstones().concat([...deleting]));
      let chars = 0;
      const left: string[] = [];
      for (const e of mem.values()) if (!e.stored && (chars += e.json.length) < MAX_SPILL_CHARS) left.push(e.json);
      if (left.length) {
        const earlier = kv.get(spillKey);
        kv.set(spillKey, earlier && earlier.length > 2 && earlier.length < MAX_SPILL_CHARS ? earlier.slice(0, -1) + ',' + left.join(',') + ']' : '[' + left.join(',') + ']');
      }
      close();
    },

    close() {
      // A write still waiting goes first: destroy() leaves no hit unwritten.
      if (writeTimer) void persist();
      close();
    },

    clear() {
      era++;
      mem.clear();
      recs.clear();
      dirty.clear();
      deleting.clear();
      bytes = 0;
      raw = [];
      open = undefined;
      clearTimeout(writeTimer);
      store?.close();
      deleteQueue(o.name, o.idb, kv);
    },
  };
}
