/**
 * The retry policy as pure functions, and the delivery's decisions against a
 * fake collector (jsdom + fake-indexeddb). Beacons, unload, real tabs and real
 * IndexedDB faults are in test/e2e/delivery.test.ts.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { backoff } from '../../src/lib/backoff';
import { createMemoryStore, type KeyValue } from '../../src/lib/safeStorage';
import { retryAfter } from '../../src/lib/retryAfter';
import { payloadSchema, type Hit, type Payload } from '../../src/schema';
import { createDelivery, MAX_BODY_BYTES, type Delivery } from '../../src/transport';

describe('retry policy', () => {
  test('backoff: about 1 s doubling to a 60 s cap, jittered between half and all of it', () => {
    expect(backoff(1, () => 0)).toBe(500);
    expect(backoff(1, () => 1)).toBe(1000);
    expect(backoff(2, () => 1)).toBe(2000);
    expect(backoff(4, () => 0.5)).toBe(6000);
    expect(backoff(7, () => 1)).toBe(60_000);
    expect(backoff(50, () => 0)).toBe(30_000);
    for (let i = 1; i < 20; i++) expect(backoff(i)).toBeLessThanOrEqual(60_000);
  });

  test('Retry-After: seconds or an HTTP-date, capped at 5 minutes', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfter('5', now)).toBe(5000);
    expect(retryAfter(' 0 ', now)).toBe(0);
    expect(retryAfter('3600', now)).toBe(300_000);
    expect(retryAfter('Sun, 22 Nov 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(retryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfter('Mon, 23 Nov 2026 10:00:00 GMT', now)).toBe(300_000);
    expect(retryAfter('soon', now)).toBeUndefined();
    expect(retryAfter('-1', now)).toBeUndefined();
    expect(retryAfter(null, now)).toBeUndefined();
  });
});

let n = 0;
const NOW = Date.now();
const ev = (over: Partial<Hit> = {}): Hit =>
  ({ id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, type: 'event', ts: NOW + n, cid: 'c', sid: 's', pid: 'p', seq: n, url: 'http://localhost:3000/', event: { action: 'a' }, ...over }) as Hit;

type Answer = number | { status: number; headers?: Record<string, string> } | 'network';

/** A collector that answers from a script, then 204; records every request. */
function collector(script: Answer[] = []) {
  const requests: { payload: Payload; status: number; keepalive?: boolean }[] = [];
  const fetchImpl = vi.fn(async (_url: string, init: RequestInit) => {
    const payload = payloadSchema.parse(JSON.parse(String(init.body))) as Payload;
    const answer = script.shift() ?? 204;
    if (answer === 'network') {
      requests.push({ payload, status: 0 });
      throw new TypeError('Failed to fetch');
    }
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    requests.push({ payload, status, keepalive: init.keepalive });
    return new Response(status === 204 ? null : 'ok', { status, headers });
  });
  const delivered = () => requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.payload.hits.map((h) => h.id));
  return { requests, fetchImpl, delivered };
}

const STATE = 'goalpost:test:http://localhost:3000/collect';
let delivery: Delivery | undefined;
let kv: KeyValue;
let clock = 1_000_000;

function start(c: ReturnType<typeof collector>, over: Partial<Parameters<typeof createDelivery>[0]> = {}): Delivery {
  delivery = createDelivery({
    endpoint: '/collect',
    site: 'test',
    maxHits: 10,
    flushIntervalMs: 60_000,
    win: window,
    fetchImpl: c.fetchImpl as unknown as typeof fetch,
    storage: kv,
    now: () => clock,
    random: () => 0,
    ...over,
  });
  return delivery;
}
const shared = () => JSON.parse(kv.get(STATE) ?? '{}');

beforeEach(() => {
  kv = createMemoryStore();
  clock = 1_000_000;
});
afterEach(() => {
  delivery?.stop();
  delivery = undefined;
});

