/**
 * The test web server: static files from the repo root, per-test routes, and
 * a recording collector. One per test file is typical; a second one (another
 * port) is another origin, for cross-origin tests.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Hit } from '../../../src/schema';
import { payloadSchema } from '../../../src/schema';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** What a route or the collector answers. `body` left out on a route: the static file at that path. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Answer this late (slow server, slow collector). */
  delayMs?: number;
}

export interface TestRequest {
  method: string;
  /** Pathname, without the query. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export type RouteHandler = Reply | ((req: TestRequest) => Reply | Promise<Reply>);

export interface CollectedRequest extends TestRequest {
  /** Position in `collector.requests`; stays valid until `reset()`. */
  index: number;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Epoch ms when the whole body had arrived. */
  receivedAt: number;
  /** What the collector answered; null while it has not (delayed or hanging). */
  status: number | null;
  /** Why the body is not a valid v1 payload (payloadSchema), or null. Not checked for OPTIONS. */
  schemaError: string | null;
}

/** A hit from a 2xx payload, and which request carried it. */
export type CollectedHit = Hit & { requestIndex: number };

/** Full control of the collector's answer; 'hang' never answers (until the server closes). */
export type Responder = (req: CollectedRequest) => Reply | 'hang' | Promise<Reply | 'hang'>;

export interface Collector {
  /** Every request to the collector path, OPTIONS preflights included, in arrival order. */
  readonly requests: readonly CollectedRequest[];
  /** Parsed bodies of the requests it answered 2xx. */
  payloads(): unknown[];
  /** All hits of 2xx payloads, flattened, in arrival order. */
  hits(): CollectedHit[];
  hitsWhere(pred: (hit: CollectedHit) => boolean): CollectedHit[];
  /** Answer the next n (non-OPTIONS) requests with this status, before any responder. */
  failNext(n: number, status?: number, headers?: Record<string, string>): void;
  /** Decide every answer; null restores the default 204. */
  setResponder(fn: Responder | null): void;
  /** Forget requests, pending failures and the responder. */
  reset(): void;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  collector: Collector;
  /**
   * Answer requests to `path` (exact pathname, or a RegExp on it) with a Reply or a function
   * making one. A Reply without `body` serves the static file with the extra headers, e.g.
   * `route('/test/e2e/fixtures/csp.html', { headers: { 'Content-Security-Policy': "script-src 'self'" } })`.
   * Later routes win. Returns a function that removes the route.
   */
  route(path: string | RegExp, handler: RouteHandler): () => void;
  /**
   * Serve `path` with `Cache-Control: no-cache` instead of `no-store`: Chromium keeps
   * no-store documents out of the back/forward cache.
   */
  allowBfcache(path: string | RegExp): () => void;
  /** Remove all routes and reset the collector: for afterEach. */
  reset(): void;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Directory served as `/`. Default: the repo root. */
  root?: string;
  /** Where the collector listens (and everything under it). Default `/collect`. */
  collectorPath?: string;
}

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  // A cross-origin fetch can read Retry-After only when it is exposed.
  'Access-Control-Expose-Headers': 'Retry-After',
};

