// @vitest-environment node
// The shop's pages carry goalpost.config.json inline and install goalpost by
// the script tag exactly as SPEC section 2 shows. These checks read the files
// only; test/shop/pages.browser.test.ts opens them in Chromium.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';

const shopDir = fileURLToPath(new URL('../../examples/shop/', import.meta.url));
const config = JSON.parse(readFileSync(join(shopDir, 'goalpost.config.json'), 'utf8'));

/** SPEC section 2, first line of the snippet. */
const STUB = 'window.goalpost=window.goalpost||function(){(goalpost.q=goalpost.q||[]).push(arguments)}';
const LOADER = '<script async src="/goalpost.iife.js"></script>';

function listPages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listPages(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : []))
    .sort();
}
const pages = listPages(shopDir).map((path) => ({ name: relative(shopDir, path), html: readFileSync(path, 'utf8') }));
const page = (name: string) => pages.find((p) => p.name === name)!.html;

describe('the shop config', () => {
  it('is a valid goalpost config', () => {
    const result = parseConfig(config);
    expect(result).toEqual(expect.objectContaining({ ok: true }));
  });

  it('declares all four goal kinds, two macro goals and micro goals for both', () => {
    const kinds = new Set(config.goals.map((g: { kind: string }) => g.kind));
    expect([...kinds].sort()).toEqual(['destination', 'duration', 'event', 'pagesPerSession']);
    const macros = config.goals.filter((g: { supports?: unknown }) => g.supports === undefined).map((g: { id: string }) => g.id);
    expect(macros.sort()).toEqual(['newsletter', 'purchase']);
    const supported = new Set(config.goals.flatMap((g: { supports?: string | string[] }) => (g.supports === undefined ? [] : [g.supports].flat())));
    expect([...supported].sort()).toEqual(['newsletter', 'purchase']);
    const purchase = config.goals.find((g: { id: string }) => g.id === 'purchase');
    expect(purchase.funnel.map((s: { name: string }) => s.name)).toEqual(['Cart', 'Checkout']);
    expect(config).toMatchObject({ endpoint: '/collect', site: 'shop', currency: 'EUR' });
  });
});

describe('every shop page', () => {
  it('exists: home, category, three products, cart, checkout, thanks, blog', () => {
    expect(pages.map((p) => p.name)).toEqual([
      'blog.html',
      'cart.html',
      'checkout.html',
      'checkout/thanks.html',
      'coffee.html',
      'index.html',
      'products/house-blend.html',
      'products/huila-decaf.html',
      'products/yirgacheffe.html',
    ]);
  });

  it.each(pages)('$name carries goalpost.config.json inline, unchanged (else run node examples/shop/sync-config.mjs)', ({ html }) => {
    const blocks = [...html.matchAll(/<script type="application\/json" id="goalpost-config">([\s\S]*?)<\/script>/g)];
    expect(blocks).toHaveLength(1);
    expect(JSON.parse(blocks[0][1])).toEqual(config);
  });

  it.each(pages)('$name installs goalpost by the script tag of SPEC section 2, in order, in <head>', ({ html }) => {
    const head = html.slice(0, html.indexOf('</head>'));
    const stubAt = head.indexOf(`<script>${STUB}</script>`);
    const configAt = head.indexOf('<script type="application/json" id="goalpost-config">');
    const loaderAt = head.indexOf(LOADER);
    expect(stubAt).toBeGreaterThan(-1);
    expect(configAt).toBeGreaterThan(stubAt);
    expect(loaderAt).toBeGreaterThan(configAt);
  });

  it.each(pages)('$name runs under a strict CSP: no inline code but the stub, no inline handlers or styles', ({ html }) => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attrs, body] of scripts) {
      const isData = /type="application\/json"/.test(attrs);
      const isExternal = /\bsrc="/.test(attrs) && body === '';
      expect(isData || isExternal || body === STUB, `inline script: ${body.slice(0, 60)}`).toBe(true);
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/javascript:/i);
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1] ?? '';
    const stubHash = `'sha256-${createHash('sha256').update(STUB).digest('base64')}'`;
    expect(csp).toContain(`script-src 'self' ${stubHash};`);
    expect(csp).not.toContain('unsafe');
  });

  it.each(pages)('$name links only to files that exist', ({ name, html }) => {
    const refs = [...html.matchAll(/\s(?:href|src|action)="(\/[^"]*)"/g)].map((m) => m[1].split(/[?#]/)[0]);
    const missing = refs.filter((ref) => ref !== '/goalpost.iife.js' && !existsSync(join(shopDir, ref)));
    expect(missing, name).toEqual([]);
  });
});

describe('the goal markup', () => {
  it('add-to-cart buttons carry action, category, product id and price as data attributes', () => {
    const buttons = pages.flatMap((p) => [...p.html.matchAll(/<button[^>]*class="add-to-cart"[^>]*>/g)].map((m) => m[0]));
    expect(buttons.length).toBeGreaterThanOrEqual(9);
    for (const b of buttons) {
      expect(b).toContain('data-goalpost-event="add_to_cart"');
      expect(b).toContain('data-goalpost-category="coffee"');
      expect(b).toMatch(/data-goalpost-label="(house-blend|yirgacheffe|huila-decaf)"/);
      expect(Number(b.match(/data-goalpost-value="([^"]+)"/)?.[1])).toBeGreaterThan(0);
    }
  });

  it('the newsletter form is on the home page and the blog', () => {
    for (const name of ['index.html', 'blog.html']) expect(page(name)).toContain('<form class="newsletter"');
  });

  it('every product page has a reviews toggle and one add-to-cart button for itself', () => {
    for (const id of ['house-blend', 'yirgacheffe', 'huila-decaf']) {
      const html = page(`products/${id}.html`);
      expect(html).toContain('class="reviews-toggle"');
      expect(html).toContain(`data-goalpost-label="${id}" data-goalpost-value=`);
    }
  });

  it('only the Yirgacheffe page carries the heavy image', () => {
    const heavy = pages.filter((p) => p.html.includes('/img/yirgacheffe.png')).map((p) => p.name);
    expect(heavy).toEqual(['products/yirgacheffe.html']);
    expect(readFileSync(join(shopDir, 'img/yirgacheffe.png')).length).toBeGreaterThan(300_000);
  });
});
