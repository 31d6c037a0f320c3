// One simulated visit: a fresh browser context (a new client, empty storage),
// throttled network and CPU, and a visitor who clicks through the shop as
// behaviour.mjs decides. The visit ends by flushing goalpost and leaving the
// page, then waits until the collector has the hits before closing.
import { setTimeout as wait } from 'node:timers/promises';
import { createVisitor, customer, NETWORKS, DEVICES, PRODUCTS } from './behaviour.mjs';

const productOf = (path) => path.match(/^\/products\/([a-z-]+)\.html$/)?.[1];

/**
 * Runs one planned visit; never throws. Returns what happened, for the summary.
 * `maxWaitMs`: how long a visitor waits for a page's load event before acting anyway.
 * `signal`: ends the visit at once (the run is stopping), without waiting for its hits.
 */
export async function runVisit(browser, base, planned, { timeoutMs = 90_000, maxWaitMs = 4_000, onConsoleError, signal } = {}) {
  const result = {
    n: planned.n,
    intent: planned.intent,
    network: planned.network,
    device: planned.device,
    landing: planned.landing,
    landingLcp: undefined,
    pages: [],
    added: 0,
    readReviews: false,
    subscribed: false,
    purchased: false,
    outcome: 'bounced',
    // Requests to /collect as DevTools sees them. A beacon still in flight when
    // the page goes away is reported as aborted, though the browser delivers
    // it: those are counted apart, not as failures.
    collect: { sent: 0, ok: 0, cutOff: 0, failed: 0 },
    consoleErrors: 0,
    error: undefined,
    ms: 0,
  };
  const started = Date.now();
  const context = await browser.newContext({ viewport: DEVICES[planned.device], deviceScaleFactor: 1, locale: 'en-GB' });
  const inflight = new Set();
  const isCollect = (req) => new URL(req.url()).pathname === '/collect';
  context.on('request', (req) => {
    if (!isCollect(req)) return;
    result.collect.sent++;
    inflight.add(req);
  });
  context.on('requestfinished', async (req) => {
    if (!inflight.delete(req)) return;
    const res = await req.response().catch(() => null);
    if (res && res.status() >= 200 && res.status() < 300) result.collect.ok++;
    else result.collect.failed++;
  });
  context.on('requestfailed', (req) => {
    if (!inflight.delete(req)) return;
    if (req.failure()?.errorText === 'net::ERR_ABORTED') result.collect.cutOff++;
    else result.collect.failed++;
  });

  let timer;
  let onAbort;
  try {
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      result.consoleErrors++;
      onConsoleError?.(planned, `pageerror: ${err.message}`);
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      result.consoleErrors++;
      onConsoleError?.(planned, msg.text());
    });
    await throttle(context, page, NETWORKS[planned.network]);
    const visitor = createVisitor(planned);
    const walk = new Walk(page, base, visitor, result, maxWaitMs, signal);
    const walking = walk.run(planned);
    // After a timeout the walk fails later, when its context closes: not news.
    walking.catch(() => {});
    await Promise.race([
      walking,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`visit took over ${timeoutMs} ms`)), timeoutMs);
        onAbort = () => reject(new Error('stopped with the run'));
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (err) {
    result.error = String(err?.message ?? err).split('\n')[0];
  }
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  try {
    // Also after a failure: what goalpost holds should still reach the collector.
    const page = context.pages()[0];
    if (page && !signal?.aborted) await leave(page, inflight);
  } finally {
    await context.close().catch(() => {});
  }
  result.ms = Date.now() - started;
  return result;
}

async function throttle(context, page, net) {
  const cdp = await context.newCDPSession(page);
  // No Network.enable: throttling works without it, and its events would
  // double what the browser sends Playwright for every request.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: net.latency,
    downloadThroughput: net.download,
    uploadThroughput: net.upload,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: net.cpu });
}

/** Send what goalpost holds, leave the page (pagehide: the beacon), and wait for the collector's answers. */
async function leave(page, inflight) {
  await page.evaluate(() => {
    try {
      if (typeof window.goalpost === 'function') window.goalpost('flush');
    } catch {
      // the page's own business
    }
  }).catch(() => {});
  await page.goto('about:blank', { timeout: 10_000 }).catch(() => {});
  const until = Date.now() + 8_000;
  // Give the pagehide beacon a moment to leave before the context goes.
  await wait(150);
  while (inflight.size > 0 && Date.now() < until) await wait(50);
}

