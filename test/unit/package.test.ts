/** The published shape: entry points, exports and types as package.json promises them (needs `npm run build`). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// Paths as strings: under jsdom, URL objects are jsdom's and node:fs refuses them.
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p: string) => join(root, p);
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8'));

describe('package', () => {
  test('every file the exports map names exists after the build', () => {
    const targets: string[] = [];
    const walk = (v: unknown) => (typeof v === 'string' ? targets.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
    walk(pkg.exports);
    for (const t of targets) expect(existsSync(at(t)), t).toBe(true);
    expect(pkg.type).toBe('module');
    expect(pkg.files).toContain('dist');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['idb-keyval', 'web-vitals', 'zod']);
  });

  test("import { init } from 'goalpost' and the schemas from 'goalpost/schema'", async () => {
    const main = await import('goalpost');
    expect(typeof main.init).toBe('function');
    expect(typeof main.parseConfig).toBe('function');
    const schema = await import('goalpost/schema');
    expect(typeof schema.payloadSchema.safeParse).toBe('function');
    expect(typeof schema.configSchema.safeParse).toBe('function');
    expect(schema.payloadSchema.safeParse({ v: 1, site: 's', sentAt: 1, dropped: 0, hits: [] }).success).toBe(false);
  });

  test('the ES module has no top-level effects (sideEffects: false holds for it)', () => {
    const src = readFileSync(at('dist/goalpost.js'), 'utf8');
    expect(src).not.toMatch(/window\.goalpost\s*=/);
    expect(pkg.sideEffects).toEqual(expect.arrayContaining(['./dist/goalpost.iife.js']));
    expect(pkg.sideEffects).not.toContain('./dist/goalpost.js');
  });

  test('type declarations are bundled for both entry points', () => {
    const dts = readFileSync(at('dist/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function init/);
    expect(dts).toMatch(/interface Tracker/);
    expect(readFileSync(at('dist/schema.d.ts'), 'utf8')).toMatch(/payloadSchema/);
  });
});
