/**
 * The script-tag entry (dist/goalpost.iife.js): the only module with effects.
 * Reads the config, replays the calls queued on the stub, and replaces
 * window.goalpost with the real command function.
 */
import { init } from './init';
import { guard } from './lib/guard';
import { error, warn } from './lib/log';
import type { Tracker } from './tracker';

type Command = [string, ...unknown[]];
type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean };
type GoalpostWindow = Window & { goalpost?: Stub; goalpostConfig?: unknown };

guard(start, 'could not start')();

function start(): void {
  const w = window as GoalpostWindow;
  if (w.goalpost?.loaded) return warn('the script is included twice; the second copy does nothing.');
  const script = document.currentScript as HTMLScriptElement | null;
  const queued: Command[] = Array.from(w.goalpost?.q ?? [], (args) => Array.from(args) as Command);
  let tracker: Tracker | undefined;
  const waiting: Command[] = [];

  const begin = (config: unknown, source: string) => {
    if (tracker) return warn(`goalpost already started; ignoring the config from ${source}.`);
    tracker = init(withAttributes(config, script) as never);
    waiting.splice(0).forEach(run);
  };

  const run = guard((cmd: Command) => {
    const [name, ...args] = cmd;
    if (name === 'init') return begin(args[0], 'init()');
    if (!tracker) return void waiting.push(cmd);
    // destroy stays off the command list: a page cannot stop goalpost by a call.
    if ('track pageview goal consent flush'.split(' ').includes(name)) return (tracker[name as 'track'] as (...a: unknown[]) => void)(...args);
    warn(`unknown command ${JSON.stringify(name)} (use init, track, pageview, goal, consent or flush)`);
  }, 'command failed');

  const api: Stub = (...args: unknown[]) => run(args as Command);
  api.loaded = true;
  w.goalpost = api;

  const fromPage = w.goalpostConfig ?? readJsonConfig();
  if (fromPage !== undefined) begin(fromPage, 'the page');
  else if (!queued.some((c) => c[0] === 'init') && script?.hasAttribute('data-endpoint')) begin({}, 'the script tag');
  queued.forEach(run);
}

/** The JSON in <script type="application/json" id="goalpost-config">, if any. */
function readJsonConfig(): unknown {
  const el = document.getElementById('goalpost-config');
  if (!el) return undefined;
  try {
    // An element's textContent is a string, never null.
    return JSON.parse(el.textContent!);
  } catch (e) {
    error(`the JSON in #goalpost-config cannot be read (${(e as Error).message}); goalpost is not running.`);
    return null;
  }
}

/** data-endpoint, data-site and data-debug on the loader's own tag fill in or override the config. */
function withAttributes(config: unknown, script: HTMLScriptElement | null): unknown {
  if (!script || !config || typeof config !== 'object' || Array.isArray(config)) return config;
  const out: Record<string, unknown> = { ...config };
  for (const k of ['endpoint', 'site']) {
    const v = script.getAttribute(`data-${k}`);
    if (v) out[k] = v;
  }
  const debug = script.getAttribute('data-debug');
  if (debug !== null) out.debug = debug === '' || debug === 'true';
  return out;
}
