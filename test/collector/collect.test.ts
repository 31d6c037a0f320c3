// POST /collect: what is stored, what is refused and why, and that nothing a
// client sends can corrupt the data or stop the server.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { pageviewHit, payload, post, rawRequest, startTestCollector, nextId, type TestCollector } from './support';

let c: TestCollector;
afterEach(async () => {
  await c?.close();
});

const minute = 60_000;

describe('a valid batch', () => {
  test('is stored, one row per hit, with the fields reports query on', async () => {
    c = await startTestCollector();
    const t = c.clock.now - minute;
    const hits = [
      pageviewHit({ ts: t, seq: 1, url: 'https://shop.example/products/lamp?color=red', ref: 'https://search.example/' }),
      { ...pageviewHit({ ts: t + 1000, seq: 2 }), type: 'event', event: { action: 'add_to_cart', category: 'shop', value: 39.5, props: { sku: 'L-1' } } },
      { ...pageviewHit({ ts: t + 2000, seq: 3 }), type: 'timing', timing: { ttfb: 120, lcp: 1830.4, cls: 0.02, nav: 'navigate' } },
      {
        ...pageviewHit({ ts: t + 3000, seq: 4 }),
        type: 'goal',
        goal: { id: 'add_to_cart', kind: 'event', role: 'micro', supports: ['purchase'], value: 39.5, currency: 'EUR' },
        speed: { ttfb: 120, lcp: 1830.4 },
      },
    ];
    const res = await post(c, payload(hits, { sentAt: c.clock.now, dropped: 2 }));
    expect(res.status).toBe(204);
    expect(res.headers.get('x-goalpost-stored')).toBe('4');

    const rows = c.rows();
    expect(rows.map((r) => [r.id, r.type, r.site, r.sid, r.seq])).toEqual(hits.map((h) => [h.id, h.type, 'shop', 'session-1', h.seq]));
    expect(rows[0]).toMatchObject({ path: '/products/lamp?color=red', ref: 'https://search.example/', nav: 'navigate', screen: 'desktop', ts: t, ts_corrected: t });
    expect(rows[1]).toMatchObject({ event_action: 'add_to_cart', event_category: 'shop', event_value: 39.5 });
    expect(JSON.parse(rows[1].event).props).toEqual({ sku: 'L-1' });
    expect(rows[2]).toMatchObject({ ttfb: 120, lcp: 1830.4, cls: 0.02, nav: 'navigate' });
    expect(rows[3]).toMatchObject({ goal_id: 'add_to_cart', goal_role: 'micro', goal_value: 39.5, goal_currency: 'EUR', lcp: 1830.4 });
    expect(JSON.parse(rows[3].goal).supports).toEqual(['purchase']);

    const db = new Database(c.dbPath, { readonly: true });
    expect(db.prepare('SELECT hits, stored, dropped FROM batches').all()).toEqual([{ hits: 4, stored: 4, dropped: 2 }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  test('may come as application/json or without a content type', async () => {
    c = await startTestCollector();
    expect((await post(c, payload([pageviewHit()]), { 'Content-Type': 'application/json' })).status).toBe(204);
    const res = await rawRequest(c, { method: 'POST', path: '/collect', body: [JSON.stringify(payload([pageviewHit()]))] });
    expect(res.status).toBe(204);
    expect(c.rows()).toHaveLength(2);
  });

  test('answers other origins (CORS), preflight included, and exposes Retry-After', async () => {
    c = await startTestCollector();
    const res = await post(c, payload([pageviewHit()]), { Origin: 'https://shop.example' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');

    const pre = await fetch(`${c.url}/collect`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');

    // Errors carry CORS headers too, or a cross-origin client could not read the status.
    const bad = await post(c, '{', { Origin: 'https://shop.example' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('duplicates', () => {
  test('the same batch twice, overlapping batches and a repeated id in one batch are stored once', async () => {
    c = await startTestCollector();
    const [a, b, d, e] = [1, 2, 3, 4].map((seq) => pageviewHit({ seq }));

    const first = await post(c, payload([a, b, d]));
    expect(first.status).toBe(204);
    // A retry of a batch the server had already stored: success, nothing new.
    const again = await post(c, payload([a, b, d]));
    expect(again.status).toBe(204);
    expect([again.headers.get('x-goalpost-stored'), again.headers.get('x-goalpost-duplicates')]).toEqual(['0', '3']);
    // A beacon that resent b and d with a new hit e.
    const overlap = await post(c, payload([b, d, e]));
    expect(overlap.headers.get('x-goalpost-stored')).toBe('1');
    // The same id twice in one batch.
    const f = pageviewHit({ seq: 5 });
    await post(c, payload([f, { ...f, seq: 6 }]));

    expect(c.rows().map((r) => r.id)).toEqual([a.id, b.id, d.id, e.id, f.id]);
    // The first copy wins.
    expect(c.rows(`id = '${f.id}'`)[0].seq).toBe(5);
  });
});

describe('bad input is refused with a reason, and nothing of it is stored', () => {
  test('invalid JSON', async () => {
    c = await startTestCollector();
    const res = await post(c, '{"v":1,"site":"shop",');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^invalid JSON: /);
    expect((await post(c, '')).json.error).toMatch(/body is empty/);
    expect(c.rows()).toHaveLength(0);
  });

  test('a body that is not UTF-8', async () => {
    c = await startTestCollector();
    const res = await rawRequest(c, { method: 'POST', path: '/collect', headers: { 'Content-Type': 'text/plain' }, body: [Buffer.from([0x7b, 0xff, 0xfe, 0x7d])] });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/not UTF-8/);
  });

  test('the wrong schema: every problem named by its path, the good hits of the batch not stored either', async () => {
    c = await startTestCollector();
    const good = pageviewHit();
    const { sid: _sid, ...noSid } = pageviewHit({ seq: 3 });
    const res = await post(c, { ...payload([good, { ...pageviewHit({ seq: 2 }), type: 'click' }, noSid, pageviewHit({ seq: 4, ts: -5 })]), v: 2 });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/not a goalpost payload/);
    expect(res.json.issues).toEqual([
      'v: must be 1, got 2',
      'hits[1].type: must be "pageview", "event", "goal" or "timing", got "click"',
      'hits[2].sid: is required (text)',
      'hits[3].ts: must be at least 0, got -5',
    ]);
    expect(c.rows()).toHaveLength(0);

    const list = await post(c, []);
    expect(list.json.issues).toEqual(['payload: must be an object, got a list of 0']);
    const empty = await post(c, payload([]));
    expect(empty.json.issues).toEqual(['hits: must be at least 1 items, got a list of 0']);
  });

  test('an oversize body: 413, whether its length is declared or streamed', async () => {
    c = await startTestCollector({ bodyLimit: 64 * 1024 });
    const big = JSON.stringify(payload([pageviewHit({ url: `https://shop.example/?q=${'x'.repeat(70 * 1024)}` })]));
    const declared = await post(c, big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toBe('body over 65536 bytes');

    // Chunked, no Content-Length: the limit is counted as the body arrives.
    const chunk = 'x'.repeat(16 * 1024);
    const streamed = await rawRequest(c, { method: 'POST', path: '/collect', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' }, body: Array(6).fill(chunk) });
    expect(streamed.status).toBe(413);
    expect(c.rows()).toHaveLength(0);

    // The default limit is 1 MiB.
    await c.close();
    c = await startTestCollector();
    const mib = await post(c, JSON.stringify(payload([pageviewHit()])).padEnd(1024 * 1024 + 1, ' '));
    expect(mib.status).toBe(413);
    expect(mib.json.error).toBe('body over 1048576 bytes');
    // Still serving.
    expect((await post(c, payload([pageviewHit()]))).status).toBe(204);
  });

  test('the wrong content: other media types, charsets and encodings get 415', async () => {
    c = await startTestCollector();
    const body = JSON.stringify(payload([pageviewHit()]));
    for (const [headers, reason] of [
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, /Content-Type application\/x-www-form-urlencoded is not accepted/],
      [{ 'Content-Type': 'multipart/form-data; boundary=x' }, /Content-Type multipart\/form-data is not accepted/],
      [{ 'Content-Type': 'text/plain; charset=ISO-8859-1' }, /charset iso-8859-1 is not accepted/],
      [{ 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }, /Content-Encoding gzip/],
    ] as const) {
      const res = await post(c, body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(res.json.error).toMatch(reason);
    }
    expect(c.rows()).toHaveLength(0);
  });

  test('other methods get 405 with Allow', async () => {
    c = await startTestCollector();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${c.url}/collect`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    }
  });

  test('a malformed HTTP request gets 400 and the server carries on', async () => {
    c = await startTestCollector();
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(c.port, '127.0.0.1', () => socket.write('POST /collect HTTP/1.1\r\nContent-Length: nope\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect((await post(c, payload([pageviewHit()]))).status).toBe(204);
  });
});

describe('storage failures', () => {
  test('a batch is stored whole or not at all; a write failure is a 503 the client retries', async () => {
    c = await startTestCollector();
    // Fail the third hit of a batch, as a full disk would.
    c.store.db.exec("CREATE TRIGGER fail BEFORE INSERT ON hits WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const res = await post(c, payload([1, 2, 3, 4].map((seq) => pageviewHit({ seq }))));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(c.rows()).toHaveLength(0);
    const db = new Database(c.dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM batches').get()).toEqual({ n: 0 });
    db.close();

    c.store.db.exec('DROP TRIGGER fail');
    expect((await post(c, payload([1, 2, 3, 4].map((seq) => pageviewHit({ seq }))))).status).toBe(204);
    expect(c.rows()).toHaveLength(4);
  });

  test('a hit the schema lets through but nobody can store (props nested 20,000 deep) is a 400, not a retry', async () => {
    c = await startTestCollector();
    const deep = `${'{"x":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const hit = { ...pageviewHit(), type: 'event', event: { action: 'nested', props: { deep: 'DEEP' } } };
    // Built as text: JSON.stringify cannot write it either.
    const res = await post(c, JSON.stringify(payload([pageviewHit({ seq: 2 }), hit])).replace('"DEEP"', deep));
    expect(res.status).toBe(400);
    expect(res.json.issues).toEqual(['hits[1]: cannot be stored (Maximum call stack size exceeded)']);
    expect(c.rows()).toHaveLength(0);
  });
});

describe('clock skew', () => {
  test('a client clock off by more than 2 s is corrected with sentAt; ts is kept as sent', async () => {
    c = await startTestCollector();
    const now = c.clock.now;
    // An hour slow: happened 30 s before the request, by the client's clock an hour earlier.
    const slow = pageviewHit({ ts: now - 3_600_000 - 30_000 });
    await post(c, payload([slow], { sentAt: now - 3_600_000 }));
    // Ten minutes fast.
    const fast = pageviewHit({ ts: now + 600_000 - 5_000 });
    await post(c, payload([fast], { sentAt: now + 600_000 }));
    // 1.5 s off: within the threshold, network time as much as clock error; left alone.
    const close = pageviewHit({ ts: now - 1_500 - 20_000 });
    await post(c, payload([close], { sentAt: now - 1_500 }));
    // A hit stamped after its own request was made (the clock jumped): capped at the time we received it.
    const jumped = pageviewHit({ ts: now + 5_000 });
    await post(c, payload([jumped], { sentAt: now }));

    const byId = Object.fromEntries(c.rows().map((r) => [r.id, r]));
    expect(byId[slow.id]).toMatchObject({ ts: slow.ts, ts_corrected: now - 30_000, skew: 3_600_000, received_at: now, sent_at: now - 3_600_000 });
    expect(byId[fast.id]).toMatchObject({ ts: fast.ts, ts_corrected: now - 5_000, skew: -600_000 });
    expect(byId[close.id]).toMatchObject({ ts: close.ts, ts_corrected: close.ts, skew: 1_500 });
    expect(byId[jumped.id]).toMatchObject({ ts: jumped.ts, ts_corrected: now, skew: 0 });
  });

  test('the threshold is an option', async () => {
    c = await startTestCollector({ skewThresholdMs: 0 });
    const hit = pageviewHit({ ts: c.clock.now - 1_500 - 20_000 });
    await post(c, payload([hit], { sentAt: c.clock.now - 1_500 }));
    expect(c.rows()[0].ts_corrected).toBe(c.clock.now - 20_000);
  });
});

describe('a flood from one client', () => {
  test('gets 429 with Retry-After once its burst is spent; other clients and later requests go through', async () => {
    c = await startTestCollector({ rateLimit: { perClient: { burst: 5, perSecond: 0.5 } } });
    const from = (cid: string) => payload([pageviewHit({ cid })]);
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(c, from('flooder'));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('2');
        expect(res.json.error).toBe('too many requests from this client: retry in 2 s');
      }
    }
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429, 429, 429, 429, 429, 429, 429]);
    expect((await post(c, from('someone-else'))).status).toBe(204);

    // 4 s later the flooder has 2 tokens again.
    c.clock.now += 4_000;
    expect([(await post(c, from('flooder'))).status, (await post(c, from('flooder'))).status, (await post(c, from('flooder'))).status]).toEqual([204, 204, 429]);

    expect(c.rows()).toHaveLength(5 + 1 + 2);
  });

  test('hundreds of concurrent requests: exactly the allowed ones are stored, the file stays sound, the server keeps answering', async () => {
    c = await startTestCollector({ rateLimit: { perClient: { burst: 20, perSecond: 0.001 } } });
    const batches = Array.from({ length: 300 }, (_, i) => payload(Array.from({ length: 10 }, (_, k) => pageviewHit({ cid: 'flooder', seq: i * 10 + k + 1 }))));
    const results = await Promise.all(batches.map((b) => post(c, b)));
    const count = (s: number) => results.filter((r) => r.status === s).length;
    expect([count(204), count(429)]).toEqual([20, 280]);
    const stored = new Set(results.flatMap((r, i) => (r.status === 204 ? batches[i].hits.map((h) => h.id) : [])));
    expect(new Set(c.rows().map((r) => r.id))).toEqual(stored);

    const db = new Database(c.dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect((await fetch(`${c.url}/api/report`)).status).toBe(200);
    expect((await post(c, payload([pageviewHit({ cid: 'calm' })]))).status).toBe(204);
  });

  test('one address sending too much is refused before its body is read', async () => {
    c = await startTestCollector({ rateLimit: { perIp: { burst: 3, perSecond: 1 } } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(c, payload([pageviewHit({ cid: `c${i}`, id: nextId() })]))).status);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
  });
});
