#!/usr/bin/env node
// npm run demo:traffic: simulated visits through the demo shop in headless
// Chromium, so the collector's report has data to show. By default about
// three minutes of them; --visits N runs N, however long that takes.
//
//   node examples/traffic/run.mjs [--visits 120] [--minutes 3] [--base http://127.0.0.1:8787]
//        [--site shop] [--concurrency 4] [--seed N] [--linger-share 0.05]
//        [--networks fiber,cable,…] [--max-wait 4000] [--verbose] [--dry-run]
//
// Each visit is a new browser context (a new client) with its own network and
// CPU throttling and a visitor from behaviour.mjs. Slower visitors convert
// less because that model makes them less patient, not because of anything
// measured. The run marks its time range as simulated on the collector (POST
// /api/simulated, opened before the first visit and closed after the last,
// also when the run is stopped or fails), so the report can say so.
import { setMaxListeners } from 'node:events';
import { setTimeout as wait } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { planVisits, NETWORKS, INTENTS } from './behaviour.mjs';
import { runVisit } from './visit.mjs';
import { pool, schedule, timeLimit } from './pools.mjs';
import { openSimulatedRange } from './simulated-range.mjs';
import { createStop } from './stop.mjs';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/**
 * The default run: about three minutes on a 2-core machine (issue 19), with
 * enough sessions in each LCP bucket for the report to show the model's speed
 * effect. A busy machine runs fewer of the visits in the same minutes.
 */
