// Rollup plugin for the script-tag build: replaces src/config.ts (zod/mini,
// ~9 KB gzip) with the compact validator: src/parseWithPlan.ts's functions
// composed by code that src/configPlan.ts writes here, at build time, from
// the very zod schema in src/config.ts.
// test/unit/compactConfig.test.ts holds the two validators to identical results.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import { transpile } from './transpile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = (f) => path.join(root, 'src', f);
const CONFIG = src('config.ts');
const VIRTUAL = '\0goalpost:compact-config';

/** Loads the zod schema in Node and walks it into the validator's source (src/configPlan.ts). */
export async function derivePlan() {
  const entry = '\0plan-entry';
  const bundle = await rollup({
    input: entry,
    plugins: [
      { name: 'entry', resolveId: (id) => (id === entry ? id : null), load: (id) => (id === entry ? `export { configSchema } from ${JSON.stringify(CONFIG)}; export { planConfig } from ${JSON.stringify(src('configPlan.ts'))};` : null) },
      resolve(),
      transpile(),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const mod = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
  return { plan: mod.planConfig(mod.configSchema), files: output[0].moduleIds ?? Object.keys(output[0].modules) };
}

export function compactConfig() {
  let plan;
  return {
    name: 'compact-config',
    async buildStart() {
      const derived = await derivePlan();
      plan = derived.plan;
      for (const f of derived.files) if (f.startsWith(path.join(root, 'src'))) this.addWatchFile(f);
    },
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const target = path.resolve(path.dirname(importer), source);
      return target === CONFIG || `${target}.ts` === CONFIG ? VIRTUAL : null;
    },
    load(id) {
      if (id !== VIRTUAL) return null;
      return [
        // configRules.ts first: in this order the file gzips ~12 B smaller.
        `import * as R from ${JSON.stringify(src('configRules.ts'))};`,
        `import * as P from ${JSON.stringify(src('parseWithPlan.ts'))};`,
        plan,
        `export const parseConfig = (input) => P.parseWithPlan(plan, input);`,
      ].join('\n');
    },
  };
}

