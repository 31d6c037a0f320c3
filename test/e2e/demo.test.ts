/**
 * The whole demo, as a new user runs it: the reference collector serving the
 * shop and the real SDK, a visitor buying in Chromium, and the report finding
 * the purchase with its value, its assists and the landing page's speed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCollector } from '../../examples/collector/server.mjs';
import { expectNoPageErrors, launchBrowser, type TestBrowser } from './support/browser';
import { waitFor } from './support/expectHits';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(root, 'test-results');
let dir: string;
let collector: Awaited<ReturnType<typeof startCollector>>;
let browser: TestBrowser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goalpost-demo-'));
  mkdirSync(shots, { recursive: true });
  collector = await startCollector({
    port: 0,
    dbPath: join(dir, 'demo.sqlite'),
    log: { log() {}, info() {}, warn() {}, error: console.error } as unknown as Console,
  });
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a purchase in the demo shop shows in /api/report with its value, assists and speed; /report renders it', async () => {
  const base = collector.url.replace(/\/$/, '');
  const page = await browser.newPage();
  await page.goto(`${base}/index.html`);
  await page.click('.card button.add-to-cart[data-goalpost-label="house-blend"]');
  await page.click('.card h3 a[href="/products/yirgacheffe.html"]');
  await page.waitForURL('**/products/yirgacheffe.html');
  await page.click('.reviews-toggle');
  await page.click('a.cart-link');
  await page.waitForURL('**/cart.html');
  await page.click('a.begin-checkout');
  await page.waitForURL('**/checkout.html');
  await page.fill('#checkout-name', 'Ana Almeida');
  await page.fill('#checkout-email', 'ana@example.com');
  await page.fill('#checkout-street', 'Harbourstreet 4');
  await page.fill('#checkout-postcode', '10115');
  await page.fill('#checkout-city', 'Berlin');
  await page.click('button.place-order');
  await page.waitForURL(/\/checkout\/thanks\.html\?order=/);
  const total = Number((await page.textContent('[data-order] .cart-total'))!.replace(/[^0-9.]/g, ''));
  expectNoPageErrors(page);
  // Leaving the page hands the last hits (and the timing) over.
  await page.goto('about:blank');

  type Report = {
    macroGoals: { id: string; sessions: number; conversions: number; value: number }[];
    microGoals: { id: string; sessions: number }[];
    latestConversions: { goal: string; value?: number; currency?: string; assists?: string[]; funnel?: boolean[];
      speed?: { ttfb?: number; fcp?: number; lcp?: number }; landing?: { lcp?: number; ttfb?: number } }[];
    speed: { lcp: { buckets: { id: string; sessions: number }[] } };
  };
  const report = await waitFor(async () => {
    const r = (await (await fetch(`${base}/api/report`)).json()) as Report;
    const purchase = r.latestConversions.find((c) => c.goal === 'purchase');
    if (!purchase) throw new Error('no purchase in the report yet');
    if (!r.speed.lcp.buckets.some((b) => b.id !== 'unknown' && b.sessions > 0)) throw new Error('no landing-page timing yet');
    return r;
  }, 20_000, 250);

  const purchase = report.latestConversions.find((c) => c.goal === 'purchase')!;
  expect(purchase).toMatchObject({ value: total, currency: 'EUR', funnel: [true, true] });
  expect(purchase.assists).toEqual(expect.arrayContaining(['add_to_cart', 'read_reviews', 'begin_checkout']));
  expect(purchase.speed?.ttfb).toBeGreaterThanOrEqual(0);
  expect(purchase.landing?.lcp).toBeGreaterThan(0);
  expect(report.macroGoals.find((g) => g.id === 'purchase')).toMatchObject({ sessions: 1, conversions: 1, value: total });
  expect(report.microGoals.find((g) => g.id === 'add_to_cart')).toMatchObject({ sessions: 1 });

  const reportPage = await browser.newPage();
  await reportPage.goto(`${base}/report`);
  await expect.poll(() => reportPage.textContent('body')).toMatch(/Purchase/);
  await reportPage.screenshot({ path: join(shots, 'report.png'), fullPage: true });
  expectNoPageErrors(reportPage);
});