export async function startServer(opts: StartServerOptions = {}): Promise<TestServer> {
  const root = resolve(opts.root ?? repoRoot);
  const collectorPath = opts.collectorPath ?? '/collect';
  const collector = createCollector();
  let routes: { path: string | RegExp; handler: RouteHandler }[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A broken handler should fail the test loudly, not hang the page.
      console.error('[test server]', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: TestRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url,
      headers: req.headers,
      body: await readBody(req),
    };
    if (url.pathname === collectorPath || url.pathname.startsWith(collectorPath + '/')) {
      return collector.handle(request, res);
    }
    const route = [...routes].reverse().find((r) => (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
    const reply = route ? (typeof route.handler === 'function' ? await route.handler(request) : route.handler) : {};
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.body !== undefined) {
      return send(res, reply.status ?? 200, { 'Content-Type': contentTypes['.html'], 'Cache-Control': 'no-store', ...reply.headers }, reply.body, req.method);
    }
    const file = await staticFile(root, url.pathname);
    if (!file) return send(res, 404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }, `not found: ${url.pathname}`, req.method);
    const headers = { 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...reply.headers };
    return send(res, reply.status ?? 200, headers, await readFile(file), req.method);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const route = (path: string | RegExp, handler: RouteHandler) => {
    const entry = { path, handler };
    routes.push(entry);
    return () => {
      routes = routes.filter((r) => r !== entry);
    };
  };

  return {
    origin,
    port,
    url: (path) => new URL(path, origin).href,
    collector,
    route,
    allowBfcache: (path) => route(path, { headers: { 'Cache-Control': 'no-cache' } }),
    reset() {
      routes = [];
      collector.reset();
    },
    close: () =>
      new Promise<void>((ok) => {
        // Browsers keep connections alive, and a hanging responder never ends its response.
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function createCollector(): Collector & { handle(req: TestRequest, res: ServerResponse): Promise<void> } {
  let requests: CollectedRequest[] = [];
  let failures: { status: number; headers: Record<string, string> }[] = [];
  let responder: Responder | null = null;
  // Bumped by reset(), so an answer delayed past a reset does not touch the new log.
  let generation = 0;

  const payloads = () => requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300 && r.json !== undefined).map((r) => r.json);
  const hits = (): CollectedHit[] =>
    requests.flatMap((r) => {
      const json = r.json as { hits?: unknown } | undefined;
      if (r.status === null || r.status < 200 || r.status >= 300 || !Array.isArray(json?.hits)) return [];
      return json.hits.map((hit) => ({ ...(hit as Hit), requestIndex: r.index }));
    });

  return {
    get requests() {
      return requests;
    },
    payloads,
    hits,
    hitsWhere: (pred) => hits().filter(pred),
    failNext(n, status = 500, headers = {}) {
      for (let i = 0; i < n; i++) failures.push({ status, headers });
    },
    setResponder(fn) {
      responder = fn;
    },
    reset() {
      generation++;
      requests = [];
      failures = [];
      responder = null;
    },
    async handle(req, res) {
      const record: CollectedRequest = {
        ...req,
        index: requests.length,
        json: parseJson(req.body),
        receivedAt: Date.now(),
        status: null,
        schemaError: null,
      };
      requests.push(record);
      if (req.method === 'OPTIONS') {
        // Preflight: goalpost should never cause one (text/plain), but answer it so a test can see it happened.
        record.status = 204;
        return send(res, 204, {
          ...corsHeaders,
          'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
          'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? '*'),
          'Access-Control-Max-Age': '0',
        });
      }
      record.schemaError = schemaErrorOf(record.json);
      const gen = generation;
      const failure = failures.shift();
      const reply: Reply | 'hang' = failure ? { status: failure.status, headers: failure.headers } : responder ? await responder(record) : { status: 204 };
      if (reply === 'hang') return; // closeAllConnections() ends it
      if (reply.delayMs) await sleep(reply.delayMs);
      const status = reply.status ?? 204;
      if (gen === generation) record.status = status;
      // No Cache-Control here: Chromium counts a fetch answered `no-store` as a reason not to
      // put the page into the back/forward cache, and a POST answer is never cached anyway.
      send(res, status, { ...corsHeaders, ...reply.headers }, reply.body);
    },
  };
}

function schemaErrorOf(json: unknown): string | null {
  if (json === undefined) return 'body is not JSON';
  const result = payloadSchema.safeParse(json);
  if (result.success) return null;
  return result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

async function staticFile(root: string, pathname: string): Promise<string | null> {
  let file: string;
  try {
    file = resolve(join(root, decodeURIComponent(pathname)));
  } catch {
    return null;
  }
  if (file !== root && !file.startsWith(root + sep)) return null; // no ../ out of the root
  try {
    const s = await stat(file);
    if (s.isDirectory()) {
      file = join(file, 'index.html');
      if (!(await stat(file)).isFile()) return null;
    }
    return file;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer, method?: string): void {
  res.writeHead(status, headers);
  res.end(method === 'HEAD' || status === 204 ? undefined : body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));
