// The built files must run under a strict Content Security Policy
// (script-src 'self' 'nonce-…', no 'unsafe-eval', no 'unsafe-inline'):
// nothing in dist/ may compile strings to code or inject markup or scripts.
// Run `npm run build` first; the browser test test/e2e/privacy-csp.test.ts
// proves the same at run time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(__dirname, '../../dist');

const FORBIDDEN: [string, RegExp][] = [
  ['eval', /(?<![\w$.])eval\s*\(/],
  ['indirect eval', /\(\s*0\s*,\s*eval\s*\)/],
  ['new Function / Function()', /(?<![\w$.])Function\s*\(/],
  ['a string timer', /\bset(?:Timeout|Interval|Immediate)\s*\(\s*["'`]/],
  ['a script element', /createElement\s*\(\s*["'`]script/i],
  ['innerHTML / outerHTML', /\.(?:inner|outer)HTML\s*=/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write(?:ln)?\s*\(/],
  ['an inline event handler', /setAttribute\s*\(\s*["'`]on/i],
  ['a javascript: URL', /["'`]javascript:/i],
];

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? builtFiles(join(dir, e.name)) : /\.m?js$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function violations(code: string): string[] {
  return FORBIDDEN.flatMap(([what, re]) => {
    const m = re.exec(code);
    return m ? [`${what}: …${code.slice(Math.max(0, m.index - 40), m.index + 40)}…`] : [];
  });
}

describe('CSP scan of dist/', () => {
  it('finds the built files (run npm run build first)', () => {
    expect(existsSync(join(DIST, 'goalpost.iife.js')), 'dist/goalpost.iife.js is missing: run `npm run build`').toBe(true);
    expect(builtFiles(DIST).map((f) => relative(DIST, f))).toEqual(expect.arrayContaining(['goalpost.iife.js', 'goalpost.js', 'schema.js']));
  });

  it.each(existsSync(DIST) ? builtFiles(DIST).map((f) => [relative(DIST, f), f]) : [])('%s has no eval, new Function, string timers or injected code', (_, file) => {
    expect(violations(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the scan catches each thing it looks for', () => {
    const samples = [
      'a=eval("1")', 'x=(0,eval)', 'new Function("return 1")', 'Function("x")()', 'setTimeout("go()",9)', "setInterval('x', 1)",
      'document.createElement("script")', 'e.innerHTML=s', 'e.insertAdjacentHTML("beforeend",s)', 'document.write(s)',
      'e.setAttribute("onclick",s)', 'a.href="javascript:void 0"',
    ];
    for (const s of samples) expect(violations(s), s).not.toEqual([]);
    // ...and lets ordinary minified code through.
    const ok = 'function f(e){return typeof e=="function"}setTimeout(()=>t(),5);o.evaluate(x);isFunction(y);r.textContent=s';
    expect(violations(ok)).toEqual([]);
  });
});
