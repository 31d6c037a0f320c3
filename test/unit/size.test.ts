/**
 * The script-tag file's size is part of the product (issue 7): this test
 * fails the build above the ceiling, and names what must never be inside.
 * CEILING is a ratchet just above today's size: raise it only in the commit
 * that makes the file grow, and say why. The product budget (12 KB, goal
 * 8 KB) is checked by `npm run bench` with the other budgets.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * gzip -9 bytes of dist/goalpost.iife.js allowed today: 19,975 once the
 * durable queue, privacy and timing work landed (13,297 before them);
 * 19,286 once the build wrote the compact config validator as code (19,961 before);
 * 19,463 with track()'s deferred, chunked serialisation and one removal write per round;
 * 19,656 with V8's compile hint, web-vitals started at idle and storage opened on first use;
 * 19,359 (by the zlib this test uses) once the goal matchers, event input, script entry and
 * helpers were slimmed (-369 B);
 * 19,466 with the validator and URL stripping made cheaper to run cold (+85 B for about
 * -1 ms of start-up CPU, measured by A/B in Chromium); 19,345 once TTFB came from
 * Navigation Timing instead of web-vitals' onTTFB (-151 B) and the screen class from
 * a media query (+33 B); 18,940 once tracker, engine, session, signals and helpers were
 * slimmed again (-405 B, behaviour and warnings unchanged); 18,077 with web-vitals 5.3
 * instead of 6.2 (-863 B: v6's soft-navigation code, which we never use, cannot be
 * tree-shaken); 18,131 with IndexedDB written with the next send or hide, or a batch
 * interval after the hit (+47 B for no database in a page's first seconds, -1.5 ms start-up);
 * 17,984 once the file no longer hid Object.prototype's enumerable keys around its whole body
 * (the compact validator reads own keys only; the zod build still hides them, in config.ts);
 * 17,566 once delivery, queue, validator, event input, privacy, vitals and the script entry
 * were slimmed (-418 B, behaviour and messages unchanged); 17,580 with the IndexedDB store
 * made once per queue and bound, not closed over (+14 B: it kept the first write's hits alive).
 */
export const CEILING = 17_600;

const root = path.resolve(__dirname, '../..');
const file = path.join(root, 'dist/goalpost.iife.js');
let code = '';

/** Newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

beforeAll(async () => {
  const inputs = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'build')), statSync(path.join(root, 'rollup.config.mjs')).mtimeMs);
  if (!existsSync(file) || statSync(file).mtimeMs < inputs) {
    // Build just the script-tag file, with the project's own rollup config.
    const { rollup } = await import('rollup');
    const configs = (await import(path.join(root, 'rollup.config.mjs'))).default as any[];
    const config = configs.find((c) => c.output?.file?.endsWith('goalpost.iife.js'));
    const bundle = await rollup(config);
    await bundle.write(config.output);
    await bundle.close();
  }
  code = readFileSync(file, 'utf8');
}, 180_000);

describe('dist/goalpost.iife.js', () => {
  it(`is at most ${CEILING} bytes gzip -9`, () => {
    const size = gzipSync(code, { level: 9 }).length;
    expect(size, `${size} bytes gzip; ceiling ${CEILING}`).toBeLessThanOrEqual(CEILING);
  });

  it("starts with V8's compile hint (functions compiled off the main thread while the script streams in)", () => {
    expect(code.slice(0, 29)).toBe('//# allFunctionsCalledOnLoad\n');
  });

  it.each([
    ['zod (the script-tag build validates with the compact plan)', /_zod|\$Zod|ZodError|ZodMini|safeParse|jitless/],
    ['new Function or eval (strict CSP)', /new Function|\bFunction\(|\beval\(/],
    ['document.write, innerHTML or a debugger statement', /document\.write|innerHTML|\bdebugger\b/],
    ['a source map comment or a process.env lookup', /sourceMappingURL|process\.env/],
  ])('contains no %s', (_, pattern) => {
    expect(code.match(pattern)?.[0] ?? null).toBeNull();
  });

  it('still contains every config problem word, web-vitals and the command API', () => {
    for (const s of ['unknown macro goal', 'is a micro goal', 'duplicate goal id', 'not a valid regular expression', 'unknown goal kind', 'largest-contentful-paint', 'first-contentful-paint']) {
      expect(code).toContain(s);
    }
  });

  it('README states the same ceiling', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`at most **${(CEILING / 1024).toFixed(1)} KB** gzip`);
  });
});
