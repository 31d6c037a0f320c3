// examples/traffic/run.mjs against the shop server of the shop's own tests
// (with the recording fake goalpost): it marks the run as simulated (and
// goes on when that route is missing), completes its visits, and leaves no
// hit behind: every page load's beacons reached the server before the visit's
// context closed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startShopServer, type ShopServer } from './support/shop-server.mjs';

const runner = fileURLToPath(new URL('../../examples/traffic/run.mjs', import.meta.url));
type FakeBeacon = { fake: true; page: string; call: unknown[] };

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

let server: ShopServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('npm run demo:traffic', () => {
  it('runs its visits, tolerates a collector without /api/simulated and delivers every beacon', async () => {
    server = await startShopServer({ simulatedStatus: 404 });
    const { code, out } = await run(['--base', server.base, '--visits', '10', '--seed', '11', '--concurrency', '2', '--linger-share', '0', '--networks', 'fiber,cable', '--max-wait', '15000']);
    expect(code, out).toBe(0);
    expect(out).toContain('no POST /api/simulated (404)');
    expect(out).toMatch(/10 simulated visits in \dm\d\ds/);
    expect(out).toContain('slower visitors convert less because the behaviour model');
    expect(server.stats.simulated).toEqual([expect.objectContaining({ simulated: true, visits: 10, seed: 11 })]);

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

  it('marks the run as simulated when the collector has the route', async () => {
    server = await startShopServer({ simulatedStatus: 204 });
    const { code, out } = await run(['--base', server.base, '--visits', '2', '--seed', '3', '--linger-share', '0', '--networks', 'fiber']);
    expect(code, out).toBe(0);
    expect(out).toContain('the collector marks this traffic as simulated');
    expect(server.stats.simulated).toHaveLength(1);
  }, 120_000);

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