const DEFAULTS = { visits: 120, minutes: 3, concurrency: 4 };

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      visits: { type: 'string' },
      minutes: { type: 'string' },
      base: { type: 'string', default: process.env.GOALPOST_BASE ?? 'http://127.0.0.1:8787' },
      site: { type: 'string', default: 'shop' },
      concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
      seed: { type: 'string' },
      'linger-share': { type: 'string', default: '0.05' },
      'max-wait': { type: 'string', default: '4000' },
      networks: { type: 'string', default: Object.keys(NETWORKS).join(',') },
      chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
      verbose: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const base = new URL(values.base);
  if (!LOOPBACK.has(base.hostname)) throw new Error(`--base must be a local address (127.0.0.1, localhost), got ${base.hostname}`);
  const num = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got ${values[name]}`);
    return n;
  };
  const networks = values.networks.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = networks.filter((n) => !(n in NETWORKS));
  if (unknown.length || networks.length === 0) throw new Error(`--networks takes a list of ${Object.keys(NETWORKS).join(', ')}; got ${values.networks}`);
  return {
    help: values.help,
    networks,
    visits: values.visits === undefined ? DEFAULTS.visits : Math.round(num('visits', 1, 100_000)),
    // A run of a given number of visits runs them all; the default run keeps to its minutes.
    minutes: values.minutes !== undefined ? num('minutes', 0, 24 * 60) : values.visits === undefined ? DEFAULTS.minutes : 0,
    base: base.origin,
    site: values.site,
    concurrency: Math.round(num('concurrency', 1, 16)),
    seed: values.seed === undefined ? (Date.now() >>> 0) : Math.round(num('seed', 0, 2 ** 32 - 1)),
    lingerShare: num('linger-share', 0, 1),
    maxWaitMs: num('max-wait', 500, 60_000),
    chromium: values.chromium,
    verbose: values.verbose,
    dryRun: values['dry-run'],
  };
}

const HELP = `Usage: node examples/traffic/run.mjs [options]
  --visits N         visits to simulate (${DEFAULTS.visits}); given, all N run, however long they take
  --minutes M        how long the run may take (${DEFAULTS.minutes} unless --visits is given; 0: no limit):
                     no visit starts in its last 45 s, and visits still under way at
                     the end are cut off
  --base URL         the demo collector serving the shop (http://127.0.0.1:8787); local addresses only
  --site NAME        the site whose sessions the collector labels simulated during the run
                     (shop, as the demo shop's config says; "" for every site)
  --concurrency N    visits at once (${DEFAULTS.concurrency}); one on a slow network counts as a third,
                     lingering ones run in a pool of their own
  --seed N           plan the same visits again
  --linger-share X   share of visitors who stay over a minute (0.05)
  --max-wait MS      longest a visitor waits for a page's load event (4000)
  --networks LIST    only these network profiles (${Object.keys(NETWORKS).join(',')})
  --verbose          one line per visit
  --dry-run          print the plan and exit: no browser, no requests`;

async function main() {
  const started = Date.now();
  const opt = options(process.argv.slice(2));
  if (opt.help) return console.log(HELP);
  const plan = planVisits({ visits: opt.visits, seed: opt.seed, lingerShare: opt.lingerShare, networks: opt.networks });
  const within = opt.minutes ? `, within ${opt.minutes} min` : '';
  console.log(`goalpost demo traffic: ${opt.visits} simulated visits to ${opt.base}${within}, seed ${opt.seed}`);
  if (opt.dryRun) return printPlan(plan);

  await checkShop(opt.base);
  const stop = createStop();
  // A stray rejection from a visit that already ended must not end the run.
  const ignore = (err) => {
    if (opt.verbose) console.log(`  (ignored after its visit ended: ${String(err?.message ?? err).split('\n')[0]})`);
  };
  process.on('unhandledRejection', ignore);
  const range = await openSimulatedRange(opt.base, { site: opt.site, note: `npm run demo:traffic: ${opt.visits} visits, seed ${opt.seed}` });
  stop.onLeave(() => {
    if (range && !range.closed) console.warn(`the simulated range is still open; close it with:\n  ${range.closeCommand()}`);
  });
  let run;
  try {
    run = await runVisits(opt, plan, stop, timeLimit(opt.minutes, started));
  } finally {
    // After the browser has closed: no hit of this run can arrive later.
    await range?.close();
    stop.dispose();
    process.off('unhandledRejection', ignore);
  }
  printSummary(run.results, run.errors, Date.now() - started);
  printCutShort(run, plan.length, stop.reason ? 'the stop' : `the ${opt.minutes}-minute limit`);
  const failed = run.results.filter((r) => r.error).length;
  if (!stop.reason && (run.results.length === 0 || failed > run.results.length / 4)) process.exitCode = 1;
}

/**
 * Runs the planned visits in one browser until they are done, the run is
 * stopped or its time is up. Visits cut off on the way are counted, not reported.
 */
async function runVisits(opt, plan, stop, limit) {
  const results = [];
  const errors = new Map();
  let cutOff = 0;
  if (stop.reason) return { results, errors, cutOff };
  // Our own signal handling: Playwright's would exit the process before the simulated range is closed.
  const browser = await chromium.launch({ executablePath: opt.chromium, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  let closing;
  // Not forever: a browser that does not close must not keep the simulated range open.
  const closeBrowser = () => (closing ??= Promise.race([browser.close().catch(() => {}), wait(15_000, undefined, { ref: false })]));
  // A stop or the end of the time ends the visits under way now: a lingering one would otherwise idle on for a minute.
  const cutting = new AbortController();
  setMaxListeners(0, cutting.signal); // one or two per visit under way, by design
  stop.onStop(() => {
    cutting.abort();
    return closeBrowser();
  });
  const timeUp = Number.isFinite(limit.endAt) ? setTimeout(() => cutting.abort(), limit.endAt - Date.now()) : undefined;

  const onConsoleError = (planned, text) => {
    const key = text.slice(0, 160);
    errors.set(key, (errors.get(key) ?? 0) + 1);
    if (opt.verbose) console.log(`  #${planned.n} console: ${key}`);
  };
  const progress = createProgress(opt.visits, Date.now());
  const visit = async (planned) => {
    const timeoutMs = planned.intent === 'linger' ? 180_000 : 90_000;
    const r = await runVisit(browser, opt.base, planned, { timeoutMs, maxWaitMs: opt.maxWaitMs, onConsoleError, signal: cutting.signal });
    if (cutting.signal.aborted) return void cutOff++;
    results.push(r);
    if (opt.verbose) console.log(describe(r));
    progress(results);
  };

  // --concurrency is a CPU budget: a visit on a fast network takes one slot,
  // one on a slow network (it mostly waits for bytes) a third of one: measured
  // here, a slow visit used about a third of the CPU per second of a fast one.
  // Lingering visits idle for a minute: they run beside the budget, all at
  // once (at most 10), started 4 s apart and first, so they end within
  // the run's minutes.
  const lingering = plan.filter((p) => p.intent === 'linger');
  const others = plan.filter((p) => p.intent !== 'linger');
  const lingerSlots = Math.min(10, Math.max(1, lingering.length));
  const stopped = () => Boolean(stop.reason) || Date.now() >= limit.startUntil;
  const slotsOf = (p) => (NETWORKS[p.network].waits ? 1 / 3 : 1);
  try {
    await Promise.all([schedule(others, opt.concurrency, slotsOf, visit, stopped), pool(lingering, lingerSlots, visit, stopped, 4_000)]);
  } finally {
    clearTimeout(timeUp);
    await closeBrowser();
  }
  return { results, errors, cutOff };
}

