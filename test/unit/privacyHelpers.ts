// Shared by the privacy unit tests: a tracker on the jsdom page with a
// recording fetch, and a look at every storage the page has.
import { vi } from 'vitest';
import { parseConfig, type GoalpostConfig } from '../../src/config';
import { createTracker, type Tracker, type TrackerEnv } from '../../src/tracker';
import type { Payload } from '../../src/schema';
import { withoutProtoKeys } from '../../src/lib/withoutProtoKeys';

export interface Sent {
  url: string;
  init: RequestInit;
  payload: Payload;
}

export function recordingFetch(): { fetchImpl: typeof fetch; sent: Sent[]; hits: () => Payload['hits'] } {
  const sent: Sent[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, init, payload: JSON.parse(String(init.body)) });
    return new Response(null, { status: 204 });
  }) as unknown as typeof fetch;
  return { fetchImpl, sent, hits: () => sent.flatMap((s) => s.payload.hits) };
}

export function startTracker(config: Partial<GoalpostConfig>, env: TrackerEnv = {}): Tracker {
  // As init() does it.
  const parsed = withoutProtoKeys(() => parseConfig({ endpoint: 'https://collect.example/hits', timing: false, ...config }));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return createTracker(parsed.config, env);
}

/** Lets the delivery's async send run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** Everything the page keeps: localStorage, sessionStorage, cookies and IndexedDB database names. */
export async function storageSnapshot(): Promise<{ local: Record<string, string>; session: Record<string, string>; cookies: string; idb: string[] }> {
  const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i)!, s.getItem(s.key(i)!)!]));
  const dbs = await indexedDB.databases();
  return { local: dump(localStorage), session: dump(sessionStorage), cookies: document.cookie, idb: dbs.map((d) => d.name!) };
}

export function resetPage(): void {
  localStorage.clear();
  sessionStorage.clear();
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
  }
  document.body.innerHTML = '';
  vi.restoreAllMocks();
}

/** Sets navigator.doNotTrack / globalPrivacyControl for one test; returns undo(). */
export function privacySignals(values: { doNotTrack?: string; globalPrivacyControl?: boolean }): () => void {
  const undo: (() => void)[] = [];
  for (const [k, v] of Object.entries(values)) {
    Object.defineProperty(navigator, k, { value: v, configurable: true });
    undo.push(() => delete (navigator as unknown as Record<string, unknown>)[k]);
  }
  return () => undo.forEach((u) => u());
}

/** Counts reads of `value` on inputs, textareas and selects; returns [reads, restore]. */
export function spyOnValues(): [() => number, () => void] {
  let reads = 0;
  const restore: (() => void)[] = [];
  for (const C of [HTMLInputElement, HTMLTextAreaElement, HTMLSelectElement]) {
    const d = Object.getOwnPropertyDescriptor(C.prototype, 'value')!;
    Object.defineProperty(C.prototype, 'value', {
      ...d,
      get() {
        reads++;
        return d.get!.call(this);
      },
    });
    restore.push(() => Object.defineProperty(C.prototype, 'value', d));
  }
  return [() => reads, () => restore.forEach((r) => r())];
}
