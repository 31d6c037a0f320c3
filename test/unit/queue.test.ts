/** The durable queue's bookkeeping, on fake-indexeddb: writes, reads back, bounds, tombstones, faults. */
import { IDBFactory } from 'fake-indexeddb';
import { createStore, entries, keys, setMany } from 'idb-keyval';
import { describe, expect, test, vi } from 'vitest';
import { byteLength } from '../../src/lib/byteLength';
import { createMemoryStore } from '../../src/lib/safeStorage';
import { bound } from '../../src/queue/bound';
import { createQueue, type QueueOptions } from '../../src/queue/createQueue';
import type { Hit } from '../../src/schema';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;
let n = 0;
function hit(over: Partial<Hit> & { role?: 'macro' | 'micro' } = {}): Hit {
  const { role, ...rest } = over;
  const base = { id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, ts: NOW, cid: 'c', sid: 's', pid: 'p', seq: n, url: 'https://shop.example/' };
  if (rest.type === 'goal' || role) return { ...base, type: 'goal', goal: { id: 'g', kind: 'event', role: role ?? 'macro', supports: [] }, speed: {}, ...rest } as Hit;
  if (rest.type === 'pageview') return { ...base, type: 'pageview', nav: 'navigate', screen: 'desktop', ...rest } as Hit;
  return { ...base, type: 'event', event: { action: 'a' }, ...rest } as Hit;
}

const name = 'goalpost:test:https://c.example/hits';
const records = () => entries<string, string>(createStore(name, 'hits'));
/** Hit ids in storage, in record order. */
const stored = async () => (await records()).flatMap(([, text]) => (JSON.parse(text) as Hit[]).map((h) => h.id));
const make = (o: Partial<QueueOptions> = {}) =>
  createQueue({ name, idb: indexedDB, kv: createMemoryStore(), now: () => performance.now(), wallNow: () => NOW, ...o });
const ids = (q: { entries(): IterableIterator<{ hit: Hit }> }) => [...q.entries()].map((e) => e.hit.id);

test('byteLength: UTF-8 bytes, as bodies are measured on the wire', () => {
  expect(byteLength('{"a":"b"}')).toBe(9);
  expect(byteLength('é€😀')).toBe(2 + 3 + 4);
});

describe('bound', () => {
  const e = (h: Hit, bytes = 100) => ({ hit: h, bytes });
  test('drops hits older than the age limit whatever the room', () => {
    const old = e(hit({ ts: NOW - 8 * DAY }));
    const fresh = e(hit({ ts: NOW - 6 * DAY }));
    expect(bound([old, fresh], { maxHits: 10, maxBytes: 1e6, maxAgeMs: 7 * DAY, now: NOW })).toEqual([old]);
  });
  test('over the count: page views and timing first, then events, micro goals, macro goals last; oldest first within each', () => {
    const macro = e(hit({ role: 'macro', ts: NOW - 9 }));
    const micro = e(hit({ role: 'micro', ts: NOW - 8 }));
    const ev1 = e(hit({ ts: NOW - 5 }));
    const ev0 = e(hit({ ts: NOW - 6 }));
    const pv = e(hit({ type: 'pageview', ts: NOW }));
    const timing = e({ ...hit(), type: 'timing', timing: {} } as Hit);
    const all = [macro, micro, ev1, ev0, pv, timing];
    const limits = { maxBytes: 1e6, maxAgeMs: 7 * DAY, now: NOW };
    expect(bound(all, { ...limits, maxHits: 4 })).toEqual([pv, timing]);
    expect(bound(all, { ...limits, maxHits: 2 })).toEqual([pv, timing, ev0, ev1]);
    expect(bound(all, { ...limits, maxHits: 0 })).toEqual([pv, timing, ev0, ev1, micro, macro]);
  });
  test('over the bytes: drops until the rest fits', () => {
    const a = e(hit({ ts: NOW - 2 }), 600);
    const b = e(hit({ ts: NOW - 1 }), 600);
    expect(bound([b, a], { maxHits: 10, maxBytes: 1000, maxAgeMs: 7 * DAY, now: NOW })).toEqual([a]);
  });
});

