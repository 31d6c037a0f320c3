/**
 * SPEC section 7 in Chromium: Do Not Track and GPC, consent, URL stripping,
 * form values, credentials. Every test looks at what the collector received
 * and at every storage the page has.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, chromiumPath, consoleOf, expectNoPageErrors, launchBrowser, type TestBrowser } from './support/browser';
import { expectHits, waitFor } from './support/expectHits';
import { sleep, startServer, type TestServer } from './support/server';

const template = readFileSync(new URL('./fixtures/privacy/page.html', import.meta.url), 'utf8');
const SECRET = 'SECRET-4711';

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  if (page && !page.isClosed()) {
    expectNoPageErrors(page);
    await page.close();
  }
  server.reset();
  await browser.context.clearCookies();
});

/** The fixture page at every /privacy/... path, with this config. */
function servePages(config: object = {}, headers: Record<string, string> = {}): void {
  // A page of the origin without goalpost, to prepare storage on.
  server.route('/blank', { headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>blank</title>' });
  const full = { endpoint: '/collect', batch: { maxHits: 50, flushIntervalMs: 200 }, ...config };
  server.route(/^\/privacy(\/.*)?$/, {
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
    body: template.replace('__CONFIG__', JSON.stringify(full)),
  });
}

/** A new tab on a clean origin, at `path`, with goalpost loaded. */
async function open(path: string, context: BrowserContext = browser.context): Promise<Page> {
  page = await context.newPage();
  await page.goto(server.url('/blank'));
  await page.evaluate(async () => {
    localStorage.clear();
    for (const db of (await indexedDB.databases?.()) ?? []) if (db.name) indexedDB.deleteDatabase(db.name);
  });
  server.collector.reset();
  await page.goto(server.url(path));
  await loaded(page);
  return page;
}

const loaded = (p: Page) => p.waitForFunction(() => (window as unknown as { goalpost?: { loaded?: boolean } }).goalpost?.loaded === true);

/** goalpost(command, ...args) in the page. */
const call = (p: Page, ...args: unknown[]) =>
  p.evaluate((a) => (window as unknown as { goalpost: (...x: unknown[]) => void }).goalpost(...a), args);

/** Everything the origin keeps: Web Storage, cookies, IndexedDB databases, Cache Storage. */
function storageOf(p: Page) {
  return p.evaluate(async () => {
    const dump = (s: Storage) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
    return {
      local: dump(localStorage),
      session: dump(sessionStorage),
      cookies: document.cookie,
      idb: ((await indexedDB.databases()) ?? []).map((d) => d.name),
      caches: await caches.keys(),
    };
  });
}
const EMPTY = { local: {}, session: {}, cookies: '', idb: [], caches: [] };
const ONLY_DENIAL = { ...EMPTY, local: { 'goalpost.consent': 'denied' } };

/** Everything goalpost sent, as one string: bodies, URLs and headers of every collector request. */
const everythingSent = () => JSON.stringify(server.collector.requests.map((r) => [r.url.href, r.headers, r.body]));

/** Nothing reaches the collector for `ms`. */
async function expectSilence(ms = 1000): Promise<void> {
  await sleep(ms);
  expect(server.collector.requests.map((r) => `${r.method} ${r.path} ${r.body.slice(0, 200)}`)).toEqual([]);
}

describe('Do Not Track and Global Privacy Control', () => {
  /** Chromium with its real "Send a Do Not Track request" setting on: a preference in a fresh profile. */
  async function launchWithDoNotTrack(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'goalpost-dnt-'));
    await mkdir(join(dir, 'Default'));
    await writeFile(join(dir, 'Default', 'Preferences'), JSON.stringify({ enable_do_not_track: true }));
    const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    context.setDefaultTimeout(15_000);
    return { context, close: async () => { await context.close().catch(() => {}); await rm(dir, { recursive: true, force: true }); } };
  }

  async function expectNothingKept(p: Page, dntHeader: boolean): Promise<void> {
    const logs: string[] = [];
    p.on('console', (m) => logs.push(m.text()));
    p.on('pageerror', (e) => logs.push(`pageerror ${e.message}`));
    await p.goto(server.url('/privacy/'));
    await loaded(p);
    await p.click('#add');
    await call(p, 'track', 'x', { label: 'y' });
    await call(p, 'consent', 'granted');
    await call(p, 'pageview', '/privacy/spa');
    await call(p, 'flush');
    await Promise.all([p.waitForURL('**/privacy/next'), p.click('#next')]); // a hide, a beacon chance
    await loaded(p);
    await expectSilence();
    expect(await storageOf(p)).toEqual(EMPTY);
    expect(logs.filter((l) => /Do Not Track or Global Privacy Control/.test(l))).toHaveLength(2); // once per page
    expect(logs.filter((l) => /pageerror/.test(l))).toEqual([]);
    if (dntHeader) expect(await p.evaluate(() => navigator.doNotTrack)).toBe('1');
  }

  test('DNT (Chromium setting): nothing sent, nothing stored, ids and queue an earlier visit left are removed, why said once per page', async () => {
    servePages({ debug: true });
    const dnt = await launchWithDoNotTrack();
    try {
      const p = await dnt.context.newPage();
      // An earlier visit, before DNT was switched on, left ids behind.
      await p.goto(server.url('/blank'));
      // ...and a queue that never went out.
      const queueName = `goalpost:127.0.0.1:${server.url('/collect')}`;
      await p.evaluate(async (name) => {
        localStorage.setItem('goalpost.cid', 'earlier-visit-client-id');
        localStorage.setItem('goalpost.session', '{}');
        localStorage.setItem(`${name}:spill`, '[]');
        await new Promise((done) => {
          const req = indexedDB.open(name);
          req.onupgradeneeded = () => req.result.createObjectStore('hits');
          req.onsuccess = () => (req.result.close(), done(null));
        });
      }, queueName);
      expect((await storageOf(p)).idb).toEqual([queueName]);
      await expectNothingKept(p, true);
    } finally {
      await dnt.close();
    }
  });

  test('GPC (navigator.globalPrivacyControl, as privacy extensions set it): nothing sent, nothing stored', async () => {
    servePages({ debug: true });
    const p = (page = await browser.newPage());
    await p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }));
    await p.goto(server.url('/blank'));
    await p.evaluate(() => localStorage.clear());
    await expectNothingKept(p, false);
  });
});

