// Helpers for the collector tests: a collector on a temporary SQLite file with
// a clock the test moves, a raw poster, and a builder for hand-made visits.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCollector, type CollectorOptions } from '../../examples/collector/server.mjs';

export type TestCollector = Awaited<ReturnType<typeof startCollector>> & {
  /** The server clock; requests are received at this time. */
  clock: { now: number };
  /** Rows of the hits table, read through a separate connection (what is really on disk). */
  rows: (where?: string) => Record<string, any>[];
  dir: string;
};

const silent = { log() {}, error() {} };

export async function startTestCollector(options: CollectorOptions = {}): Promise<TestCollector> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-collector-'));
  const clock = { now: Date.UTC(2025, 10, 10, 12) };
  const collector = await startCollector({ port: 0, dbPath: path.join(dir, 'goalpost.sqlite'), staticRoot: path.join(dir, 'no-shop'), log: silent, now: () => clock.now, ...options });
  const rows = (where = '1') => {
    const db = new Database(collector.dbPath, { readonly: true });
    try {
      return db.prepare(`SELECT * FROM hits WHERE ${where} ORDER BY rowid`).all() as Record<string, any>[];
    } finally {
      db.close();
    }
  };
  const close = collector.close;
  return Object.assign(collector, {
    clock,
    rows,
    dir,
    close: async () => {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** POSTs to /collect; an object body is sent as JSON text/plain, the way goalpost sends it. */
export async function post(c: { url: string }, body: unknown, headers: Record<string, string> = {}, route = '/collect') {
  const res = await fetch(c.url + route, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A request with exactly the path and headers given (fetch would normalise `..`). */
export function rawRequest(c: { port: number }, options: { method?: string; path: string; headers?: Record<string, string>; body?: (Buffer | string)[] }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: c.port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    for (const chunk of options.body ?? []) req.write(chunk);
    req.end();
  });
}

let counter = 0;
/** Unique, valid hit ids (the schema wants 8 to 64 characters). */
export const nextId = () => `hit-${String(++counter).padStart(6, '0')}`;

export function payload<H>(hits: H[], { site = 'shop', sentAt = hits.length ? Math.max(...hits.map((h: any) => h.ts)) : 0, dropped = 0 } = {}) {
  return { v: 1, site, sentAt, dropped, hits };
}

export function pageviewHit(over: Record<string, unknown> = {}) {
  return { id: nextId(), type: 'pageview', ts: Date.UTC(2025, 10, 10, 11, 59), cid: 'client-1', sid: 'session-1', pid: 'page-1', seq: 1, url: 'https://shop.example/', nav: 'navigate', screen: 'desktop', ...over };
}

type Timing = { ttfb?: number; fcp?: number; lcp?: number; inp?: number; cls?: number };
type GoalOptions = { kind: string; role: 'macro' | 'micro'; supports?: string[]; value?: number; currency?: string; assists?: string[]; funnel?: boolean[] };

/**
 * A hand-made visit: page views, their timing, events and goal hits, each 10 s
 * (page views) or 1 s (the rest) after the one before, on the client's clock.
 */
export function visit(sid: string, start: number, { site = 'shop', origin = 'https://shop.example' } = {}) {
  let t = start - 10_000;
  let seq = 0;
  let page = 0;
  let pid = '';
  let url = '';
  const hits: any[] = [];
  const base = () => ({ id: nextId(), ts: t, cid: `client-${sid}`, sid, pid, seq: ++seq, url });
  const v = {
    hits,
    site,
    /** Client time of the last hit. */
    get end() {
      return t;
    },
    page(pathname: string, timing?: Timing) {
      t += 10_000;
      pid = `${sid}-page-${++page}`;
      url = origin + pathname;
      hits.push({ ...base(), type: 'pageview', nav: 'navigate', screen: 'desktop' });
      if (timing) v.timing(timing);
      return v;
    },
    /** Lets time pass before the next hit. */
    wait(ms: number) {
      t += ms;
      return v;
    },
    timing(timing: Timing) {
      t += 1000;
      hits.push({ ...base(), type: 'timing', timing });
      return v;
    },
    event(action: string, value?: number) {
      t += 1000;
      hits.push({ ...base(), type: 'event', event: { action, ...(value === undefined ? {} : { value }) } });
      return v;
    },
    goal(id: string, g: GoalOptions, speed: Timing = {}) {
      t += 1000;
      hits.push({ ...base(), type: 'goal', goal: { id, supports: [], ...g }, speed });
      return v;
    },
  };
  return v;
}
