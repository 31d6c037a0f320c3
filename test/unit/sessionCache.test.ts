/**
 * The session record is cached in memory and written back once per task
 * (issue 7's hot path); tabs still share it through localStorage (SPEC 4).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type KeyValue } from '../../src/lib/safeStorage';
import { createSession, SESSION_KEY } from '../../src/session';

/** A store that counts reads and writes of the session key. */
function countingStore(inner: KeyValue = createMemoryStore()) {
  const counts = { get: 0, set: 0 };
  const store: KeyValue = {
    get: (k) => (k === SESSION_KEY && counts.get++, inner.get(k)),
    set: (k, v) => (k === SESSION_KEY && counts.set++, inner.set(k, v)),
    remove: (k) => inner.remove(k),
  };
  return { store, counts };
}

/** A deferral the test runs by hand, standing in for the end of the task. */
function manualDefer() {
  const queue: (() => void)[] = [];
  return { defer: (fn: () => void) => void queue.push(fn), run: () => queue.splice(0).forEach((fn) => fn()) };
}

let n = 0;
const newId = () => `id-${String(++n).padStart(8, '0')}`;

describe('session cache', () => {
  it('reads storage once and writes once per task, however many hits', () => {
    const { store, counts } = countingStore();
    const task = manualDefer();
    const s = createSession({ storage: store, timeoutMs: 60_000, newId, defer: task.defer });
    for (let t = 1000; t < 1100; t++) {
      const rec = { ...s.current(t) };
      rec.seq++;
      rec.last = t;
      s.commit(rec);
    }
    expect(counts).toEqual({ get: 1, set: 0 });
    task.run();
    expect(counts).toEqual({ get: 1, set: 1 });
    expect(JSON.parse(store.get(SESSION_KEY)!).seq).toBe(100);
  });

  it('shares the session between tabs: a resync reads what the other tab wrote', () => {
    const shared = createMemoryStore();
    const a = manualDefer();
    const b = manualDefer();
    const tabA = createSession({ storage: shared, timeoutMs: 60_000, newId, defer: a.defer });
    const tabB = createSession({ storage: shared, timeoutMs: 60_000, newId, defer: b.defer });
    expect(tabB.cid).toBe(tabA.cid);
    const first = { ...tabA.current(1000), seq: 1 };
    tabA.commit(first);
    a.run();
    const inB = tabB.current(1001);
    expect(inB.sid).toBe(first.sid);
    tabB.commit({ ...inB, seq: 2, last: 1001 });
    b.run();
    // Tab A still has its own copy until the storage event tells it to look again.
    expect(tabA.current(1002).seq).toBe(1);
    tabA.resync();
    expect(tabA.current(1002)).toMatchObject({ sid: first.sid, seq: 2 });
  });

  it('times out from the cached record as from the stored one', () => {
    const task = manualDefer();
    const s = createSession({ storage: createMemoryStore(), timeoutMs: 1000, newId, defer: task.defer });
    const rec = { ...s.current(0), seq: 1 };
    s.commit(rec);
    expect(s.current(1000).sid).toBe(rec.sid);
    expect(s.current(1001).sid).not.toBe(rec.sid);
  });

  it('forget() drops a write still waiting, so nothing is left in storage', () => {
    const { store } = countingStore();
    const task = manualDefer();
    const s = createSession({ storage: store, timeoutMs: 60_000, newId, defer: task.defer });
    s.commit({ ...s.current(5), seq: 1 });
    s.forget();
    task.run();
    expect(store.get(SESSION_KEY)).toBeNull();
  });

  it('writes by default at the end of the current task (a microtask)', async () => {
    const store = createMemoryStore();
    const s = createSession({ storage: store, timeoutMs: 60_000, newId });
    s.commit({ ...s.current(5), seq: 3 });
    expect(store.get(SESSION_KEY)).toBeNull();
    await Promise.resolve();
    expect(JSON.parse(store.get(SESSION_KEY)!).seq).toBe(3);
  });
});
