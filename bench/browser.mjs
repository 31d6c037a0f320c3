// The browser benchmark: Debian's Chromium over a bare CDP pipe, pages and a
// collector on 127.0.0.1. Every measured page gets a fresh browser and
// profile, so storage and queues never leak from one scenario to the next.
// CPU is thread time of the renderer main thread's top-level tasks, from a
// trace: unlike wall-clock task time it does not grow when the shared
// machine is busy. Each goalpost figure has an empty-page twin measured the
// same way in the same run.
import { fileURLToPath } from 'node:url';
import { launchChromium, mainThreadTime } from './lib/cdp.mjs';
import { startServer } from './lib/server.mjs';
import { benchConfig, benchEvents } from './goals.mjs';

const dist = fileURLToPath(new URL('../dist/goalpost.iife.js', import.meta.url));
const empty = fileURLToPath(new URL('./fixtures/empty.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let nextId = 0;

const STUB = `<script>window.goalpost=window.goalpost||function(){(goalpost.q=goalpost.q||[]).push(arguments)}</script>`;

/**
 * /page?kind=goalpost: the script-tag install with the 50-goal config;
 * kind=empty: the same page loading an empty script instead.
 */
function html(url) {
  if (url.pathname !== '/page') return undefined;
  const kind = url.searchParams.get('kind');
  const config = benchConfig(`/collect?r=${url.searchParams.get('r')}`);
  const src = kind === 'goalpost' ? '/goalpost.iife.js' : '/empty.js';
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${STUB}<script>window.goalpostConfig=${JSON.stringify(config)}</script><script async src="${src}"></script></head><body><h1>goalpost bench</h1><p>${'Text. '.repeat(50)}</p></body></html>`;
}

/** Counts timer calls and long tasks; runs before any page script. */
const INSTRUMENT = `(() => {
  const b = (window.__bench = { timeouts: 0, intervals: 0, idle: 0, active: new Set(), longtasks: [] });
  const { setTimeout: st, setInterval: si, clearInterval: ci } = window;
  window.setTimeout = function (...a) { b.timeouts++; return st.apply(this, a); };
  window.setInterval = function (...a) { b.intervals++; const id = si.apply(this, a); b.active.add(id); return id; };
  window.clearInterval = function (id) { b.active.delete(id); return ci.call(this, id); };
  if (window.requestIdleCallback) {
    const ric = window.requestIdleCallback;
    window.requestIdleCallback = function (...a) { b.idle++; return ric.apply(this, a); };
  }
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

/**
 * The page's loop: `n` track calls back to back, in a task of the page's own
 * (a timer), as a site's code would run, so the long task API sees it.
 * Resolves to its start and wall time.
 */
function trackLoop([n, events]) {
  return new Promise((resolve) =>
    setTimeout(() => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const [action, props] = events[i % events.length];
        window.goalpost('track', action, props);
      }
      resolve({ t0, loopMs: performance.now() - t0 });
    }, 0),
  );
}

export async function createBrowserBench() {
  const server = await startServer({ page: html, files: { '/goalpost.iife.js': dist, '/empty.js': empty } });

  /** A fresh browser; `fn({ browser, page, id, navigate })`. */
  async function withBrowser(fn, { instrumented = false } = {}) {
    const chrome = await launchChromium();
    try {
      const { page, browser } = chrome;
      await page.send('Page.enable');
      await page.send('Runtime.enable');
      if (instrumented) await page.send('Page.addScriptToEvaluateOnNewDocument', { source: INSTRUMENT });
      const id = `r${++nextId}`;
      const navigate = async (kind) => {
        const loaded = page.once('Page.loadEventFired');
        await page.send('Page.navigate', { url: `${server.url}/page?kind=${kind}&r=${id}` });
        await loaded;
        if (kind === 'goalpost') {
          for (let i = 0; i < 100 && !(await page.evaluate(() => window.goalpost?.loaded === true)); i++) await sleep(20);
        }
      };
      return await fn({ browser, page, id, navigate });
    } finally {
      await chrome.close();
    }
  }

  const collected = (id) => {
    const r = server.received(id);
    return { ...r, types: { ...r.types } };
  };

  /**
   * Main-thread CPU in the first `windowMs` (5 s) from navigation: all of it, and the
   * part in tasks that ran goalpost's code (compile, evaluate, callbacks).
   */
  const startup = (kind, windowMs = 5000) =>
    withBrowser(async ({ browser, navigate }) => {
      const { cpuMs, attributedMs, attributedParts, detail } = await mainThreadTime(
        browser,
        async () => {
          const t = Date.now();
          await navigate(kind);
          await sleep(windowMs - (Date.now() - t));
        },
        { attribute: 'goalpost.iife.js' },
      );
      if (detail) console.error(JSON.stringify(detail, null, 1));
      return { cpuMs, attributedMs, attributedParts };
    });

  /** `n` calls back to back, then 5 s: loop wall ms, main-thread CPU ms, and what the collector got in that time. */
  const track = (kind, n) =>
    withBrowser(async ({ browser, page, id, navigate }) => {
      await navigate(kind);
      await sleep(2000); // start-up settles; its CPU is measured by `startup`
      const before = collected(id);
      const { cpuMs, wallMs, result, longest } = await mainThreadTime(browser, async () => {
        const loop = await page.evaluate(trackLoop, [n, benchEvents]);
        await sleep(5000);
        return loop;
      });
      const after = collected(id);
      const hits = after.hits - before.hits;
      return {
        loopMs: result.loopMs,
        // The loop's task is the longest one in the window by far: its thread time is the loop's CPU.
        loopCpuMs: longest.cpuMs,
        cpuMs,
        taskWallMs: wallMs,
        requests: after.requests - before.requests,
        events: (after.types.event ?? 0) - (before.types.event ?? 0),
        bytesPerHit: hits ? (after.bytes - before.bytes) / hits : 0,
      };
    });

  /** A bare page sending the same number of requests with fetch(): the browser's own cost of goalpost's wire pattern. */
  const bareFetches = (requests, bytes) =>
    withBrowser(async ({ browser, page, id, navigate }) => {
      await navigate('empty');
      await sleep(1000);
      const { cpuMs } = await mainThreadTime(browser, async () => {
        await page.evaluate(async ([n, size, id]) => {
          const body = 'x'.repeat(size);
          for (let i = 0; i < n; i++) await fetch(`/collect?r=${id}-bare`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, credentials: 'omit' });
        }, [requests, bytes, id]);
        await sleep(1000);
      });
      return cpuMs;
    });

  /**
   * 10,000 calls in one loop: the loop's own CPU, and any other long task
   * after it (goalpost's deferred work: serialising, storing, sending) until
   * every event was delivered or dropped by the queue's bound. Then memory:
   * 10,000 more, in ten bursts each delivered before the next, and the heap
   * before and after (both after GC, the first once goalpost is warm). Then
   * 12 s idle: the timers goalpost starts in that time.
   */
  const tenThousand = () =>
    withBrowser(
      async ({ browser, page, id, navigate }) => {
        await navigate('goalpost');
        await sleep(2000);
        const events = () => server.received(id).types.event ?? 0;
        /** Waits until `n` events arrived or were dropped, or nothing came for 12 s. */
        const drained = async (n) => {
          const start = Date.now();
          let [last, since] = [-1, Date.now()];
          while (Date.now() - start < 120_000) {
            const r = server.received(id);
            if (events() + (r.dropped ?? 0) >= n) return true;
            if (r.hits !== last) [last, since] = [r.hits, Date.now()];
            else if (Date.now() - since > 12_000) return false;
            await sleep(50);
          }
          return false;
        };
        const trace = await mainThreadTime(browser, async () => {
          const loop = await page.evaluate(trackLoop, [10_000, benchEvents]);
          await drained(10_000);
          return loop;
        });
        const { t0, loopMs } = trace.result;
        const longtasks = await page.evaluate(([t0, t1]) => __bench.longtasks.filter(([start, dur]) => start + dur >= t0 && !(start <= t1 && start + dur >= t0)), [t0, t0 + loopMs]);
        const deliveredOfLoop = events();
        const droppedOfLoop = server.received(id).dropped ?? 0;

        await page.send('HeapProfiler.enable');
        const heap = async () => {
          await page.send('HeapProfiler.collectGarbage');
          await page.send('HeapProfiler.collectGarbage');
          return (await page.send('Runtime.getHeapUsage')).usedSize;
        };
        const heap0 = await heap();
        for (let burst = 1; burst <= 10; burst++) {
          const before = events();
          await page.evaluate(trackLoop, [1000, benchEvents]);
          await drained(before + 1000 + (server.received(id).dropped ?? 0));
        }
        const deliveredInBursts = events() - deliveredOfLoop;
        await sleep(1000);
        const heap1 = await heap();

        const c0 = await page.evaluate(() => ({ t: __bench.timeouts, i: __bench.intervals, r: __bench.idle }));
        await sleep(12_000);
        const c1 = await page.evaluate(() => ({ t: __bench.timeouts, i: __bench.intervals, r: __bench.idle, active: __bench.active.size }));
        return {
          loopMs,
          loopCpuMs: trace.longest.cpuMs,
          delivered: deliveredOfLoop,
          dropped: droppedOfLoop,
          // Tasks over 50 ms of thread time other than the loop's own (the longest).
          cpuLongTasks: Math.max(0, trace.long.length - (trace.longest.cpuMs > 50 ? 1 : 0)),
          longTasks: longtasks.length,
          longestTaskMs: longtasks.reduce((m, [, d]) => Math.max(m, d), 0),
          deliveredInBursts,
          heapGrowthKB: (heap1 - heap0) / 1024,
          idleTimerCalls: c1.t - c0.t + (c1.i - c0.i) + (c1.r - c0.r),
          activeIntervals: c1.active,
        };
      },
      { instrumented: true },
    );

  return { startup, track, bareFetches, tenThousand, close: () => server.close() };
}
