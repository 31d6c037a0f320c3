// The Node engine benchmark: the goal engine from src/, bundled as it ships
// (types stripped, not minified), matching signals against the 50 goals of
// bench/goals.mjs. Reports signals per second.
import { pathToFileURL } from 'node:url';
import { bundle } from './lib/bundle.mjs';
import { benchEvents, benchGoals } from './goals.mjs';

async function loadEngine() {
  const { code } = await bundle({ input: new URL('../src/engine.ts', import.meta.url).pathname, format: 'es', minify: false });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** The signal mix: tracked events, with a page view in every eight signals. */
function signals() {
  const paths = ['/', '/products/coffee?sort=price', '/cart', '/checkout/step1', '/blog/2026/brewing', '/checkout/step1/done', '/thanks/4', '/about'];
  const out = [];
  for (let i = 0; i < 64; i++) {
    if (i % 8 === 7) out.push({ type: 'pageview', path: paths[(i >> 3) % paths.length] });
    else {
      const [action, props] = benchEvents[i % benchEvents.length];
      out.push({ type: 'event', action, category: props.category, label: props.label, value: props.value });
    }
  }
  return out;
}

/**
 * Resolves to `run(n)`: `n` signals through a session's state, returning
 * signals per second of this process's CPU time (not wall time: the shared
 * machine's other work does not count against the engine).
 */
export async function createEngineBench() {
  const { createEngine } = await loadEngine();
  const engine = createEngine(benchGoals());
  const mix = signals();
  return function run(n = 500_000) {
    // A fresh session every 1,000 signals, so conversions keep happening.
    let state = { done: [], pages: 0, steps: {} };
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      if (i % 1000 === 0) state = { done: [], pages: 0, steps: {} };
      state = engine.evaluate(state, mix[i % mix.length]).state;
    }
    const used = process.cpuUsage(t0);
    return n / ((used.user + used.system) / 1e6);
  };
}

// Run on its own (`node bench/engine.mjs`, as bench/run.mjs does): warm up, then print the median
// signals per second of five rounds (one round can lose half its speed to the shared machine).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = await createEngineBench();
  run(100_000);
  const rounds = Array.from({ length: 5 }, () => run(200_000)).sort((a, b) => a - b);
  console.log(Math.round(rounds[2]));
}