/** What a stop or the time limit left out of the summary. */
function printCutShort({ results, cutOff }, planned, by) {
  const notRun = planned - results.length - cutOff;
  if (cutOff === 1) console.log(`1 visit under way was cut off by ${by} and is left out above`);
  else if (cutOff) console.log(`${cutOff} visits under way were cut off by ${by} and are left out above`);
  if (notRun > 0) console.log(`${notRun} of ${planned} planned visits did not start before ${by}`);
}

/** HEAD, so no page view is counted anywhere; GET where a server does not do HEAD. */
async function probe(url) {
  const fail = (err) => ({ ok: false, status: err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message });
  const head = await fetch(url, { method: 'HEAD' }).catch(fail);
  if (head.ok || typeof head.status !== 'number') return head;
  const get = await fetch(url).catch(fail);
  await get.body?.cancel?.();
  return get;
}

async function checkShop(base) {
  const shop = await probe(`${base}/index.html`);
  if (!shop.ok) throw new Error(`the shop is not at ${base}/index.html (${shop.status}); start it first: npm run demo`);
  const sdk = await probe(`${base}/goalpost.iife.js`);
  if (!sdk.ok) console.warn(`warning: ${base}/goalpost.iife.js answered ${sdk.status}: the visits run, but goalpost measures nothing (npm run build?)`);
}

function createProgress(total, started) {
  const every = Math.max(1, Math.round(total / 12));
  return (results) => {
    const done = results.length;
    if (done % every !== 0 && done !== total) return;
    const count = (f) => results.filter(f).length;
    console.log(
      `[${String(done).padStart(String(total).length)}/${total}] ${clock(Date.now() - started)}  ` +
        `purchases ${count((r) => r.purchased)}  newsletter ${count((r) => r.subscribed)}  ` +
        `bounces ${count((r) => r.outcome === 'bounced')}  errors ${count((r) => r.error)}`,
    );
  };
}

function describe(r) {
  const lcp = r.landingLcp === undefined ? '?' : `${(r.landingLcp / 1000).toFixed(1)}s`;
  return `  #${r.n} ${r.network}/${r.device} ${r.intent} -> ${r.outcome}  landing LCP ${lcp}  pages ${r.pages.length}  ${(r.ms / 1000).toFixed(1)}s  ` +
    `collect ${r.collect.ok}+${r.collect.cutOff}/${r.collect.sent}${r.error ? `  ERROR ${r.error}` : ''}`;
}