class Walk {
  constructor(page, base, visitor, result, maxWaitMs, signal) {
    this.page = page;
    this.base = base;
    this.v = visitor;
    this.r = visitor.rand;
    this.result = result;
    this.maxWaitMs = maxWaitMs;
    this.signal = signal;
    this.felt = 0;
  }

  /** The visitor's pauses: a stopping run ends them (and the walk) at once. */
  sleep(ms) {
    return wait(ms, undefined, { signal: this.signal });
  }

  get path() {
    return new URL(this.page.url()).pathname;
  }

  async run(planned) {
    await this.land(planned);
    if (this.v.bouncesAfterLanding(this.felt)) {
      await this.read(100, 400);
      this.result.outcome = 'bounced';
      return;
    }
    this.result.outcome = 'browsed';
    switch (planned.intent) {
      case 'browse':
        return this.browse();
      case 'shop':
        return this.shop();
      case 'reader':
        return this.reader();
      case 'linger':
        return this.linger();
    }
  }

  // Pages

  async land(planned) {
    await this.page.goto(this.base + planned.landing, { waitUntil: 'domcontentloaded', referer: planned.referrer });
    await this.settle();
    this.result.landingLcp = Math.round(this.felt);
  }

  /** Click a link to `path` (or go there, if the page has no such link) and wait as a visitor would. */
  async go(path) {
    const link = this.page.locator(`a[href="${path}"]:visible`).first();
    const arrived = this.page.waitForURL((u) => u.pathname === path, { waitUntil: 'domcontentloaded' });
    arrived.catch(() => {}); // awaited below; a failed click must not leave it unhandled
    if (await link.count()) await link.click();
    else await this.page.goto(this.base + path, { waitUntil: 'domcontentloaded' });
    await arrived;
    await this.settle();
  }

  /** Wait for the load event (so goalpost has started), but no longer than a visitor would; then note how slow it felt. */
  async settle() {
    await this.page.waitForLoadState('load', { timeout: this.maxWaitMs }).catch(() => {});
    this.felt = await this.page.evaluate(feltSpeed).catch(() => this.maxWaitMs);
    this.result.pages.push(this.path);
  }

  async read(min, max) {
    await this.page.mouse.wheel(0, this.r.int(200, 900)).catch(() => {});
    await this.sleep(this.v.pause(min, max));
  }

  /** Stop here because this page was slow? */
  gaveUp() {
    return this.v.abandonsAfter(this.felt);
  }

  // Actions

  async openProduct(id = this.r.pick(PRODUCTS.filter((p) => p !== productOf(this.path)))) {
    await this.go(`/products/${id}.html`);
  }

  async readReviews(p) {
    if (!productOf(this.path) || !this.r.chance(p)) return;
    await this.page.click('.reviews-toggle');
    this.result.readReviews = true;
    await this.read(100, 400);
  }

  async addToCart(p) {
    if (!productOf(this.path) || !this.v.wants(p)) return false;
    await this.page.click('.product button.add-to-cart');
    this.result.added++;
    await this.sleep(this.v.pause());
    return true;
  }

