// Chromium driven over a bare CDP pipe, not through Playwright: a page under
// Playwright carries DevTools network instrumentation that costs the
// renderer milliseconds per request, more than goalpost itself spends. Only
// the domains the benchmark reads get enabled. Debian's Chromium, the flags
// from DEVELOPERS.md, a fresh --user-data-dir per browser.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Starts Chromium on about:blank. Resolves to { browser, page, close() }:
 * `browser` is the browser-level CDP connection, `page` a flat session on the tab.
 */
export async function launchChromium() {
  const dir = mkdtempSync(path.join(tmpdir(), 'goalpost-bench-'));
  const proc = spawn('/usr/bin/chromium', [...FLAGS, `--user-data-dir=${dir}`, '--remote-debugging-pipe', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const conn = pipeConnection(proc.stdio[3], proc.stdio[4]);
  const browser = conn.session(undefined);
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    target = (await browser.send('Target.getTargets')).targetInfos.find((t) => t.type === 'page');
    if (!target) await new Promise((r) => setTimeout(r, 50));
  }
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId: target.targetId, flatten: true });
  const page = conn.session(sessionId);
  return {
    browser,
    page,
    async close() {
      await browser.send('Browser.close').catch(() => {});
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CDP over --remote-debugging-pipe: JSON messages separated by NUL bytes. */
function pipeConnection(toChrome, fromChrome) {
  let seq = 0;
  let buffer = '';
  const pending = new Map();
  const listeners = new Map();
  fromChrome.setEncoding('utf8');
  fromChrome.on('data', (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      } else for (const fn of listeners.get(`${msg.sessionId ?? ''}|${msg.method}`) ?? []) fn(msg.params);
    }
  });
  return {
    session(sessionId) {
      const s = {
        send: (method, params = {}) =>
          new Promise((resolve, reject) => {
            const id = ++seq;
            pending.set(id, { resolve, reject, method });
            toChrome.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
          }),
        on(method, fn) {
          const key = `${sessionId ?? ''}|${method}`;
          if (!listeners.has(key)) listeners.set(key, []);
          listeners.get(key).push(fn);
        },
        once: (method) => new Promise((resolve) => s.on(method, resolve)),
        /** Evaluates `fn(arg)` in the page; resolves to its awaited JSON result. */
        async evaluate(fn, arg) {
          const r = await s.send('Runtime.evaluate', { expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true });
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
          return r.result.value;
        },
      };
      return s;
    },
  };
}

/**
 * Records a trace while `during()` runs. Resolves to the renderer main
 * threads' top-level task time: `cpuMs` (thread time) and `wallMs`; `long`,
 * the tasks whose thread time exceeded `longTaskMs`; and `attributedMs`, the
 * thread time of the tasks that ran code from a script whose URL contains
 * `attribute` (compiling it, evaluating it, or calling into it); `longest`,
 * the task with the most thread time.
 */
