/**
 * Debian's Chromium driven by playwright-core. Never `npx playwright install`:
 * the browser comes from apt (see DEVELOPERS.md).
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleEntry {
  /** 'log', 'warning', 'error', ... as Chromium reports it (note: 'warning', not 'warn'). */
  type: string;
  text: string;
}

export interface TestBrowser {
  /**
   * One persistent context: its pages are tabs of one profile, so they share
   * localStorage, IndexedDB and the BroadcastChannel/locks of an origin.
   */
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Network emulation for every page: fetch and beacons fail, `offline`/`online` events fire. */
  setOffline(offline: boolean): Promise<void>;
  /** Closes Chromium and deletes its profile. Safe to call twice. */
  close(): Promise<void>;
}

export type LaunchOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]> & {
  /** Back/forward cache on (default), or off, for tests of a plain `back_forward` navigation. */
  bfcache?: boolean;
};

const consoles = new WeakMap<Page, ConsoleEntry[]>();
const pageErrors = new WeakMap<Page, Error[]>();

/**
 * A fresh Chromium with a fresh profile: nothing survives from an earlier launch.
 * Other `options` go to launchPersistentContext (viewport, locale, ...).
 */
export async function launchBrowser({ bfcache = true, ...options }: LaunchOptions = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'goalpost-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext, not launch(): playwright refuses --user-data-dir in launch() args.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      ...options,
      args: [...chromiumArgs, ...(options.args ?? [])],
      // playwright turns the back/forward cache off by default (so its request
      // interception sees goBack()); goalpost reports bfcache restores, and we
      // intercept on our own server, so keep it on unless asked.
      ignoreDefaultArgs: [...(bfcache ? ['--disable-back-forward-cache'] : []), ...(Array.isArray(options.ignoreDefaultArgs) ? options.ignoreDefaultArgs : [])],
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  // Fail a stuck step in seconds, well inside vitest's 60 s test timeout, with playwright's own message.
  context.setDefaultTimeout(15_000);
  context.pages().forEach(watch);
  context.on('page', watch); // also tabs opened by window.open or target=_blank

  let closed: Promise<void> | undefined;
  return {
    context,
    newPage: () => context.newPage(),
    setOffline: (offline) => context.setOffline(offline),
    close: () =>
      (closed ??= (async () => {
        await context.close().catch(() => {});
        await rm(userDataDir, { recursive: true, force: true });
      })()),
  };
}

function watch(page: Page): void {
  if (consoles.has(page)) return;
  const log: ConsoleEntry[] = [];
  const errors: Error[] = [];
  consoles.set(page, log);
  pageErrors.set(page, errors);
  page.on('console', (m) => log.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => errors.push(e));
}

/**
 * Console messages of a page since it opened, across its navigations.
 * Filter by type: `consoleOf(page, 'error')`; 'warn' means Chromium's 'warning'.
 */
export function consoleOf(page: Page, type?: string): ConsoleEntry[] {
  const log = consoles.get(page) ?? [];
  const want = type === 'warn' ? 'warning' : type;
  return want ? log.filter((m) => m.type === want) : [...log];
}

/** Uncaught exceptions and unhandled rejections in a page since it opened. */
export function pageErrorsOf(page: Page): Error[] {
  return [...(pageErrors.get(page) ?? [])];
}

/**
 * Makes the page believe it was hidden or shown again. Headless Chromium keeps
 * every tab visible (minimizing changes nothing), so, like web-vitals'
 * stubVisibilityChange, this overrides `document.visibilityState` and `hidden`
 * and dispatches `visibilitychange`. For a real hide, close the page or
 * navigate away: both fire visibilitychange and pagehide, and beacons arrive.
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    Object.defineProperty(document, 'hidden', { value: s === 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/**
 * Makes the page believe it lost or regained focus. playwright emulates focus
 * for every page (document.hasFocus() is always true), so this overrides
 * `document.hasFocus` and dispatches `blur` / `focus` on window.
 */
export async function setFocus(page: Page, focused: boolean): Promise<void> {
  await page.evaluate((f) => {
    document.hasFocus = () => f;
    window.dispatchEvent(new FocusEvent(f ? 'focus' : 'blur'));
  }, focused);
}

/**
 * Starts recording why Chromium declines to restore this page from the
 * back/forward cache (CDP Page.backForwardCacheNotUsed); the returned function
 * reads the reasons so far, e.g. 'MainResourceHasCacheControlNoStore', 'WebLocks'.
 */
export async function watchBfcache(page: Page): Promise<() => string[]> {
  const reasons: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.enable');
  cdp.on('Page.backForwardCacheNotUsed', (e) => reasons.push(...e.notRestoredExplanations.map((x) => x.reason)));
  return () => [...reasons];
}

/** Throws, listing them, when the page has had uncaught errors. */
export function expectNoPageErrors(page: Page): void {
  const errors = pageErrorsOf(page);
  if (errors.length) throw new Error(`page had ${errors.length} uncaught error(s):\n` + errors.map((e) => `  ${e.message}`).join('\n'));
}
