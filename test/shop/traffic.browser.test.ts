// examples/traffic/run.mjs against the shop server of the shop's own tests
// (with the recording fake goalpost): it marks the run as simulated (and
// goes on when that route is missing), completes its visits, and leaves no
// hit behind: every page load's beacons reached the server before the visit's
// context closed. It closes its simulated range after the run, also when
// stopped; against the real collector, a visit after the run counts as real.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './support/collector-process.mjs';
import { startShopServer, type ShopServer } from './support/shop-server.mjs';

const runner = fileURLToPath(new URL('../../examples/traffic/run.mjs', import.meta.url));
type FakeBeacon = { fake: true; page: string; call: unknown[] };
type RangePost = { site: string; from: number; to?: number; note?: string };

function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, [runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, out }))) };
}
const run = (args: string[]) => start(args).done;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: ShopServer | undefined;
let collector: CollectorProcess | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await collector?.close();
  collector = undefined;
});

describe('npm run demo:traffic', () => {
  it('runs its visits, tolerates a collector without /api/simulated and delivers every beacon', async () => {
    server = await startShopServer({ simulatedStatus: 404 });
    const { code, out } = await run(['--base', server.base, '--visits', '10', '--seed', '11', '--concurrency', '2', '--linger-share', '0', '--networks', 'fiber,cable', '--max-wait', '15000']);
    expect(code, out).toBe(0);
    expect(out).toContain('no POST /api/simulated (404)');
    expect(out).toMatch(/10 simulated visits in \dm\d\ds/);
    expect(out).toContain('slower visitors convert less because the behaviour model');
    // Nothing to close when the collector keeps no ranges.
    expect(server.stats.simulated).toEqual([{ site: 'shop', from: expect.any(Number), note: 'npm run demo:traffic: 10 visits, seed 11' }]);

    const loads = [...server.stats.loads.values()].reduce((a, b) => a + b, 0);
    const beacons = server.stats.collect as FakeBeacon[];
    const pageviews = beacons.filter((b) => b.call[0] === 'pageview');
    expect(loads).toBeGreaterThanOrEqual(10);
    expect(pageviews).toHaveLength(loads);
    expect(beacons.filter((b) => b.call[0] === 'flush')).toHaveLength(10);
    // Every order completed the purchase goal by hand, with a value, on the checkout page.
    const purchases = beacons.filter((b) => b.call[0] === 'goal');
    expect(purchases).toHaveLength(server.stats.loads.get('/checkout/thanks.html') ?? 0);
    for (const p of purchases) {
      expect(p.page).toBe('/checkout.html');
      expect(p.call).toEqual(['goal', 'purchase', expect.any(Number)]);
    }
    const summaryPurchases = Number(out.match(/outcomes: .*?purchased (\d+)/)?.[1] ?? 0);
    expect(purchases).toHaveLength(summaryPurchases);
  }, 180_000);

  it('marks the run as simulated when the collector has the route, from before its first hit to after its last', async () => {
    server = await startShopServer({ simulatedStatus: 200 });
    const { code, out } = await run(['--base', server.base, '--visits', '2', '--seed', '3', '--linger-share', '0', '--networks', 'fiber']);
    expect(code, out).toBe(0);
    expect(out).toContain('the collector marks this traffic as simulated');
    const [open, close, ...more] = server.stats.simulated as RangePost[];
    expect(more).toEqual([]);
    expect(open).toEqual({ site: 'shop', from: expect.any(Number), note: 'npm run demo:traffic: 2 visits, seed 3' });
    expect(close).toEqual({ site: 'shop', from: open.from, to: expect.any(Number) });
    expect(server.stats.collectAt.length).toBeGreaterThan(0);
    for (const at of server.stats.collectAt) {
      expect(at).toBeGreaterThanOrEqual(open.from);
      expect(at).toBeLessThanOrEqual(close.to!);
    }
  }, 120_000);

  it('closes the range at once when stopped (Ctrl+C), without waiting for the visits under way', async () => {
    server = await startShopServer({ simulatedStatus: 200 });
    // Lingering visitors stay over a minute.
    const { child, done } = start(['--base', server.base, '--visits', '2', '--seed', '5', '--linger-share', '1', '--networks', 'fiber']);
    const until = Date.now() + 30_000;
    while ((server.stats.loads.size === 0 || server.stats.simulated.length === 0) && Date.now() < until) await sleep(100);
    expect(server.stats.loads.size).toBeGreaterThan(0);
    await sleep(1_000);
    const stoppedAt = Date.now();
    child.kill('SIGINT');
    const { code, out } = await done;
    expect(code, out).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(30_000); // a lingering visit alone would take a minute
    expect(out).toContain('SIGINT: stopping');
    expect(out).toMatch(/(1 visit under way was|2 visits under way were) cut off by the stop/);
    const [open, close, ...more] = server.stats.simulated as RangePost[];
    expect(more).toEqual([]);
    expect(close).toEqual({ site: 'shop', from: open.from, to: expect.any(Number) });
    expect(close.to).toBeGreaterThanOrEqual(stoppedAt - 1000);
  }, 120_000);

  it('keeps to --minutes: cuts off the visits still under way at the end and closes the range', async () => {
    server = await startShopServer({ simulatedStatus: 200 });
    // Every second visitor lingers over a minute; the run has half of one.
    const started = Date.now();
    const { code, out } = await run(['--base', server.base, '--visits', '6', '--minutes', '0.5', '--seed', '8', '--linger-share', '0.5', '--networks', 'fiber']);
    expect(code, out).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(out).toContain('within 0.5 min');
    // The lingering three at least; a regular one too only on a machine too busy to finish it in 20 s.
    const cut = Number(/(\d) visits under way were cut off by the 0\.5-minute limit/.exec(out)?.[1]);
    expect(cut).toBeGreaterThanOrEqual(3);
    expect(out).toMatch(new RegExp(`\\n${6 - cut} simulated visits in 0m[3-5]\\ds`));
    const [open, close, ...more] = server.stats.simulated as RangePost[];
    expect(more).toEqual([]);
    expect(close).toEqual({ site: 'shop', from: open.from, to: expect.any(Number) });
  }, 120_000);

  it('against the real collector: its sessions are simulated, a visit after the run is not', async () => {
    collector = await startCollectorProcess();
    const { code, out } = await run(['--base', collector.base, '--visits', '3', '--seed', '21', '--linger-share', '0', '--networks', 'fiber,cable']);
    expect(code, out).toBe(0);
    const getJson = async (path: string) => (await fetch(collector!.base + path)).json();
    const { ranges } = await getJson('/api/simulated');
    expect(ranges).toEqual([{ id: 1, site: 'shop', from: expect.any(Number), to: expect.any(Number), note: 'npm run demo:traffic: 3 visits, seed 21' }]);
    const during = await getJson('/api/report');
    expect(during.totals.sessions).toBe(3);
    expect(during.simulated).toMatchObject({ any: true, sessions: 3 });

    // A real purchase once the collector's clock has passed the range's end.
    while (Date.parse((await fetch(collector.base + '/api/simulated', { method: 'HEAD' })).headers.get('date')!) <= ranges[0].to) await sleep(200);
    const now = Date.now();
    const ids = { cid: randomUUID(), sid: randomUUID(), pid: randomUUID() };
    const hits = [
      { id: randomUUID(), type: 'pageview', ts: now - 2000, ...ids, seq: 1, url: `${collector.base}/checkout/thanks.html`, nav: 'navigate', screen: 'desktop' },
      { id: randomUUID(), type: 'goal', ts: now - 1000, ...ids, seq: 2, url: `${collector.base}/checkout/thanks.html`,
        goal: { id: 'purchase', kind: 'destination', role: 'macro', supports: [], value: 40, currency: 'EUR', assists: [] }, speed: { lcp: 900 } },
    ];
    const sent = await fetch(collector.base + '/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ v: 1, site: 'shop', sentAt: now, dropped: 0, hits }),
    });
    expect(sent.status).toBe(204);
    const after = await getJson('/api/report');
    expect(after.totals.sessions).toBe(4);
    expect(after.simulated).toMatchObject({ any: true, sessions: 3 });
    const page = await (await fetch(collector.base + '/report')).text();
    expect(page).toContain('3 of 4 sessions in this report');
    expect(page).not.toContain('still running');
  }, 180_000);

  it('--dry-run prints the plan and sends nothing', async () => {
    server = await startShopServer();
    const { code, out } = await run(['--base', server.base, '--visits', '50', '--seed', '1', '--dry-run']);
    expect(code, out).toBe(0);
    expect(out).toContain('dry run: nothing is opened or sent');
    expect(out).toMatch(/intents: .*bounce \d+/);
    expect(server.stats.loads.size).toBe(0);
    expect(server.stats.simulated).toHaveLength(0);
  });

  it('refuses a base that is not on this machine', async () => {
    const { code, out } = await run(['--base', 'http://example.com', '--dry-run']);
    expect(code).toBe(1);
    expect(out).toContain('--base must be a local address');
  });
});
