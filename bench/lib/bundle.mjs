// Builds one entry the way rollup.config.mjs builds the script-tag file, but
// with types stripped by transpileModule (seconds, not tens of seconds): for
// size bisection (bench/size-variants.mjs) and the Node engine benchmark.
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { gzipSync } from 'node:zlib';
import { transpile } from '../../build/transpile.mjs';

export const terserOptions = { ecma: 2020, module: false, compress: { passes: 3 }, format: { comments: false } }; // as rollup.config.mjs

/** A virtual module map: id -> source. */
function virtualPlugin(virtual) {
  return {
    name: 'virtual',
    resolveId: (id) => (id in virtual ? id : null),
    load: (id) => (id in virtual ? virtual[id] : null),
  };
}

const onwarn = (w, next) => {
  if (w.code === 'CIRCULAR_DEPENDENCY' || w.code === 'INVALID_ANNOTATION') return;
  next(w);
};

/**
 * Bundles `input` (a path, or an id in `virtual`) to one string, with its raw
 * and gzip -9 sizes. format 'iife' + minify mirrors dist/goalpost.iife.js.
 */
export async function bundle({ input, virtual = {}, format = 'iife', minify = true, sideEffects, terserOpts = terserOptions, plugins = [], external }) {
  const build = await rollup({
    input,
    onwarn,
    external,
    plugins: [virtualPlugin(virtual), ...plugins, resolve({ browser: true }), transpile(), ...(minify ? [terser(terserOpts)] : [])],
    treeshake: sideEffects ? { moduleSideEffects: sideEffects } : undefined,
  });
  const { output } = await build.generate({ format, name: undefined });
  await build.close();
  const code = output[0].code;
  return { code, raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
}
