// @vitest-environment node
// run.mjs as a script, where it needs no browser: a run that fails after it
// has opened its simulated range still closes it. (The runs with Chromium are
// in test/shop/traffic.browser.test.ts.)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCollector } from './support/fake-collector.mjs';

const runner = fileURLToPath(new URL('./run.mjs', import.meta.url));

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

let collector;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('run.mjs', () => {
  it('closes the simulated range it opened when the browser cannot start', async () => {
    collector = await startFakeCollector({ aheadMs: 3_600_000 });
    const { code, out } = await run(['--base', collector.base, '--visits', '3', '--seed', '4', '--chromium', '/nonexistent/chromium']);
    expect(code, out).toBe(1);
    expect(out).toContain('demo:traffic:');
    expect(collector.posts.map((p) => p.body)).toEqual([
      { site: 'shop', from: expect.any(Number), note: 'npm run demo:traffic: 3 visits, seed 4' },
      { site: 'shop', from: collector.posts[0].body.from, to: expect.any(Number) },
    ]);
    expect(out).toContain('later visits count as real');
  });

  it('opens no range when it cannot start at all', async () => {
    collector = await startFakeCollector();
    const { code, out } = await run(['--base', collector.base, '--visits', '0']);
    expect(code).toBe(1);
    expect(out).toContain('--visits must be a number from 1');
    expect(collector.posts).toEqual([]);
  });

  it('labels the site it is told to', async () => {
    collector = await startFakeCollector();
    await run(['--base', collector.base, '--visits', '1', '--site', '', '--chromium', '/nonexistent/chromium']);
    expect(collector.posts.map((p) => p.body.site)).toEqual(['', '']);
  });
});
