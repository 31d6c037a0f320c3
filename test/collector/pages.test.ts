// What the collector serves besides /collect: the shop, the SDK, the report
// page a marketer reads, and the simulated-traffic marker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { payload, post, rawRequest, startTestCollector, visit, type TestCollector } from './support';

describe('static files', () => {
  let c: TestCollector;
  let outside: string;
  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-shop-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside the shop');
    fs.mkdirSync(path.join(root, 'products'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Shop home</title>');
    fs.writeFileSync(path.join(root, 'cart.html'), '<!doctype html><title>Cart</title>');
    fs.writeFileSync(path.join(root, 'style.css'), 'body{}');
    fs.writeFileSync(path.join(root, 'products', 'index.html'), '<!doctype html><title>Products</title>');
    fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    const sdk = path.join(root, '..', `goalpost-sdk-${process.pid}.js`);
    fs.writeFileSync(sdk, 'window.goalpost=1');
    c = await startTestCollector({ staticRoot: root, sdkPath: sdk });
  });
  afterAll(async () => {
    await c.close();
  });

  test('the shop at / and /shop/, with content types', async () => {
    for (const [route, type, text] of [
      ['/', 'text/html; charset=utf-8', 'Shop home'],
      ['/shop/', 'text/html; charset=utf-8', 'Shop home'],
      ['/cart.html', 'text/html; charset=utf-8', 'Cart'],
      ['/cart', 'text/html; charset=utf-8', 'Cart'],
      ['/shop/cart', 'text/html; charset=utf-8', 'Cart'],
      ['/products/', 'text/html; charset=utf-8', 'Products'],
      ['/style.css', 'text/css; charset=utf-8', 'body{}'],
      ['/goalpost.iife.js', 'text/javascript; charset=utf-8', 'window.goalpost=1'],
    ]) {
      const res = await fetch(c.url + route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type'), route).toBe(type);
      expect(await res.text(), route).toContain(text);
    }
  });

  test('folders without their slash redirect, so relative links work', async () => {
    for (const [route, location] of [
      ['/shop', '/shop/'],
      ['/products', '/products/'],
      ['/shop/products', '/shop/products/'],
    ]) {
      const res = await fetch(c.url + route, { redirect: 'manual' });
      expect(res.status, route).toBe(301);
      expect(res.headers.get('location'), route).toBe(location);
    }
  });

  test('nothing outside the shop folder, no dotfiles', async () => {
    for (const p of ['/../package.json', '/shop/../../package.json', '/%2e%2e/package.json', '/shop/%2e%2e%2f%2e%2e%2fpackage.json', '/..%5c..%5cpackage.json', '/.env', '/shop/.env', '/link.txt', '/%00', '/nope.html']) {
      const res = await rawRequest(c, { path: p });
      expect([400, 404], p).toContain(res.status);
      expect(res.body, p).not.toMatch(/goalpost|SECRET|outside the shop/);
    }
    expect((await rawRequest(c, { path: '/%E0%A4%A' })).status).toBe(400);
  });

  test('HEAD has the headers only; other methods get 405', async () => {
    const head = await fetch(`${c.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const postRes = await fetch(`${c.url}/cart`, { method: 'POST', body: 'x' });
    expect(postRes.status).toBe(405);
    expect(postRes.headers.get('allow')).toBe('GET, HEAD');
  });

  test('a missing shop or SDK is a clean 404 that says what to do', async () => {
    const bare = await startTestCollector({ sdkPath: path.join(outside, 'missing.js') });
    try {
      const home = await fetch(`${bare.url}/`);
      expect(home.status).toBe(404);
      expect(await home.text()).toContain('<a href="/report">/report</a>');
      const sdk = await fetch(`${bare.url}/goalpost.iife.js`);
      expect(sdk.status).toBe(404);
      expect(await sdk.text()).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});

describe('the report page', () => {
  let c: TestCollector;
  beforeAll(async () => {
    c = await startTestCollector({
      config: {
        endpoint: '/collect',
        currency: 'EUR',
        goals: [
          { id: 'purchase', kind: 'destination', url: '/thanks', funnel: [{ url: '/cart', name: 'Cart' }] },
          { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' } },
        ],
      },
    });
    const t = Date.UTC(2025, 10, 10, 9);
    const atc = { kind: 'event', role: 'micro' as const, supports: ['purchase'] };
    const buy = { kind: 'destination', role: 'macro' as const, value: 50, currency: 'EUR', assists: ['add_to_cart'] };
    // 4 sessions: 2 added to cart (1 bought), 2 did not (none bought).
    const visits = [
      visit('a', t).page('/', { lcp: 1000, ttfb: 200 }).goal('add_to_cart', atc).page('/cart').page('/thanks').goal('purchase', buy),
      visit('b', t + 1000).page('/', { lcp: 5000, ttfb: 2000 }).goal('add_to_cart', atc).page('/cart'),
      visit('c', t + 2000).page('/', { lcp: 3000, ttfb: 1000 }),
      visit('d', t + 3000).page('/blog'),
    ];
    let lastReceived = 0;
    for (const v of visits) {
      c.clock.now = v.end + 1000;
      lastReceived = Math.max(lastReceived, c.clock.now);
      expect((await post(c, payload(v.hits, { sentAt: c.clock.now }))).status).toBe(204);
    }
    // The traffic generator says it is running (no end yet), then posts again with its end.
    const started = await post(c, { site: 'shop', from: t - 1000, note: 'npm run demo:traffic' }, {}, '/api/simulated');
    expect(started.json).toEqual({ id: 1, site: 'shop', from: t - 1000, to: null, note: 'npm run demo:traffic' });
    const ended = await post(c, { site: 'shop', from: t - 1000, to: lastReceived }, {}, '/api/simulated');
    expect(ended.json).toEqual({ id: 1, site: 'shop', from: t - 1000, to: lastReceived, note: 'npm run demo:traffic' });
    c.clock.now = Date.UTC(2025, 10, 12);
  });
  afterAll(async () => {
    await c.close();
  });

  test('reads in plain words: headline, micro-goal worth, funnel, speed, the simulated label', async () => {
    const res = await fetch(`${c.url}/report?from=2025-11-01&to=2025-11-30`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
      .replace(/\s+/g, ' ');
    expect(text).toContain('1 Nov 2025 to 30 Nov 2025 (UTC) · 4 sessions · 7 page views');
    // 1 of 4 bought: 25%, worth EUR 50.
    expect(text).toContain('Purchase 25% of 4 sessions converted: 1 conversion, worth €50.00.');
    // Reached add to cart: 1 of 2 = 50%; did not: 0 of 2.
    expect(text).toContain("Sessions that reached Add to cart converted to Purchase at 50% vs 0% for those that didn't: only sessions that reached it converted.");
    expect(text).toContain('Few sessions: treat with care.');
    // Funnel: cart 2, then 1 bought; 1 left at the cart (50%).
    expect(text).toMatch(/1\. Cart 2 .*1 50% left here/);
    expect(text).toContain('Converted: Purchase 1');
    // Speed: good LCP (a, 1000 ms) bought; poor (b, 5000 ms) did not.
    expect(text).toContain('Sessions landing on a fast page (good) converted to Purchase at 100% (1 session); on a slow page (poor) at 0% (1 session).');
    expect(html).toContain('Good (≤ 2.5 s)');
    expect(html).toMatch(/<svg class="bars"[^>]*aria-label="Purchase conversion rate by Largest Contentful Paint \(LCP\)"/);
    expect(text).toContain('Simulated traffic. All 4 sessions in this report were made by the demo traffic generator, not by real visitors: 2025-11-10 08:59 to 2025-11-10 09:00 (npm run demo:traffic).');
    // The filter keeps the dates.
    expect(html).toContain('<input type="date" name="from" value="2025-11-01" required>');
    expect(html).toContain('<form class="filter" method="get" action="/report">');
  });

  test('works under a strict CSP: no scripts, no inline styles, no outside assets', async () => {
    const res = await fetch(`${c.url}/report?from=2025-11-01&to=2025-11-30`);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|\sstyle=|<style|\son\w+=/i);
    expect(html.match(/(?:src|href)="[^"]*"/g)?.filter((a) => /https?:/.test(a)) ?? []).toEqual([]);
    const css = await fetch(`${c.url}/report.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.bar.poor rect');
  });

  test('an empty range says so and how to get data', async () => {
    const html = await (await fetch(`${c.url}/report?from=2024-01-01&to=2024-01-31`)).text();
    expect(html).toContain('No visits in these dates');
    expect(html).toContain('npm run demo:traffic');
    expect(html).not.toContain('Simulated traffic');
  });

  test('a bad date is a 400 page with the reason and the form', async () => {
    const res = await fetch(`${c.url}/report?from=2025-02-30`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('from must be a date like 2025-11-30, got &#34;2025-02-30&#34;');
    expect(html).toContain('<form class="filter"');
  });

  test('/api/simulated refuses what it cannot read and lists the ranges', async () => {
    const bad = await post(c, { from: 'soon', to: 5, note: 7 }, {}, '/api/simulated');
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual(['from: must be epoch ms or an ISO date', 'note: must be text of at most 500 characters']);
    const list = await (await fetch(`${c.url}/api/simulated`)).json();
    expect(list.ranges).toHaveLength(1);
  });
});

describe('the goal config', () => {
  test("is read from the shop's index.html config script, for each report", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-shop-'));
    const page = (goals: unknown) => `<!doctype html><script type="application/json" id="goalpost-config">${JSON.stringify({ endpoint: '/collect', goals })}</script>`;
    fs.writeFileSync(path.join(root, 'index.html'), page([{ id: 'purchase', kind: 'destination', url: '/thanks' }, { id: 'add_to_cart', name: 'Added to cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' } }]));
    const c = await startTestCollector({ staticRoot: root });
    try {
      const get = async () => (await fetch(`${c.url}/api/report`)).json();
      let r = await get();
      expect(r.config).toEqual({ source: path.relative(process.cwd(), path.join(root, 'index.html')), problems: [] });
      // Declared goals show before anyone reached them.
      expect(r.macroGoals.map((g: any) => [g.id, g.conversions])).toEqual([['purchase', 0]]);
      expect(r.microGoals.map((g: any) => [g.id, g.name, g.supports.map((s: any) => s.goal)])).toEqual([['add_to_cart', 'Added to cart', ['purchase']]]);

      // Edited while the collector runs: a broken config is reported, and goals then come from the hits.
      fs.writeFileSync(path.join(root, 'index.html'), page([{ id: 'add_to_cart', kind: 'event', supports: 'purchse', event: { action: 'add_to_cart' } }]));
      r = await get();
      expect(r.config.problems).toEqual(['goals[0].supports: unknown macro goal "purchse" (known: none)']);
      expect(r.macroGoals).toEqual([]);
    } finally {
      await c.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
