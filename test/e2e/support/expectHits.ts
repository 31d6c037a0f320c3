/**
 * The one assertion browser tests make: what the collector received.
 * In the spirit of plausible's tracker test-utils: do an action, wait for
 * the hits it should cause, then make sure the ones it must not cause stay away.
 */
import type { Hit } from '../../../src/schema';
import type { CollectedHit, Collector } from './server';
import { sleep } from './server';

/** Partial objects at every depth; arrays are matched whole, element by element. */
type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * A partial hit, matched as a deep subset: keys left out match anything, a key
 * set to `undefined` must be absent, arrays must have the same length and match
 * element by element. Any value may be a vitest asymmetric matcher
 * (`expect.any(Number)`, `expect.stringMatching(/cart/)`, `expect.arrayContaining([...])`).
 */
export type Matcher = DeepPartial<Hit> & { requestIndex?: number };

export interface ExpectHitsOptions {
  /** Run first; with an action, only requests arriving after it starts count. */
  action?: () => unknown;
  /** Each matcher needs its own hit: two equal matchers need two hits. */
  expected?: Matcher[];
  /** None of these may be received, checked after the settle period. */
  refuted?: Matcher[];
  /** How long to wait for the expected hits. Default 10 s (the spec's default batch timer is 5 s). */
  timeoutMs?: number;
  /** Quiet time after the expected hits arrived, to let refuted ones show up. Default 300 ms. */
  settleMs?: number;
  /** Count only requests from this index of `collector.requests` on. Default: 0, or where the action started. */
  since?: number;
  /** Fail when a request in scope is not a valid v1 payload (payloadSchema). Default true. */
  validate?: boolean;
}

/** Waits for the expected hits and returns them, one per matcher in order; throws with what was received otherwise. */
export async function expectHits(collector: Collector, opts: ExpectHitsOptions): Promise<CollectedHit[]> {
  const { expected = [], refuted = [], timeoutMs = 10_000, settleMs = 300, validate = true } = opts;
  const since = opts.since ?? (opts.action ? collector.requests.length : 0);
  if (opts.action) await opts.action();

  const inScope = () => collector.hits().filter((h) => h.requestIndex >= since);
  const deadline = Date.now() + timeoutMs;
  let snapshot = inScope();
  let found = assign(expected, snapshot);
  while (found.includes(undefined) && Date.now() < deadline) {
    await sleep(50);
    snapshot = inScope();
    found = assign(expected, snapshot);
  }
  if (found.includes(undefined)) {
    const missing = expected.filter((_, i) => found[i] === undefined);
    fail(collector, since, `${missing.length} of ${expected.length} expected hit(s) not received within ${timeoutMs} ms:\n${missing.map((m) => '  ' + show(m)).join('\n')}`);
  }

  await sleep(settleMs);
  const hits = inScope();
  for (const m of refuted) {
    const hit = hits.find((h) => matches(h, m));
    if (hit) fail(collector, since, `refuted hit received:\n  ${show(m)}\nmatched:\n  ${compact(hit)}`);
  }
  if (validate) {
    const bad = collector.requests.filter((r) => r.index >= since && r.method === 'POST' && r.schemaError);
    if (bad.length) fail(collector, since, `invalid payload(s):\n${bad.map((r) => `  #${r.index}: ${r.schemaError}`).join('\n')}`);
  }
  return found.map((i) => snapshot[i!]);
}

/** Polls `fn` until it returns something truthy without throwing; rethrows its last error on timeout. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError: unknown;
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      if (lastError) throw lastError;
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms: ${fn.toString().slice(0, 200)}`);
    }
    await sleep(intervalMs);
  }
}

/** Deep subset match; see Matcher. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const obj = actual as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => (v === undefined ? obj[k] === undefined : matches(obj[k], v)));
  }
  return Object.is(actual, expected);
}

/**
 * Gives each matcher a distinct hit (bipartite matching by augmenting paths), so that
 * a loose matcher listed first cannot steal the only hit a stricter one could take.
 * Returns, per matcher, the index of its hit or undefined.
 */
function assign(matchers: Matcher[], hits: CollectedHit[]): (number | undefined)[] {
  const candidates = matchers.map((m) => hits.flatMap((h, j) => (matches(h, m) ? [j] : [])));
  const owner = new Map<number, number>(); // hit index -> matcher index
  const place = (i: number, seen: Set<number>): boolean =>
    candidates[i].some((j) => {
      if (seen.has(j)) return false;
      seen.add(j);
      const o = owner.get(j);
      if (o !== undefined && !place(o, seen)) return false;
      owner.set(j, i);
      return true;
    });
  matchers.forEach((_, i) => place(i, new Set()));
  const result: (number | undefined)[] = matchers.map(() => undefined);
  owner.forEach((i, j) => (result[i] = j));
  return result;
}

interface Asymmetric {
  asymmetricMatch(other: unknown): boolean;
  toAsymmetricMatcher?(): string;
}

function isAsymmetric(v: unknown): v is Asymmetric {
  return v !== null && typeof v === 'object' && typeof (v as Asymmetric).asymmetricMatch === 'function';
}

function show(matcher: unknown): string {
  return JSON.stringify(matcher, (_k, v: unknown) => (isAsymmetric(v) ? (v.toAsymmetricMatcher?.() ?? String(v)) : v));
}

/** One line per hit, without the ids and clock that differ every run. */
function compact(hit: CollectedHit): string {
  const { id: _id, cid: _cid, sid: _sid, pid: _pid, ts: _ts, requestIndex, url, ...rest } = hit;
  let path = url;
  try {
    const u = new URL(url);
    path = u.pathname + u.search;
  } catch {
    // not absolute: print as sent
  }
  return `#${requestIndex} ${JSON.stringify({ ...rest, url: path })}`;
}

const maxLines = 40;

function fail(collector: Collector, since: number, why: string): never {
  const requests = collector.requests.filter((r) => r.index >= since);
  const hits = collector.hits().filter((h) => h.requestIndex >= since);
  const lines = hits.map(compact);
  const shown = lines.length > maxLines ? [`... ${lines.length - maxLines} earlier hit(s)`, ...lines.slice(-maxLines)] : lines;
  const reqs = requests
    .map((r) => `#${r.index} ${r.method} ${r.path} ${r.status ?? 'pending'}${r.method === 'POST' && r.schemaError ? ` (invalid: ${r.schemaError})` : ''}`)
    .slice(-maxLines);
  throw new Error(
    `expectHits: ${why}\n` +
      `received ${hits.length} hit(s) in 2xx payloads since request #${since}:\n${shown.map((l) => '  ' + l).join('\n') || '  (none)'}\n` +
      `requests since #${since}:\n${reqs.map((l) => '  ' + l).join('\n') || '  (none)'}`,
  );
}
