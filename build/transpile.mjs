// A rollup plugin that only strips TypeScript types (transpileModule): seconds
// instead of the type-checking plugin's tens of seconds. For build-time
// helpers and benchmarks; `npm run typecheck` still checks the sources.
import path from 'node:path';
import ts from 'typescript';

export function transpile() {
  return {
    name: 'transpile',
    resolveId(source, importer) {
      // './config' -> './config.ts'
      if (importer && source.startsWith('.') && !path.extname(source)) return path.resolve(path.dirname(importer), `${source}.ts`);
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, isolatedModules: true },
        fileName: id,
      });
      return { code: out.outputText, map: null };
    },
  };
}
