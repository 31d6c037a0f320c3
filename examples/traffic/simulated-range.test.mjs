// @vitest-environment node
// The run's simulated-traffic range, against a stand-in collector whose clock
// is an hour ahead of this machine's: the range must be on the collector's clock.
import { afterEach, describe, expect, it } from 'vitest';
import { collectorTime, openSimulatedRange } from './simulated-range.mjs';
import { startFakeCollector } from './support/fake-collector.mjs';

const HOUR = 3_600_000;

function recordingLog() {
  const lines = [];
  return { lines, log: (...a) => lines.push(a.join(' ')), warn: (...a) => lines.push(a.join(' ')) };
}

let collector;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('collectorTime', () => {
  it('reads a Date header as the second it names, up to its last millisecond', () => {
    expect(collectorTime('Thu, 05 Dec 2024 13:48:07 GMT', 0)).toEqual({ earliest: Date.UTC(2024, 11, 5, 13, 48, 7), latest: Date.UTC(2024, 11, 5, 13, 48, 7, 999) });
  });

  it('falls back to the local clock without a usable header', () => {
    expect(collectorTime(null, 1234)).toEqual({ earliest: 1234, latest: 1234 });
    expect(collectorTime('soon', 1234)).toEqual({ earliest: 1234, latest: 1234 });
  });
});

describe('openSimulatedRange', () => {
  it('opens with { site, from, note } and closes with { site, from, to }, the same from, on the collector clock', async () => {
    collector = await startFakeCollector({ aheadMs: HOUR });
    const out = recordingLog();
    const range = await openSimulatedRange(collector.base, { site: 'shop', note: 'npm run demo:traffic: 3 visits, seed 1', log: out });
    expect(range).not.toBeNull();
    expect(collector.posts).toHaveLength(1);
    const [start] = collector.posts;
    expect(start.contentType).toBe('application/json');
    expect(start.body).toEqual({ site: 'shop', from: expect.any(Number), note: 'npm run demo:traffic: 3 visits, seed 1' });
    // Read from the collector's Date header just before: at most its clock then, and at most a second earlier.
    const clockRead = (i) => collector.requests.filter((r) => r.method === 'HEAD' && r.path === '/api/simulated')[i].at;
    expect(start.body.from).toBeLessThanOrEqual(clockRead(0));
    expect(start.body.from).toBeGreaterThan(clockRead(0) - 1000);

    const closed = await range.close();
    expect(collector.posts).toHaveLength(2);
    const [, end] = collector.posts;
    expect(end.body).toEqual({ site: 'shop', from: start.body.from, to: expect.any(Number) });
    // At least the collector's clock when it was read after the run, at most a second later.
    expect(end.body.to).toBeGreaterThanOrEqual(clockRead(1));
    expect(end.body.to).toBeLessThan(clockRead(1) + 1000);
    expect(closed).toEqual({ site: 'shop', from: start.body.from, to: end.body.to });
    expect(range.closed).toBe(true);
    expect(out.lines.join('\n')).toMatch(/marks this traffic as simulated, from .*\n.*ends at .*later visits count as real/);
  });

  it('closes the range the collector says it stored, once however often asked', async () => {
    collector = await startFakeCollector();
    const fetchRounding = async (url, init) => {
      const res = await fetch(url, init);
      if (init.method !== 'POST' || JSON.parse(init.body).to !== undefined) return res;
      const range = await res.json();
      return new Response(JSON.stringify({ ...range, from: range.from - 7 }), { status: res.status, headers: res.headers });
    };
    const range = await openSimulatedRange(collector.base, { site: '', note: null, fetch: fetchRounding, log: recordingLog() });
    await Promise.all([range.close(), range.close()]);
    await range.close();
    expect(collector.posts).toHaveLength(2);
    expect(collector.posts[1].body.from).toBe(collector.posts[0].body.from - 7);
  });

  it('leaves a collector without the route alone, and says the traffic is not marked', async () => {
    collector = await startFakeCollector({ simulatedStatus: 404 });
    const out = recordingLog();
    const range = await openSimulatedRange(collector.base, { site: 'shop', note: 'x', log: out });
    expect(range).toBeNull();
    expect(collector.posts).toHaveLength(1);
    expect(out.lines.join('\n')).toContain('no POST /api/simulated (404); this traffic is not marked as simulated');
  });

  it('says how to close the range by hand when the collector refuses to close it', async () => {
    collector = await startFakeCollector({ closeStatus: 500 });
    const out = recordingLog();
    const range = await openSimulatedRange(collector.base, { site: 'shop', note: 'x', log: out });
    expect(await range.close()).toBeNull();
    expect(range.closed).toBe(false);
    const from = collector.posts[0].body.from;
    expect(out.lines.join('\n')).toContain(`could not close the simulated range (500)`);
    expect(out.lines.join('\n')).toContain(`curl -X POST ${collector.base}/api/simulated -H 'content-type: application/json' -d '{"site":"shop","from":${from},"to":`);
  });

  it('never throws when the collector is gone', async () => {
    collector = await startFakeCollector();
    const out = recordingLog();
    const range = await openSimulatedRange(collector.base, { site: 'shop', note: 'x', log: out });
    await collector.close();
    collector = undefined;
    expect(await range.close()).toBeNull();
    expect(out.lines.join('\n')).toMatch(/could not close the simulated range \((ECONNREFUSED|fetch failed)\)/);
  });
});
