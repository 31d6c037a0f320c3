import { describe, expect, test } from 'vitest';
import { createMemoryStore, safeStorage } from '../../src/lib/safeStorage';
import { createSession, CLIENT_KEY, SESSION_KEY } from '../../src/session';

let n = 0;
const ids = () => `id-${String(++n).padStart(6, '0')}`;
const MIN = 60_000;

describe('session', () => {
  test('keeps the client id in storage and reuses it', () => {
    const storage = createMemoryStore();
    const a = createSession({ storage, timeoutMs: 30 * MIN, newId: ids });
    const b = createSession({ storage, timeoutMs: 30 * MIN, newId: ids });
    expect(a.cid).toBe(b.cid);
    expect(storage.get(CLIENT_KEY)).toBe(a.cid);
  });

  test('a session lives while hits come within the timeout, then a new one starts', async () => {
    const storage = createMemoryStore();
    const s = createSession({ storage, timeoutMs: 30 * MIN, newId: ids });
    const first = s.current(1_000_000);
    expect(first.seq).toBe(0);
    s.commit({ ...first, seq: 1, last: 1_000_000 });
    await Promise.resolve(); // the record is written at the end of the task (session.ts)
    // Another tab (another Session over the same storage) sees the same session.
    const other = createSession({ storage, timeoutMs: 30 * MIN, newId: ids });
    expect(other.current(1_000_000 + 29 * MIN).sid).toBe(first.sid);
    expect(s.current(1_000_000 + 30 * MIN).sid).toBe(first.sid);
    const next = s.current(1_000_000 + 30 * MIN + 1);
    expect(next.sid).not.toBe(first.sid);
    expect(next).toMatchObject({ seq: 0, start: 1_000_000 + 30 * MIN + 1, engagedMs: 0, goals: { done: [], pages: 0, steps: {} } });
  });

  test('a damaged record starts a fresh session instead of failing', () => {
    const storage = createMemoryStore();
    storage.set(SESSION_KEY, '{"sid":1');
    const s = createSession({ storage, timeoutMs: MIN, newId: ids });
    expect(s.current(5).seq).toBe(0);
    storage.set(SESSION_KEY, JSON.stringify({ sid: 'abcdefgh', start: 0, last: 0, seq: 'x', engagedMs: 0, goals: {} }));
    expect(s.current(5).sid).not.toBe('abcdefgh');
  });

  test('forget removes the ids', () => {
    const storage = createMemoryStore();
    const s = createSession({ storage, timeoutMs: MIN, newId: ids });
    s.commit(s.current(1));
    s.forget();
    expect(storage.get(CLIENT_KEY)).toBeNull();
    expect(storage.get(SESSION_KEY)).toBeNull();
  });
});

describe('safeStorage', () => {
  test('falls back to memory where localStorage throws', () => {
    const kv = safeStorage(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    kv.set('a', '1');
    expect(kv.get('a')).toBe('1');
  });
  test('keeps working in memory when a write fails (quota)', () => {
    const backing = new Map<string, string>();
    let full = false;
    const fake = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full) throw new DOMException('full', 'QuotaExceededError');
        backing.set(k, v);
      },
      removeItem: (k: string) => void backing.delete(k),
    } as unknown as Storage;
    const kv = safeStorage(() => fake);
    kv.set('a', '1');
    full = true;
    kv.set('a', '2');
    expect(kv.get('a')).toBe('2');
  });
});