export async function mainThreadTime(browser, during, { longTaskMs = 50, attribute } = {}) {
  const events = [];
  browser.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = browser.once('Tracing.tracingComplete');
  const categories = ['toplevel', '__metadata', ...(attribute ? ['devtools.timeline', 'v8'] : [])];
  await browser.send('Tracing.start', { traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' }, transferMode: 'ReportEvents' });
  const result = await during();
  await browser.send('Tracing.end');
  await done;
  const thread = (e) => `${e.pid}:${e.tid}`;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(thread));
  const onMain = events.filter((e) => main.has(thread(e)) && (e.ph === 'X' || e.ph === 'B' || e.ph === 'I')).sort((a, b) => a.ts - b.ts);
  // Top-level slices only: a slice inside another (a microtask checkpoint within a task) is already counted.
  const endOf = new Map();
  const tasks = [];
  for (const e of onMain) {
    if (e.ph !== 'X' || e.cat !== 'toplevel') continue;
    if (e.ts < (endOf.get(thread(e)) ?? 0)) continue;
    endOf.set(thread(e), e.ts + (e.dur ?? 0));
    tasks.push(e);
  }
  const cpuOf = (e) => (e.tdur ?? e.dur ?? 0) / 1000;
  const ours = new Set();
  /** What ran goalpost's code in each attributed task: EvaluateScript, FireIdleCallback, TimerFire, EventDispatch or undefined. */
  const kindOf = new Map();
  /** In event tasks: the CPU of goalpost's own listener calls. */
  const listenersOf = new Map();
  if (attribute) {
    const urlOf = (e) => e.args?.data?.url ?? e.args?.data?.scriptName ?? e.args?.fileName ?? e.args?.data?.stackTrace?.[0]?.url ?? '';
    // Running its code, not merely fetching it (the preload scanner names the URL too).
    const runs = new Set(['EvaluateScript', 'v8.compile', 'FunctionCall', 'v8.callFunction', 'v8.run', 'TimerFire', 'FireIdleCallback', 'FireAnimationFrame', 'EventDispatch']);
    const marks = onMain.filter((e) => runs.has(e.name) && String(urlOf(e)).includes(attribute));
    let i = 0;
    for (const task of tasks) {
      while (i < marks.length && marks[i].ts < task.ts) i++;
      for (let j = i; j < marks.length && marks[j].ts <= task.ts + (task.dur ?? 0); j++) {
        if (thread(marks[j]) === thread(task)) {
          ours.add(task);
          const kinds = ['EvaluateScript', 'FireIdleCallback', 'TimerFire', 'EventDispatch'];
          const inner = onMain.find((e) => e.ts >= task.ts && e.ts <= task.ts + (task.dur ?? 0) && thread(e) === thread(task) && kinds.includes(e.name));
          kindOf.set(task, inner?.name);
          if (inner?.name === 'EventDispatch') {
            let end = 0;
            let ms = 0;
            for (let k = j; k < marks.length && marks[k].ts <= task.ts + (task.dur ?? 0); k++) {
              const m = marks[k];
              if (m.name !== 'FunctionCall' || thread(m) !== thread(task) || m.ts < end) continue;
              end = m.ts + (m.dur ?? 0);
              ms += cpuOf(m);
            }
            listenersOf.set(task, ms);
          }
          break;
        }
      }
    }
  }
  let cpuMs = 0;
  let wallMs = 0;
  let attributedMs = 0;
  /**
   * attributedMs by what ran goalpost's code: evaluate (the script itself), idle, timer, event, other
   * (storage replies, promise jobs). A task of the page's own events (load, pageshow, visibilitychange)
   * runs with or without goalpost: of it, only goalpost's listener calls count.
   */
  const attributedParts = { evaluate: 0, idle: 0, timer: 0, event: 0, other: 0 };
  const partOf = { EvaluateScript: 'evaluate', 'v8.compile': 'evaluate', 'v8.run': 'evaluate', FireIdleCallback: 'idle', TimerFire: 'timer', EventDispatch: 'event' };
  const long = [];
  for (const task of tasks) {
    cpuMs += cpuOf(task);
    wallMs += (task.dur ?? 0) / 1000;
    if (ours.has(task)) {
      const ms = listenersOf.get(task) ?? cpuOf(task);
      attributedMs += ms;
      attributedParts[partOf[kindOf.get(task)] ?? 'other'] += ms;
    }
    if (cpuOf(task) > longTaskMs) long.push({ cpuMs: cpuOf(task), wallMs: task.dur / 1000 });
  }
  const longest = tasks.reduce((m, t) => (cpuOf(t) > cpuOf(m) ? t : m), { tdur: 0, dur: 0 });
  const detail = process.env.BENCH_DEBUG
    ? [...ours].map((t) => ({
        cpuMs: cpuOf(t),
        inside: Object.entries(
          onMain
            .filter((e) => thread(e) === thread(t) && e.ts >= t.ts && e.ts <= t.ts + (t.dur ?? 0) && e !== t && e.ph === 'X')
            .reduce((acc, e) => ((acc[e.name] = (acc[e.name] ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000), acc), {}),
        ).sort((a, b) => b[1] - a[1]).slice(0, 8),
      }))
    : undefined;
  return { cpuMs, wallMs, attributedMs, attributedParts, long, longest: { cpuMs: cpuOf(longest), wallMs: (longest.dur ?? 0) / 1000 }, result, detail };
}
