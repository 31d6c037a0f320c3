// The demo shop on its own, in Chromium: every page loads under its strict
// CSP without a console error, installs goalpost by the script tag, and the
// cart, checkout and newsletter work. goalpost itself is the recording fake
// of support/fake-goalpost.js, so these tests check what the shop asks of
// goalpost (which calls, with which values), not what goalpost does with it.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './support/browser';
import { startShopServer, type ShopServer } from './support/shop-server.mjs';

const PAGES = [
  '/index.html',
  '/coffee.html',
  '/products/house-blend.html',
  '/products/yirgacheffe.html',
  '/products/huila-decaf.html',
  '/cart.html',
  '/checkout.html',
  '/checkout/thanks.html',
  '/blog.html',
];
const screens = new URL('../../.tmp/shop-screens/', import.meta.url).pathname;

type FakeBeacon = { fake: true; page: string; call: unknown[] };

let server: ShopServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: Awaited<ReturnType<typeof watchProblems>>;

beforeAll(async () => {
  server = await startShopServer();
  browser = await launchChromium();
  mkdirSync(screens, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
beforeEach(async () => {
  server.stats.collect.length = 0;
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  watch = await watchProblems(page);
});
afterEach(async () => {
  await context?.close();
});

const calls = () => (server.stats.collect as FakeBeacon[]).filter((b) => b.fake);
/** Leaves the page so its last beacons go, and waits until the server has `n` of them. */
async function beaconsFlushed(n: number) {
  await expect.poll(() => calls().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(n);
}

describe('every page', () => {
  it.each(PAGES)('%s loads under its CSP with no console error and starts goalpost from the script tag', async (path) => {
    await page.goto(server.base + path);
    const install = await page.evaluate(() => {
      const scripts = [...document.head.querySelectorAll('script')];
      const config = document.getElementById('goalpost-config');
      const loader = document.head.querySelector('script[src="/goalpost.iife.js"]') as HTMLScriptElement | null;
      return {
        stubFirst: scripts[0]?.textContent?.startsWith('window.goalpost=window.goalpost||function()'),
        configParses: !!config && typeof JSON.parse(config.textContent ?? '') === 'object',
        loaderAsync: loader?.async === true,
        sdkRan: (window as unknown as { goalpost: { fake?: boolean } }).goalpost.fake === true,
      };
    });
    expect(install).toEqual({ stubFirst: true, configParses: true, loaderAsync: true, sdkRan: true });
    expect(await watch.csp()).toEqual([]);
    expect(watch.problems).toEqual([]);
    expect(server.stats.notFound).toEqual([]);
  });
});

describe('the Content Security Policy', () => {
  it('is enforced: an inline script other than the stub is refused and reported', async () => {
    await page.goto(`${server.base}/index.html`);
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => watch.csp()).toEqual([expect.stringMatching(/^script-src/)]);
  });
});

describe('shopping', () => {
  it('adds to the cart, changes quantities, checks out and completes the purchase with its value', async () => {
    await page.goto(`${server.base}/index.html`);
    const houseBlend = page.locator('.card button.add-to-cart[data-goalpost-label="house-blend"]');
    await houseBlend.click();
    await houseBlend.click();
    await expect.poll(() => page.textContent('[data-cart-count]')).toBe('2');

    await page.click('.card h3 a[href="/products/yirgacheffe.html"]');
    await page.waitForURL('**/products/yirgacheffe.html');
    await page.click('.reviews-toggle');
    expect(await page.locator('details.reviews').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.click('.product button.add-to-cart');
    await expect.poll(() => page.textContent('[data-cart-count]')).toBe('3');
    await page.screenshot({ path: `${screens}product-yirgacheffe.png`, fullPage: true });

    await page.click('a.cart-link');
    await page.waitForURL('**/cart.html');
    expect(await page.locator('.cart-line').count()).toBe(2);
    expect(await page.textContent('.cart-total')).toBe('€33.00'); // 2 × 9.50 + 14.00, shipping free from €30
    await page.click('button[aria-label="One less House Blend"]');
    expect(await page.textContent('.cart-total')).toBe('€28.40'); // 9.50 + 14.00 + 4.90 shipping
    await page.screenshot({ path: `${screens}cart.png`, fullPage: true });

    await page.click('a.begin-checkout');
    await page.waitForURL('**/checkout.html');
    await page.fill('#checkout-name', 'Ana Almeida');
    await page.fill('#checkout-email', 'ana@example.com');
    await page.fill('#checkout-street', 'Harbourstreet 4');
    await page.fill('#checkout-postcode', '10115');
    await page.fill('#checkout-city', 'Berlin');
    await page.screenshot({ path: `${screens}checkout.png`, fullPage: true });
    await page.click('button.place-order');
    await page.waitForURL(/\/checkout\/thanks\.html\?order=GP-[0-9A-F]{8}$/);

    const orderId = new URL(page.url()).searchParams.get('order');
    expect(await page.textContent('[data-order-id]')).toBe(orderId);
    expect(await page.textContent('[data-order] .cart-total')).toBe('€28.40');
    expect(await page.textContent('[data-cart-count]')).toBe('0');
    expect(page.url()).not.toContain('ana');
    await page.screenshot({ path: `${screens}thanks.png`, fullPage: true });

    await page.goto('about:blank');
    await beaconsFlushed(9);
    const seen = calls().map((b) => ({ page: b.page.split('?')[0], call: b.call }));
    // The purchase is completed by hand on the checkout page, with the order total, before the thank-you page view.
    expect(seen).toContainEqual({ page: '/checkout.html', call: ['goal', 'purchase', 28.4] });
    const purchaseAt = seen.findIndex((b) => b.call[0] === 'goal');
    const thanksAt = seen.findIndex((b) => b.page === '/checkout/thanks.html');
    expect(purchaseAt).toBeGreaterThan(-1);
    expect(thanksAt).toBeGreaterThan(purchaseAt);
    // Declarative add-to-cart events carry category, product id and price.
    expect(seen.filter((b) => b.call[0] === 'track').map((b) => b.call.slice(1))).toEqual([
      ['add_to_cart', { category: 'coffee', label: 'house-blend', value: 9.5 }],
      ['add_to_cart', { category: 'coffee', label: 'house-blend', value: 9.5 }],
      ['add_to_cart', { category: 'coffee', label: 'yirgacheffe', value: 14 }],
    ]);
    expect(watch.problems).toEqual([]);
    expect(await watch.csp()).toEqual([]);
  });

  it('does not place an order from an empty cart', async () => {
    await page.goto(`${server.base}/checkout.html`);
    expect(await page.isVisible('text=Your cart is empty.')).toBe(true);
    await page.fill('#checkout-name', 'Ben Berg');
    await page.fill('#checkout-email', 'ben@example.com');
    await page.fill('#checkout-street', 'Canalstreet 1');
    await page.fill('#checkout-postcode', '1011');
    await page.fill('#checkout-city', 'Utrecht');
    await page.click('button.place-order');
    await expect.poll(() => page.textContent('.checkout-form [data-form-status]')).toBe('Your cart is empty.');
    expect(new URL(page.url()).pathname).toBe('/checkout.html');
    expect(calls().some((b) => b.call[0] === 'goal')).toBe(false);
  });

  it('shows a plain thank-you for an order it does not know', async () => {
    await page.goto(`${server.base}/checkout/thanks.html?order=GP-UNKNOWN`);
    expect(await page.isVisible('[data-order]')).toBe(false);
    expect(await page.isVisible('h1')).toBe(true);
    expect(watch.problems).toEqual([]);
  });

  it('keeps the cart across pages and in a second tab', async () => {
    await page.goto(`${server.base}/products/huila-decaf.html`);
    const other = await context.newPage();
    await other.goto(`${server.base}/cart.html`);
    expect(await other.isVisible('text=Your cart is empty.')).toBe(true);
    await page.click('.product button.add-to-cart');
    await expect.poll(() => other.textContent('[data-cart-count]')).toBe('1');
    await expect.poll(() => other.locator('.cart-line').count()).toBe(1);
  });
});

describe('the newsletter', () => {
  it.each(['/index.html', '/blog.html'])('subscribes on %s without leaving the page or reading the address into a URL', async (path) => {
    await page.goto(server.base + path);
    if (path === '/index.html') await page.screenshot({ path: `${screens}home.png`, fullPage: true });
    const form = page.locator('form.newsletter');
    await form.locator('button[type="submit"]').click(); // empty: the browser refuses it
    expect(await form.locator('[data-form-status]').textContent()).toBe('');
    await form.locator('input[type="email"]').fill('reader@example.com');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-form-status]').textContent()).toContain('Thanks');
    expect(await form.locator('input').isDisabled()).toBe(true);
    expect(new URL(page.url()).pathname).toBe(path);
    expect(page.url()).not.toContain('reader');
    await page.goto('about:blank');
    await beaconsFlushed(2);
    expect(calls().filter((b) => b.call[0] === 'submit')).toHaveLength(1);
    expect(watch.problems).toEqual([]);
  });
});

describe('on a phone', () => {
  it('lays the product page out in one column', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    await p.goto(`${server.base}/products/yirgacheffe.html`);
    const columns = await p.locator('.product').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
    expect(columns).toBe(1);
    await p.screenshot({ path: `${screens}product-phone.png`, fullPage: true });
    await phone.close();
  });
});
