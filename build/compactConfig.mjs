// Rollup plugin for the script-tag build: replaces src/config.ts (zod/mini,
// ~9 KB gzip) with the compact validator (src/parseWithPlan.ts) running a plan
// derived here, at build time, from the very zod schema in src/config.ts.
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

/** Loads the zod schema in Node and walks it into a plan (src/configPlan.ts). */
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
        `import { parseWithPlan } from ${JSON.stringify(src('parseWithPlan.ts'))};`,
        planSource(plan),
        `export const parseConfig = (input) => parseWithPlan(plan, input);`,
      ].join('\n');
    },
  };
}

/**
 * The plan as JavaScript, with subtrees that occur more than once (the Match
 * schema, the goal fields every kind shares) written once as constants.
 */
export function planSource(plan) {
  const count = new Map();
  const visit = (v) => {
    if (!v || typeof v !== 'object') return;
    const json = JSON.stringify(v);
    count.set(json, (count.get(json) ?? 0) + 1);
    Object.values(v).forEach(visit);
  };
  visit(plan);
  const names = new Map();
  const lines = [];
  const emit = (v) => {
    if (!v || typeof v !== 'object') return JSON.stringify(v);
    const json = JSON.stringify(v);
    if (names.has(json)) return names.get(json);
    const body = Array.isArray(v) ? `[${v.map(emit).join(',')}]` : `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${emit(x)}`).join(',')}}`;
    if (count.get(json) > 1 && json.length > 16) {
      const name = `p${names.size}`;
      names.set(json, name);
      lines.push(`const ${name} = ${body};`);
      return name;
    }
    return body;
  };
  const root = emit(plan);
  return [...lines, `const plan = ${root};`].join('\n');
}
