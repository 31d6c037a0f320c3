// Types of server.mjs for TypeScript callers (the tests). The JSDoc in
// server.mjs is the source; `npx tsc -p examples/collector` checks it.
import type { Server } from 'node:http';
import type BetterSqlite3 from 'better-sqlite3';

export interface BucketSize {
  /** Requests allowed at once. */
  burst: number;
  /** Requests allowed per second after the burst. */
  perSecond: number;
}

export interface CollectorOptions {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite file, created with its folder when missing. Default examples/collector/data/goalpost.sqlite. */
  dbPath?: string;
  /** The shop, served at / and /shop/. Default examples/shop. */
  staticRoot?: string;
  /** Served at /goalpost.iife.js. Default dist/goalpost.iife.js. */
  sdkPath?: string;
  /** The site's goalpost config: JSON, or an HTML page with the config script tag. Read for each report. */
  configPath?: string;
  /** The config itself; wins over configPath. */
  config?: object;
  /** Bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Clock differences above this are corrected. Default 2000. */
  skewThresholdMs?: number;
  /** Token buckets per IP (before the body is read) and per client id; false turns one or both off. */
  rateLimit?: { perIp?: BucketSize | false; perClient?: BucketSize | false } | false;
  /** The server clock. Default Date.now. */
  now?: () => number;
  log?: Pick<Console, 'log' | 'error'>;
}

export interface SimulatedRange {
  id: number;
  site: string;
  from: number;
  to: number | null;
  note: string | null;
}

export interface Store {
  db: BetterSqlite3.Database;
  markSimulated(range: { site: string; from: number; to: number | null; note: string | null }): SimulatedRange;
  simulatedRanges(): SimulatedRange[];
  close(): void;
}

export interface Collector {
  /** http://host:port, no trailing slash. */
  url: string;
  port: number;
  server: Server;
  store: Store;
  dbPath: string;
  /** Stops listening, ends open connections, closes the database. */
  close(): Promise<void>;
}

export declare const DEFAULTS: Readonly<Required<Pick<CollectorOptions, 'port' | 'host' | 'dbPath' | 'staticRoot' | 'sdkPath' | 'bodyLimit' | 'skewThresholdMs'>> & {
  rateLimit: { perIp: BucketSize; perClient: BucketSize };
}>;

export declare function startCollector(options?: CollectorOptions): Promise<Collector>;

export declare function parseRange(q: URLSearchParams, now: number): { from: string; to: string; site: string | null; error?: string };

export declare function describeIssue(issue: unknown, input: unknown, formatPath: (path: readonly PropertyKey[]) => string): string;