describe('createQueue', () => {
  test('add is synchronous; a burst is written in one transaction, after the current task', async () => {
    const q = make();
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const hits = Array.from({ length: 100 }, () => hit());
    hits.forEach((h) => expect(q.add(h)).toBe(true));
    expect(q.size()).toBe(100);
    expect(spy).not.toHaveBeenCalled();
    await q.persist();
    expect(spy.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(1);
    expect((await stored()).sort()).toEqual(hits.map((h) => h.id).sort());
    // Records of 50 hits (recordHits), each a JSON string.
    expect((await records()).map(([, text]) => JSON.parse(text).length)).toEqual([50, 50]);
    expect([...q.entries()].every((e) => e.stored > 0)).toBe(true);
    spy.mockRestore();
  });

  test('writeAfterMs: the write waits that long, opening no database before; a persist meanwhile writes at once', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const open = vi.spyOn(indexedDB, 'open');
    const q = make({ writeAfterMs: 300 });
    const first = [hit(), hit()];
    first.forEach((h) => q.add(h));
    await sleep(100);
    // The JSON is made in the next task; the database is not even opened yet.
    expect([...q.entries()].every((e) => e.json && !e.stored)).toBe(true);
    expect(open).not.toHaveBeenCalled();
    await sleep(400);
    expect(open).toHaveBeenCalledTimes(1);
    open.mockRestore();
    expect((await stored()).sort()).toEqual(first.map((h) => h.id).sort());

    const tx = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const late = hit();
    q.add(late);
    await q.persist();
    expect(await stored()).toContain(late.id);
    const writes = () => tx.mock.calls.filter(([, mode]) => mode === 'readwrite').length;
    const after = writes();
    await sleep(500);
    expect(writes()).toBe(after);
    tx.mockRestore();
  });

  test('close() with a write still waiting (writeAfterMs): it is written first', async () => {
    const q = make({ writeAfterMs: 60_000 });
    const h = hit();
    q.add(h);
    await new Promise((r) => setTimeout(r, 20));
    expect(await stored()).not.toContain(h.id);
    q.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).toContain(h.id);
  });

  test('clear() while a write is on its way: that write is dropped, and the next persist writes the new hits without throwing', async () => {
    const q = make();
    q.add(hit());
    const pending = q.persist();
    q.clear();
    await pending;
    const h = hit();
    q.add(h);
    await expect(q.persist()).resolves.toBeUndefined();
    expect(await stored()).toEqual([h.id]);
  });

  test('a new page reads back what an earlier one left, oldest first, ts unchanged', async () => {
    const first = make();
    const a = hit({ ts: NOW - 2000 });
    const b = hit({ ts: NOW - 1000 });
    first.add(b);
    first.add(a);
    await first.persist();
    const second = make();
    const c = hit({ ts: NOW });
    second.add(c);
    await second.load();
    expect(ids(second)).toEqual([a.id, b.id, c.id]);
    expect([...second.entries()][0].hit).toEqual(a);
  });

  test('remove deletes from memory and storage; load forgets hits another tab sent', async () => {
    const tab1 = make();
    const tab2 = make();
    const [x, y] = [hit(), hit()];
    tab1.add(x);
    tab1.add(y);
    await tab1.persist();
    await tab2.load();
    await tab2.remove([...tab2.entries()].filter((e) => e.hit.id === x.id));
    expect(await stored()).toEqual([y.id]);
    await tab1.load();
    expect(ids(tab1)).toEqual([y.id]);
  });

  test('tombstones: hits a beacon took are never read back, and are rewritten out of their record', async () => {
    const kv = createMemoryStore();
    const page1 = make({ kv });
    const [x, y] = [hit(), hit()];
    page1.add(x);
    page1.add(y);
    await page1.persist();
    // The page goes away right after the beacon: pretend the record rewrite never committed.
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new Error('page gone');
    });
    await page1.remove([...page1.entries()].filter((e) => e.hit.id === x.id), true);
    spy.mockRestore();
    expect(await stored()).toContain(x.id);
    const page2 = make({ kv });
    await page2.load();
    expect(ids(page2)).toEqual([y.id]);
    expect(await stored()).toEqual([y.id]);
    expect(kv.get(name + ':sent')).toBeNull();
  });

  test('a removed hit whose record rewrite is unconfirmed when the page leaves is tombstoned; an unwritten one is left in localStorage', async () => {
    const kv = createMemoryStore();
    const page1 = make({ kv });
    const [sent, kept] = [hit(), hit()];
    page1.add(sent);
    page1.add(kept);
    await page1.persist();
    const late = hit();
    page1.add(late);
    // Sent, then the page goes away before either write commits.
    void page1.remove([...page1.entries()].filter((e) => e.hit.id === sent.id));
    page1.leave();
    expect(JSON.parse(kv.get(name + ':sent')!)).toEqual([sent.id]);
    expect(JSON.parse(kv.get(name + ':spill')!).map((h: Hit) => h.id)).toEqual([late.id]);
    const page2 = make({ kv });
    await page2.load();
    expect(ids(page2).sort()).toEqual([kept.id, late.id].sort());
    expect(kv.get(name + ':spill')).toBeNull();
  });

  test('records another tab rewrote or deleted are the truth: hits it sent are forgotten here', async () => {
    const tab1 = make();
    const tab2 = make();
    const hits = [hit(), hit(), hit()];
    hits.forEach((h) => tab1.add(h));
    await tab1.persist();
    await tab2.load();
    await tab2.remove([...tab2.entries()].slice(0, 2));
    expect(await stored()).toEqual([hits[2].id]);
    await tab1.load();
    expect(ids(tab1)).toEqual([hits[2].id]);
    await tab2.remove([...tab2.entries()]);
    expect(await records()).toEqual([]);
    await tab1.load();
    expect(tab1.size()).toBe(0);
  });

  test('corrupted records are skipped and deleted; a record with one bad hit is rewritten without it', async () => {
    const s = createStore(name, 'hits');
    const [good, good2] = [hit(), hit()];
    await setMany([['r1', JSON.stringify([good])], ['junk', '{}'], ['bad-json', '[{'], [42, 'x'], ['nul', null], ['mixed', JSON.stringify([good2, { id: 'bad' }])]], s);
    const q = make();
    await q.load();
    expect(ids(q).sort()).toEqual([good.id, good2.id].sort());
    expect((await keys(s)).sort()).toEqual(['mixed', 'r1']);
    expect((await stored()).sort()).toEqual([good.id, good2.id].sort());
  });

  test('our database without our object store gets it in an upgrade', async () => {
    await new Promise((done) => {
      const req = indexedDB.open(name);
      req.onupgradeneeded = () => req.result.createObjectStore('something-else');
      req.onsuccess = () => done(req.result.close());
    });
    const q = make();
    const h = hit();
    q.add(h);
    await q.persist();
    expect(await stored()).toEqual([h.id]);
  });

  test('bounds on add and on load: count, then age; dropped reported', async () => {
    const onDrop = vi.fn();
    const q = make({ maxHits: 10, onDrop });
    const macro = hit({ role: 'macro' });
    q.add(macro);
    for (let i = 0; i < 10; i++) q.add(hit({ type: 'pageview' }));
    // Over 10: trimmed to 90 %, page views first.
    expect(q.size()).toBe(9);
    expect(ids(q)).toContain(macro.id);
    expect(onDrop).toHaveBeenCalledWith(2);
    await q.persist();
    expect((await stored()).length).toBe(9);

    const old = make({ wallNow: () => NOW + 8 * DAY, onDrop });
    await old.load();
    expect(old.size()).toBe(0);
    expect(onDrop).toHaveBeenLastCalledWith(9);
  });

  test('refuses a hit too large to ever send, once its JSON is made; the others stay', () => {
    const onRefuse = vi.fn();
    const q = make({ maxHitBytes: 1000, onRefuse });
    const big = hit({ event: { action: 'x'.repeat(2000) } } as Partial<Hit>);
    const small = hit();
    expect(q.add(big)).toBe(true);
    q.add(small);
    expect(ids(q)).toEqual([small.id]);
    expect(onRefuse).toHaveBeenCalledWith(big);
    expect(q.add(small)).toBe(false);
    expect(q.size()).toBe(1);
  });

  test('add leaves the JSON and the write to a later task, in chunks; a persist makes them first', async () => {
    let reads = 0;
    // Serialising a hit reads its url: the count of reads is the count of hits serialised.
    const counted = () => Object.defineProperty(hit(), 'url', { enumerable: true, get: () => (reads++, 'https://shop.example/') });
    const q = make();
    for (let i = 0; i < 2500; i++) q.add(counted());
    await Promise.resolve();
    expect(reads).toBe(0);
    // Registered after the queue's own timer: runs right after its first chunk.
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2000);
    await q.persist();
    expect(reads).toBe(2500);
    expect((await stored()).length).toBe(2500);
  });

  test('retry moves hits behind the others', () => {
    const q = make();
    const [a, b, c] = [hit(), hit(), hit()];
    [a, b, c].forEach((h) => q.add(h));
    q.retry([...q.entries()].slice(0, 1));
    expect(ids(q)).toEqual([b.id, c.id, a.id]);
  });

  test('clear deletes memory, tombstones and the database', async () => {
    const kv = createMemoryStore();
    const q = make({ kv });
    q.add(hit());
    await q.persist();
    kv.set(name + ':sent', '["x"]');
    q.clear();
    expect(q.size()).toBe(0);
    expect(kv.get(name + ':sent')).toBeNull();
    await vi.waitFor(async () => expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name));
  });

  test('another tab deleting the database (versionchange) closes our connection; we reopen and go on', async () => {
    const q = make();
    q.add(hit());
    await q.persist();
    const other = make();
    other.clear();
    await vi.waitFor(async () => expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name));
    const h = hit();
    q.add(h);
    await q.persist();
    expect(await stored()).toEqual([h.id]);
  });
});