describe('delivery', () => {
  test('2xx: every hit once, in bodies of at most maxHits; sentAt stamped per request; nothing left queued', async () => {
    const c = collector();
    let epoch = 5000;
    const d = start(c, { epochNow: () => (epoch += 1000) });
    const hits = Array.from({ length: 25 }, () => ev());
    hits.forEach((h) => d.push(h));
    await d.flush();
    expect(c.requests.map((r) => r.payload.hits.length)).toEqual([10, 10, 5]);
    expect(c.delivered()).toEqual(hits.map((h) => h.id));
    expect(c.requests[0].payload.hits[0]).toEqual(hits[0]);
    const sentAts = c.requests.map((r) => r.payload.sentAt);
    expect(new Set(sentAts).size).toBe(3);
    await d.flush();
    expect(c.requests).toHaveLength(3);
  });

  test('500 N times, then ok: the same ids and ts are sent again, once delivered never again', async () => {
    const c = collector([500, 503, 'network']);
    const d = start(c);
    const h = ev();
    d.push(h);
    for (let i = 0; i < 4; i++) await d.flush();
    expect(c.requests.map((r) => r.status)).toEqual([500, 503, 0, 204]);
    expect(c.requests.every((r) => r.payload.hits[0].id === h.id && r.payload.hits[0].ts === h.ts)).toBe(true);
    await d.flush();
    expect(c.requests).toHaveLength(4);
  });

  test('a failure pauses the queue with exponential backoff (shared record); the timer retries when it ends', async () => {
    const c = collector([500, 500]);
    const d = start(c);
    d.push(ev());
    await d.flush();
    expect(shared()).toMatchObject({ n: 1, u: clock + 500, a: 0 });
    clock += 500;
    await vi.waitFor(() => expect(c.requests).toHaveLength(2), { timeout: 3000 });
    await vi.waitFor(() => expect(shared()).toMatchObject({ n: 2, u: clock + 1000 }));
    clock += 1000;
    await vi.waitFor(() => expect(c.delivered()).toHaveLength(1), { timeout: 3000 });
    expect(shared()).toMatchObject({ n: 0, u: 0 });
  });

  test('other 4xx: that batch is dropped and later batches still go out', async () => {
    const c = collector([400]);
    const d = start(c, { maxHits: 2 });
    const hits = [ev(), ev(), ev(), ev()];
    hits.forEach((h) => d.push(h));
    await d.flush();
    expect(c.requests.map((r) => r.status)).toEqual([400, 204]);
    expect(c.delivered()).toEqual([hits[2].id, hits[3].id]);
    await d.flush();
    expect(c.requests).toHaveLength(2);
  });

  test('413 splits the batch; a single hit that gets 413 is dropped; the others arrive', async () => {
    const c = collector([413, 413, 413]);
    const d = start(c, { maxHits: 4 });
    const hits = [ev(), ev(), ev(), ev()];
    hits.forEach((h) => d.push(h));
    await d.flush();
    expect(c.requests.map((r) => r.payload.hits.length)).toEqual([4, 2, 1, 2, 1]);
    expect(c.delivered()).toEqual([hits[1].id, hits[2].id, hits[3].id]);
    await d.flush();
    expect(c.requests).toHaveLength(5);
  });

  test('429 with Retry-After pauses every tab for that long; flush does not cut it short; later it goes', async () => {
    const c = collector([{ status: 429, headers: { 'Retry-After': '120' } }]);
    const d = start(c);
    d.push(ev());
    await d.flush();
    expect(shared()).toMatchObject({ u: clock + 120_000, a: 1 });
    await d.flush();
    expect(c.requests).toHaveLength(1);
    clock += 120_000;
    await d.flush();
    expect(c.requests.map((r) => r.status)).toEqual([429, 204]);
  });

  test('a hit that keeps failing does not hold back the others', async () => {
    const bad = ev();
    const c = collector();
    c.fetchImpl.mockImplementation(async (_url: string, init: RequestInit) => {
      const payload = JSON.parse(String(init.body)) as Payload;
      const status = payload.hits.some((h) => h.id === bad.id) ? 500 : 204;
      c.requests.push({ payload, status });
      return new Response(null, { status });
    });
    const d = start(c, { maxHits: 10 });
    const good = [ev(), ev(), ev()];
    [bad, ...good].forEach((h) => d.push(h));
    for (let i = 0; i < 8; i++) await d.flush();
    expect(c.delivered().sort()).toEqual(good.map((h) => h.id).sort());
  });

  test('dropped hits are reported once, in the next payload that arrives', async () => {
    const c = collector([500]);
    const d = start(c);
    kv.set(STATE, JSON.stringify({ d: 7 }));
    d.push(ev());
    await d.flush();
    await d.flush();
    d.push(ev());
    await d.flush();
    expect(c.requests.map((r) => [r.status, r.payload.dropped])).toEqual([[500, 7], [204, 7], [204, 0]]);
  });

  test('a sender that died mid-send: its batch waits for the lease to run out, then goes with the same ids', async () => {
    const c = collector();
    kv.set(STATE, JSON.stringify({ t: 'dead-tab', e: clock + 15_000 }));
    const d = start(c);
    const h = ev();
    d.push(h);
    await d.flush();
    expect(c.requests).toHaveLength(0);
    clock += 15_001;
    await d.flush();
    expect(c.delivered()).toEqual([h.id]);
  });

  test('bodies stay under 60 KiB whatever maxHits; small ones go keepalive', async () => {
    const c = collector();
    const d = start(c, { maxHits: 10_000 });
    for (let i = 0; i < 300; i++) d.push(ev({ event: { action: 'a', label: 'x'.repeat(900) } } as Partial<Hit>));
    await d.flush();
    const sizes = c.fetchImpl.mock.calls.map(([, init]) => new TextEncoder().encode(String(init.body)).length);
    expect(Math.max(...sizes)).toBeLessThan(MAX_BODY_BYTES);
    expect(c.delivered()).toHaveLength(300);
    expect(c.requests.every((r) => r.keepalive)).toBe(true);
  });

  test('offline: nothing is tried until online', async () => {
    const c = collector();
    const d = start(c);
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    d.push(ev());
    await d.flush();
    expect(c.requests).toHaveLength(0);
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(c.delivered()).toHaveLength(1));
    onLine.mockRestore();
  });

  test('no timer keeps running once the queue is empty', async () => {
    const live = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const id = realSet(() => {
        live.delete(id);
        fn();
      }, ms);
      if ((ms ?? 0) >= 1000) live.add(id);
      return id;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((id: ReturnType<typeof setTimeout>) => {
      live.delete(id);
      realClear(id);
    }) as typeof clearTimeout);
    const c = collector();
    const d = start(c, { flushIntervalMs: 5000 });
    d.push(ev());
    expect(live.size).toBeGreaterThan(0);
    await d.flush();
    expect(c.delivered()).toHaveLength(1);
    expect(live.size).toBe(0);
    vi.restoreAllMocks();
  });

  test('clear() then stop() while a request is in flight: nothing is written back when it answers', async () => {
    let answer!: (r: Response) => void;
    const c = collector();
    c.fetchImpl.mockImplementation(() => new Promise<Response>((ok) => (answer = ok)));
    const d = start(c);
    d.push(ev());
    const done = d.flush();
    await vi.waitFor(() => expect(c.fetchImpl).toHaveBeenCalled());
    d.clear();
    d.stop();
    answer(new Response(null, { status: 204 }));
    await done;
    await new Promise((r) => setTimeout(r, 50));
    expect(kv.get(STATE)).toBeNull();
    expect((await indexedDB.databases()).map((x) => x.name)).not.toContain(STATE);
  });

  test('clear() deletes the stored queue and the shared record', async () => {
    const c = collector(['network']);
    const d = start(c);
    d.push(ev());
    await d.flush();
    expect(kv.get(STATE)).not.toBeNull();
    d.clear();
    expect(kv.get(STATE)).toBeNull();
    await vi.waitFor(async () => expect((await indexedDB.databases()).map((x) => x.name)).not.toContain(STATE));
  });
});