  async subscribe(p) {
    if (this.result.subscribed || !(await this.page.locator('form.newsletter').count()) || !this.v.converts(p)) return;
    const form = this.page.locator('form.newsletter').first();
    await form.locator('input[type="email"]').fill(customer(this.r).email);
    await this.sleep(this.v.pause());
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-form-status]').filter({ hasText: 'Thanks' }).waitFor({ timeout: 5_000 });
    this.result.subscribed = true;
    this.result.outcome = 'subscribed';
    await this.sleep(this.v.pause());
  }

  /** Cart, checkout, order: each step can lose the visitor. */
  async checkout(pCheckout, pBuy) {
    await this.go('/cart.html');
    this.result.outcome = 'abandoned-cart';
    if (this.gaveUp() || !this.v.wants(pCheckout)) return this.read(100, 300);
    await this.go('/checkout.html');
    this.result.outcome = 'abandoned-checkout';
    if (this.gaveUp()) return this.read(100, 300);
    const who = customer(this.r);
    for (const [id, value] of [['name', who.name], ['email', who.email], ['street', who.street], ['postcode', who.postcode], ['city', who.city]]) {
      await this.page.fill(`#checkout-${id}`, value);
      await this.sleep(this.v.pause(20, 80));
    }
    await this.page.selectOption('#checkout-country', who.country);
    if (!this.v.converts(pBuy)) return this.read(100, 300);
    const arrived = this.page.waitForURL((u) => u.pathname === '/checkout/thanks.html', { waitUntil: 'domcontentloaded' });
    arrived.catch(() => {}); // awaited below
    await this.page.click('button.place-order');
    await arrived;
    await this.settle();
    this.result.purchased = true;
    this.result.outcome = 'purchased';
    await this.read(100, 400);
  }

  // Visitors

  async browse() {
    const pages = this.r.int(2, 5);
    for (let i = 0; i < pages; i++) {
      const here = this.path;
      if (productOf(here)) {
        await this.readReviews(0.3);
        await this.addToCart(0.1);
      }
      await this.subscribe(0.04);
      const next = productOf(here)
        ? this.r.pick(['product', 'product', '/coffee.html', '/blog.html'])
        : this.r.pick(['product', 'product', '/coffee.html', '/blog.html', '/index.html'].filter((p) => p !== here));
      if (next === 'product') await this.openProduct();
      else await this.go(next);
      if (this.gaveUp()) return;
      await this.read(50, 250);
    }
    if (this.result.added > 0 && this.r.chance(0.5)) await this.checkout(0.55, 0.6);
  }

  async shop() {
    if (!productOf(this.path)) {
      if (this.path !== '/coffee.html' && this.r.chance(0.5)) await this.go('/coffee.html');
      await this.openProduct(this.r.pick(PRODUCTS));
      if (this.gaveUp()) return;
    }
    const looks = this.r.int(1, 3);
    for (let i = 0; i < looks; i++) {
      await this.read(50, 250);
      await this.readReviews(0.45);
      await this.addToCart(i === 0 ? 0.9 : 0.45);
      if (i < looks - 1) {
        await this.openProduct();
        if (this.gaveUp()) return;
      }
    }
    if (this.result.added === 0) return;
    await this.checkout(0.75, 0.75);
  }

  async reader() {
    if (this.path !== '/blog.html') await this.go('/blog.html');
    await this.read(200, 700);
    await this.subscribe(0.4);
    if (!this.r.chance(0.35)) return;
    await this.openProduct(this.r.pick(['yirgacheffe', 'house-blend']));
    if (this.gaveUp()) return;
    await this.readReviews(0.3);
    if (await this.addToCart(0.2)) await this.checkout(0.6, 0.6);
  }

  /** Stays over a minute on visible pages, so the engaged-time goal is reached; converts more often. */
  async linger() {
    await this.dwell(this.r.int(32_000, 38_000));
    if (productOf(this.path)) {
      await this.readReviews(0.8);
      await this.go('/blog.html');
    } else {
      await this.openProduct(this.r.pick(PRODUCTS));
    }
    await this.dwell(this.r.int(28_000, 33_000));
    if (this.path === '/blog.html') await this.subscribe(0.35);
    else {
      await this.readReviews(0.5);
      if (await this.addToCart(0.6)) await this.checkout(0.8, 0.8);
      else await this.go('/index.html').then(() => this.subscribe(0.3));
    }
  }

  async dwell(ms) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await this.page.mouse.wheel(0, this.r.int(-200, 500)).catch(() => {});
      await this.sleep(Math.min(until - Date.now(), this.r.int(3_000, 7_000)));
    }
  }
}

/** Runs in the page: the largest contentful paint so far (else FCP, else DOMContentLoaded), in ms. */
function feltSpeed() {
  return new Promise((resolve) => {
    let lcp = 0;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) lcp = Math.max(lcp, e.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    } catch {
      // no LCP in this browser
    }
    setTimeout(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      resolve(lcp || fcp?.startTime || nav?.domContentLoadedEventEnd || 0);
    }, 30);
  });
}