describe('storage faults: memory fallback, no rejection escapes', () => {
  const broken = (open: IDBFactory['open']): IDBFactory => Object.assign(Object.create(IDBFactory.prototype), { open, deleteDatabase: () => ({}) });

  test.each([
    ['indexedDB missing', undefined],
    ['open throws', broken(() => { throw new DOMException('no', 'SecurityError'); })],
    ['open never answers', broken(() => ({}) as IDBOpenDBRequest)],
  ])('%s', async (_, idb) => {
    const q = make({ idb });
    const h = hit();
    q.add(h);
    const t = performance.now();
    await q.persist();
    await q.load();
    expect(performance.now() - t).toBeLessThan(5000);
    expect(ids(q)).toEqual([h.id]);
    await q.remove([...q.entries()]);
    expect(q.size()).toBe(0);
  });

  test('a write that aborts (quota) keeps the hits in memory and writes them once storage works again', async () => {
    let clock = 0;
    const q = make({ now: () => clock });
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore) {
      this.transaction.abort();
      throw new DOMException('full', 'QuotaExceededError');
    });
    const h = hit();
    q.add(h);
    await q.persist();
    expect(ids(q)).toEqual([h.id]);
    spy.mockRestore();
    // Memory only for a while...
    await q.persist();
    expect(await stored()).toEqual([]);
    // ...then IndexedDB again, and the hits kept in memory are written.
    clock = 60_000;
    await q.persist();
    expect(await stored()).toEqual([h.id]);
  });
});
