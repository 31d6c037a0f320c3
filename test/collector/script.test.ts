// `node examples/collector/server.mjs` as a user runs it: plain Node, no
// vitest alias, so `goalpost/schema` resolves through package.json to dist/.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pageviewHit, payload, post } from './support';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm test` builds first. Run alone, or before the SDK entry exists, build
 * just dist/schema.js (what the collector imports), transpiling without a type check.
 */
async function ensureSchemaBuild() {
  if (fs.existsSync(path.join(repo, 'dist/schema.js'))) return;
  const { rollup } = await import('rollup');
  const ts = (await import('typescript')).default;
  const bundle = await rollup({
    input: path.join(repo, 'src/schema.ts'),
    external: (id) => /^zod(\/|$)/.test(id),
    plugins: [
      {
        name: 'ts-paths',
        resolveId(source, importer) {
          if (importer && source.startsWith('.')) return path.resolve(path.dirname(importer), `${source}.ts`);
          return null;
        },
        transform(code, id) {
          if (!id.endsWith('.ts')) return null;
          return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020 } }).outputText;
        },
      },
    ],
  });
  await bundle.write({ file: path.join(repo, 'dist/schema.js'), format: 'es' });
  await bundle.close();
}

let child: ChildProcess;
let dir: string;
let out = '';

beforeAll(async () => {
  await ensureSchemaBuild();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-script-'));
  child = spawn(process.execPath, ['examples/collector/server.mjs'], {
    cwd: repo,
    env: { ...process.env, PORT: '0', GOALPOST_DB: path.join(dir, 'nested', 'demo.sqlite') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 10 s:\n${out}`)), 10_000);
    child.stdout?.on('data', () => {
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}, 30_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('prints the URLs to open, takes hits into the file from GOALPOST_DB, and stops cleanly on SIGTERM', async () => {
  const base = /Shop: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
  expect(base, out).toBeDefined();
  expect(out).toContain(`Report:   ${base}/report`);
  expect(out).toContain(`Collect:  POST ${base}/collect`);
  expect(out).toMatch(/Database: .*nested[/\\]demo\.sqlite/);

  const res = await post({ url: base as string }, payload([pageviewHit({ ts: Date.now() - 1000 })], { sentAt: Date.now() }));
  expect(res.status, res.text).toBe(204);
  const report = await (await fetch(`${base}/api/report`)).json();
  expect(report.totals.sessions).toBe(1);
  expect(fs.existsSync(path.join(dir, 'nested', 'demo.sqlite'))).toBe(true);

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 20_000);