describe('consent', () => {
  test('requireConsent: nothing stored or sent before the grant; held hits sent on grant; the grant is remembered', async () => {
    servePages({ privacy: { requireConsent: true } });
    await open('/privacy/');
    await page.click('#add');
    await call(page, 'track', 'before_consent');
    await call(page, 'flush');
    await expectSilence();
    expect(await storageOf(page)).toEqual(EMPTY);

    const [pv] = await expectHits(server.collector, {
      action: () => call(page, 'consent', 'granted'),
      expected: [
        { type: 'pageview', url: server.url('/privacy/') },
        { type: 'event', event: { action: 'add_to_cart', value: 3 } },
        { type: 'event', event: { action: 'before_consent' } },
      ],
    });
    const kept = await storageOf(page);
    expect(kept.local['goalpost.consent']).toBe('granted');
    expect(kept.local['goalpost.cid']).toBe(pv.cid);
    expect(kept.cookies).toBe('');

    // The next page starts at once.
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/next'), page.click('#next')]),
      expected: [{ type: 'pageview', url: server.url('/privacy/next'), cid: pv.cid }],
    });
  });

  test('deny after grant: waiting hits dropped, queue and ids deleted, remembered across pages; hits until a later grant never sent', async () => {
    servePages();
    await open('/privacy/');
    const [pv] = await expectHits(server.collector, { expected: [{ type: 'pageview' }] });

    // The collector is down: hits wait in the queue, retrying.
    server.collector.setResponder(() => ({ status: 503 }));
    await call(page, 'track', 'waiting_1');
    await call(page, 'flush');
    await waitFor(() => server.collector.requests.some((r) => r.body.includes('waiting_1')));
    await call(page, 'track', 'waiting_2');
    await call(page, 'consent', 'denied');
    expect(await storageOf(page)).toEqual(ONLY_DENIAL);

    // The collector is back; nothing more arrives, whatever the page does.
    server.collector.setResponder(null);
    const since = server.collector.requests.length;
    await call(page, 'track', 'after_denial');
    await call(page, 'goal', 'nope');
    await call(page, 'flush');
    await page.click('#add');
    await Promise.all([page.waitForURL('**/privacy/next'), page.click('#next')]);
    await loaded(page);
    await call(page, 'track', 'next_page_denied');
    await call(page, 'flush');
    await sleep(2500); // past the first retry backoff
    expect(server.collector.requests.slice(since)).toEqual([]);
    expect(await storageOf(page)).toEqual(ONLY_DENIAL);

    // A later grant: a fresh start, this page counted anew; nothing from between.
    const [fresh] = await expectHits(server.collector, {
      action: async () => {
        await call(page, 'consent', 'granted');
        await call(page, 'track', 'after_grant');
      },
      expected: [{ type: 'pageview', url: server.url('/privacy/next') }, { type: 'event', event: { action: 'after_grant' } }],
    });
    expect(fresh.cid).not.toBe(pv.cid);
    expect(fresh.sid).not.toBe(pv.sid);
    const received = JSON.stringify(server.collector.hits());
    for (const never of ['waiting_2', 'after_denial', 'next_page_denied', 'add_to_cart']) expect(received).not.toContain(never);
  });

  test('a denial in one tab stops the other tabs of the origin', async () => {
    servePages();
    await open('/privacy/');
    const other = await browser.newPage();
    try {
      await other.goto(server.url('/privacy/next'));
      await loaded(other);
      await expectHits(server.collector, { expected: [{ type: 'pageview' }, { type: 'pageview' }] });
      await call(other, 'consent', 'denied');
      const since = server.collector.requests.length;
      await call(page, 'track', 'other_tab');
      await call(page, 'flush');
      await sleep(1000);
      expect(server.collector.requests.slice(since)).toEqual([]);
      expect(await storageOf(page)).toEqual(ONLY_DENIAL);
    } finally {
      await other.close();
    }
  });
});