function printPlan(plan) {
  const tally = (key) => Object.entries(plan.reduce((acc, p) => ({ ...acc, [p[key]]: (acc[p[key]] ?? 0) + 1 }), {})).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`dry run: nothing is opened or sent.\n  intents: ${tally('intent')}\n  networks: ${tally('network')}\n  devices: ${tally('device')}\n  landings: ${tally('landing')}`);
  console.log(`  model: intents ${JSON.stringify(INTENTS)}; networks ${Object.entries(NETWORKS).map(([k, n]) => `${k} ${n.latency}ms x${n.cpu}`).join(', ')}`);
  for (const p of plan.slice(0, 10)) console.log(`  #${p.n} ${p.network}/${p.device} ${p.intent} lands on ${p.landing}${p.referrer ? ` from ${p.referrer}` : ''}`);
  if (plan.length > 10) console.log(`  … ${plan.length - 10} more`);
}

/** LCP buckets as the report uses them (Google's thresholds). */
const bucket = (ms) => (ms === undefined ? 'unknown' : ms <= 2500 ? 'good (<=2.5s)' : ms <= 4000 ? 'needs improvement' : 'poor (>4s)');

function printSummary(results, errors, ms) {
  const rate = (rs, f) => (rs.length ? `${((100 * rs.filter(f).length) / rs.length).toFixed(1)}%` : '-');
  const group = (key) => {
    const groups = new Map();
    for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return [...groups.entries()];
  };
  const line = (label, rs) =>
    `  ${label.padEnd(20)} visits ${String(rs.length).padStart(4)}  purchase ${rate(rs, (r) => r.purchased).padStart(6)}  newsletter ${rate(rs, (r) => r.subscribed).padStart(6)}  bounce ${rate(rs, (r) => r.outcome === 'bounced').padStart(6)}`;
  const sum = (f) => results.reduce((s, r) => s + f(r), 0);
  console.log(`\n${results.length} simulated visits in ${clock(ms)}`);
  console.log('outcomes: ' + group((r) => r.outcome).map(([k, rs]) => `${k} ${rs.length}`).join(', '));
  console.log('by landing-page LCP, as the simulated visitors felt it:');
  for (const b of ['good (<=2.5s)', 'needs improvement', 'poor (>4s)', 'unknown']) {
    const rs = results.filter((r) => bucket(r.landingLcp) === b);
    if (rs.length) console.log(line(b, rs));
  }
  console.log('by network:');
  for (const name of Object.keys(NETWORKS)) {
    const rs = results.filter((r) => r.network === name);
    if (rs.length) console.log(line(name, rs));
  }
  console.log(
    `page views ${sum((r) => r.pages.length)}, add-to-cart clicks ${sum((r) => r.added)}, review reads ${results.filter((r) => r.readReviews).length}, ` +
      `lingering visits ${results.filter((r) => r.intent === 'linger').length}`,
  );
  console.log(
    `requests to /collect: ${sum((r) => r.collect.sent)} sent, ${sum((r) => r.collect.ok)} answered 2xx, ` +
      `${sum((r) => r.collect.cutOff)} beacons still in flight as their page closed (the browser delivers those), ${sum((r) => r.collect.failed)} failed or refused`,
  );
  const failed = results.filter((r) => r.error);
  if (failed.length) {
    console.log(`${failed.length} visits failed:`);
    for (const r of failed.slice(0, 5)) console.log(`  #${r.n} ${r.network} ${r.intent}: ${r.error}`);
  }
  if (errors.size) {
    console.log(`console errors on the shop's pages (${sum((r) => r.consoleErrors)}):`);
    for (const [text, n] of [...errors].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  ${n}x ${text}`);
  }
  console.log('Simulated traffic: slower visitors convert less because the behaviour model makes them less patient (examples/traffic/behaviour.mjs).');
}

function clock(ms) {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

main().catch((err) => {
  console.error(`demo:traffic: ${err.message}`);
  process.exitCode = 1;
});
