#!/usr/bin/env node
// The shop's goalpost config lives in one place, goalpost.config.json. Every
// page carries it inline, as the README's script-tag install does, in
// <script type="application/json" id="goalpost-config">…</script>.
// This script writes the JSON file into that block of every page:
//
//   node examples/shop/sync-config.mjs          rewrite the pages
//   node examples/shop/sync-config.mjs --check  exit 1 if a page differs
//
// test/shop/config-sync.test.ts fails when someone forgets to run it.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const shopDir = fileURLToPath(new URL('.', import.meta.url));
export const configPath = join(shopDir, 'goalpost.config.json');
export const CONFIG_BLOCK = /(<script type="application\/json" id="goalpost-config">)([\s\S]*?)(<\/script>)/;

/** The config as a page carries it: one line, with "<" escaped so no value can close the script element. */
export function inlineConfig(config) {
  return JSON.stringify(config).replace(/</g, '\\u003c');
}

/** Every .html file under the shop, as absolute paths, sorted. */
export function listPages(dir = shopDir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listPages(path));
    else if (entry.name.endsWith('.html')) out.push(path);
  }
  return out.sort();
}

/** The page with its config block replaced, or null when it has none. */
export function withConfig(html, config) {
  if (!CONFIG_BLOCK.test(html)) return null;
  return html.replace(CONFIG_BLOCK, (_, open, _old, close) => open + inlineConfig(config) + close);
}

function main(argv) {
  const check = argv.includes('--check');
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  let problems = 0;
  for (const page of listPages()) {
    const name = relative(shopDir, page);
    const html = readFileSync(page, 'utf8');
    const next = withConfig(html, config);
    if (next === null) {
      console.error(`${name}: no <script type="application/json" id="goalpost-config"> block`);
      problems++;
    } else if (next !== html) {
      if (check) {
        console.error(`${name}: inline config differs from goalpost.config.json`);
        problems++;
      } else {
        writeFileSync(page, next);
        console.log(`${name}: updated`);
      }
    }
  }
  if (problems) {
    if (check) console.error('run: node examples/shop/sync-config.mjs');
    process.exit(1);
  }
  if (check) console.log('every page carries goalpost.config.json');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