describe('URLs and referrers', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const dirty =
    `/privacy/users/jane.doe%2Bshop@example.com/orders;jsessionid=JSESS-SECRET?utm_source=news&utm_campaign=spring` +
    `&Email=jane%40example.com&ACCESS_TOKEN=tok-SECRET&client_secret=cs-SECRET&userPassword=pw-SECRET&code=oauth-SECRET` +
    `&Coupon=SAVE-SECRET&t=${jwt}&bad=%%&note=contact%20me%20at%20jane@example.com&page=2#section-SECRET`;
  const clean =
    `/privacy/users/redacted/orders?utm_source=news&utm_campaign=spring&t=redacted&bad=%%&note=redacted&page=2`; // "contact%20me%20at%20jane@…": one run of address characters

  test('a URL full of personal data: page URL and referrer stripped; nothing personal in any request', async () => {
    servePages({ privacy: { stripQueryParams: ['coupon'] } });
    await open(dirty);
    await expectHits(server.collector, { expected: [{ type: 'pageview', url: server.url(clean) }] });
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/next'), page.click('#next')]),
      expected: [{ type: 'pageview', url: server.url('/privacy/next'), ref: server.url(clean) }],
    });
    // Chromium does send the full referrer within the origin: the stripping is what keeps it out.
    expect(await page.evaluate(() => document.referrer)).toContain('tok-SECRET');
    const sent = everythingSent();
    for (const s of ['SECRET', 'jane.doe', 'jane%40', jwt]) expect(sent).not.toContain(s);
  });

  test('an SPA page view of a dirty URL is stripped the same way', async () => {
    servePages();
    await open('/privacy/');
    await expectHits(server.collector, {
      action: () => page.evaluate(() => history.pushState(null, '', '/privacy/spa?token=t-SECRET&ok=1#SECRET')),
      expected: [{ type: 'pageview', nav: 'spa', url: server.url('/privacy/spa?ok=1'), ref: server.url('/privacy/') }],
    });
    expect(everythingSent()).not.toContain('SECRET');
  });
});

