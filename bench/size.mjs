// Where the bytes of dist/goalpost.iife.js go: builds variants of the
// script-tag file and prints gzip -9 sizes. `node bench/size.mjs`
// (about a minute). Also used by bench/run.mjs for the size row.
import { pathToFileURL } from 'node:url';
import { bundle } from './lib/bundle.mjs';
import { compactConfig } from '../build/compactConfig.mjs';

const entry = new URL('../src/script.ts', import.meta.url).pathname;
const sideEffects = (id) => id.endsWith('src/script.ts') || id.startsWith('entry:');

/** Replaces a source file by `code` in one variant. */
const stub = (file, code) => ({ name: `stub-${file}`, load: (id) => (id.endsWith(file) ? code : null) });
const noConfig = stub('src/config.ts', 'export const parseConfig = (c) => ({ ok: true, config: c });');
const noVitals = stub('src/vitals/createVitals.ts', 'export const createVitals = () => ({ speed: () => ({}), timing: () => ({}), stop() {} }); export const navSpeed = () => ({});');
const only = (code) => ({ input: 'entry:x', virtual: { 'entry:x': code } });

export const variants = {
  'script-tag file (compact config validator)': { input: entry, plugins: [compactConfig()] },
  'same, with zod/mini validating the config': { input: entry, plugins: [] },
  'same, no config validation at all': { input: entry, plugins: [noConfig] },
  'same, no config validation, no web-vitals': { input: entry, plugins: [noConfig, noVitals] },
  'web-vitals onTTFB+onFCP+onLCP alone': only(`import {onTTFB,onFCP,onLCP} from 'web-vitals'; onTTFB(console.log); onFCP(console.log); onLCP(console.log)`),
  'web-vitals all five alone': only(`import {onTTFB,onFCP,onLCP,onINP,onCLS} from 'web-vitals'; onTTFB(console.log); onFCP(console.log); onLCP(console.log); onINP(console.log); onCLS(console.log)`),
  'idb-keyval get/set/del/entries/createStore alone': only(`import {get,set,del,entries,createStore} from 'idb-keyval'; window.x = [get,set,del,entries,createStore]`),
};

export async function measure(name) {
  const v = variants[name];
  return bundle({ sideEffects, ...v });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('variant'.padEnd(52), 'raw'.padStart(7), 'gzip -9'.padStart(8));
  for (const name of Object.keys(variants)) {
    const r = await measure(name);
    console.log(name.padEnd(52), String(r.raw).padStart(7), String(r.gzip).padStart(8));
  }
}
