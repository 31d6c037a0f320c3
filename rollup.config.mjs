// Three builds from one source: the ES module for bundlers (dependencies left
// as imports), the self-starting script-tag file (everything inside, minified),
// and the bundled type declarations.
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { compactConfig } from './build/compactConfig.mjs';

// zod's sources trip two harmless rollup warnings (a circular import, a comment rollup cannot place).
const onwarn = (w, next) => {
  if (w.code === 'CIRCULAR_DEPENDENCY' && w.ids?.some((id) => id.includes('node_modules/zod'))) return;
  if (w.code === 'INVALID_ANNOTATION' && w.id?.includes('node_modules/zod')) return;
  next(w);
};
const external = (id) => /^(zod|idb-keyval|web-vitals)(\/|$)/.test(id);
// The script-tag build runs on pages we do not control. Its whole body,
// module-scope code included, sits in one try: nothing it throws reaches the
// page's window.onerror. (It walks no object with for-in: a page's enumerable
// additions to Object.prototype do not reach it. The ES module build validates
// with zod, which does: src/config.ts hides them while zod runs.)
const iifeGuard = {
  intro: 'try{',
  outro: '}catch(gpError){try{console.warn("[goalpost] could not start",gpError)}catch(gpIgnored){}}',
};
const ts = () => typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], noEmit: false, declaration: false });

export default [
  {
    input: { goalpost: 'src/index.ts', schema: 'src/schema.ts' },
    external,
    onwarn,
    plugins: [ts()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: 'src/script.ts',
    onwarn,
    // The script-tag file validates config with a plan derived from the zod schema, not with zod (build/compactConfig.mjs).
    // V8's explicit compile hint (Chrome 136+): every function is compiled with the script, off the main
    // thread while the async script streams in, instead of lazily on the main thread at first call:
    // start-up CPU of goalpost's tasks ~17 -> ~10 ms (issue 7). Other engines read it as a comment.
    plugins: [compactConfig(), resolve({ browser: true }), ts(), terser({ ecma: 2020, module: false, compress: { passes: 3, hoist_funs: true }, format: { comments: false, preamble: '//# allFunctionsCalledOnLoad' } })],
    output: { file: 'dist/goalpost.iife.js', format: 'iife', name: undefined, ...iifeGuard },
    treeshake: { moduleSideEffects: (id) => id.endsWith('src/script.ts') },
  },
  {
    input: { index: 'src/index.ts', schema: 'src/schema.ts' },
    external,
    plugins: [dts()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
];