describe('form field values', () => {
  /** Counts, in the page's own world, every read of `value` on inputs, textareas and selects. */
  async function countValueReads(p: Page): Promise<void> {
    await p.addInitScript(() => {
      const w = window as unknown as { __valueReads: number };
      w.__valueReads = 0;
      for (const C of [HTMLInputElement, HTMLTextAreaElement, HTMLSelectElement]) {
        const d = Object.getOwnPropertyDescriptor(C.prototype, 'value')!;
        Object.defineProperty(C.prototype, 'value', { ...d, get() { w.__valueReads++; return d.get!.call(this); } });
      }
    });
  }

  async function fillEverything(p: Page, form: string): Promise<void> {
    for (const id of form === 'signup' ? ['#nickname', '#pw', '#note', '#mail'] : ['#pin', '#card']) {
      await p.fill(id, id === '#mail' ? 'secret.person@example.com' : `${SECRET}${id}`);
    }
    if (form === 'signup') await p.selectOption('#tier', 'SECRET-tier-4711');
    else await p.fill('#q', 'darjeeling');
  }

  test('POST form with a typed secret: only the declared event is sent; the secret is in no request, and no value is read', async () => {
    servePages({ goals: [{ id: 'signed_up', kind: 'event', on: { submit: '#signup' } }] });
    page = await browser.newPage();
    await countValueReads(page);
    await page.goto(server.url('/privacy/'));
    await loaded(page);
    await fillEverything(page, 'signup');
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/welcome'), page.click('#signup-go')]),
      expected: [
        { type: 'event', event: { action: 'signup', category: undefined, label: undefined, value: undefined, props: undefined } },
        { type: 'event', event: { action: 'signed_up' } },
        { type: 'goal', goal: { id: 'signed_up' } },
        { type: 'pageview', url: server.url('/privacy/welcome') },
      ],
    });
    expect(everythingSent()).not.toMatch(/SECRET|secret\.person/);
    expect(await page.evaluate(() => (window as unknown as { __valueReads: number }).__valueReads)).toBe(0);
  });

  test('GET form: password and card fields the browser puts into the next URL are stripped there and from later referrers', async () => {
    servePages();
    page = await browser.newPage();
    await countValueReads(page);
    await page.goto(server.url('/privacy/'));
    await loaded(page);
    await fillEverything(page, 'search');
    const results = '/privacy/results?q=darjeeling';
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/results**'), page.click('#search-go')]),
      expected: [{ type: 'event', event: { action: 'search' } }, { type: 'pageview', url: server.url(results) }],
    });
    expect(page.url()).toContain(SECRET); // the browser did put them there
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/next'), page.click('#next')]),
      expected: [{ type: 'pageview', url: server.url('/privacy/next'), ref: server.url(results) }],
    });
    expect(everythingSent()).not.toContain('SECRET');
    expect(await page.evaluate(() => (window as unknown as { __valueReads: number }).__valueReads)).toBe(0);
  });
});

describe('credentials', () => {
  test("fetch omits credentials: a cookie the page's origin set never reaches the collector; goalpost sets none", async () => {
    servePages({}, { 'Set-Cookie': 'site_session=page-cookie-SECRET; Path=/; SameSite=Lax' });
    await open('/privacy/');
    expect(await page.evaluate(() => document.cookie)).toBe('site_session=page-cookie-SECRET');
    await call(page, 'track', 'with_cookie_around');
    await expectHits(server.collector, { expected: [{ type: 'pageview' }, { type: 'event', event: { action: 'with_cookie_around' } }] });
    const posts = server.collector.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const r of posts) {
      expect(r.headers['sec-fetch-mode']).toBe('cors'); // fetch, not a beacon
      expect(r.headers.cookie).toBeUndefined();
    }
    expect((await browser.context.cookies()).map((c) => c.name)).toEqual(['site_session']);
    expect(consoleOf(page, 'error')).toEqual([]);
  });

  test('what the page hands over as it goes away carries no cookie and no Referer either (keepalive fetch, not sendBeacon)', async () => {
    servePages({ batch: { maxHits: 50, flushIntervalMs: 60_000 } }, { 'Set-Cookie': 'site_session=page-cookie-SECRET; Path=/; SameSite=Lax' });
    await open('/privacy/?token=tok-SECRET');
    await call(page, 'track', 'queued_until_hide');
    await expectHits(server.collector, {
      action: () => Promise.all([page.waitForURL('**/privacy/next'), page.click('#next')]),
      expected: [{ type: 'pageview', url: server.url('/privacy/') }, { type: 'event', event: { action: 'queued_until_hide' } }],
    });
    const first = server.collector.requests[0];
    expect(first.headers.cookie).toBeUndefined();
    expect(first.headers.referer).toBeUndefined();
    expect(everythingSent()).not.toContain('SECRET');
  });
});
