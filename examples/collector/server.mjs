// @ts-check
/**
 * goalpost's reference collector: one Node process that takes goalpost
 * payloads at POST /collect, keeps them in SQLite, serves the demo shop and
 * the SDK, and shows the report at /report (JSON at /api/report).
 *
 *   npm run build && node examples/collector/server.mjs
 *
 * Environment: PORT (8787), HOST (127.0.0.1), GOALPOST_DB (the SQLite file,
 * default examples/collector/data/goalpost.sqlite), GOALPOST_CONFIG (the
 * site's goalpost config, JSON or an HTML page with the config script tag;
 * default: the shop's goalpost.config.json or index.html).
 *
 * Tests import startCollector() and run it on port 0 with a temporary file.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromConfig, loadGoalConfig, noGoalConfig } from './goal-config.mjs';
import { createRateLimiter } from './rate-limit.mjs';
import { buildReport } from './report.mjs';
import { renderReportPage } from './report-page.mjs';
import { resolveStatic, sendFile } from './static-files.mjs';
import { openStore, UnstorableError } from './store.mjs';

/** @typedef {import('goalpost/schema').Payload} Payload */
/** @typedef {import('goalpost/schema').Hit} Hit */

// The wire format comes from the package itself (package.json "exports"), as any collector would import it.
/** @type {typeof import('goalpost/schema')} */
const schema = await import('goalpost/schema').catch((/** @type {Error} */ error) => {
  throw new Error(`Cannot load goalpost/schema (${error.message}). Run \`npm run build\` first: it makes dist/schema.js.`, { cause: error });
});
const { payloadSchema, parseConfig, formatPath } = schema;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export const DEFAULTS = Object.freeze({
  port: 8787,
  host: '127.0.0.1',
  dbPath: path.join(here, 'data', 'goalpost.sqlite'),
  staticRoot: path.join(repoRoot, 'examples', 'shop'),
  sdkPath: path.join(repoRoot, 'dist', 'goalpost.iife.js'),
  /** Bodies above this are refused with 413. The SDK keeps its requests under 64 KiB. */
  bodyLimit: 1024 * 1024,
  /**
   * A client clock that differs from ours by more than this is corrected.
   * Below it, receivedAt - sentAt is mostly network time, not clock error, and
   * "correcting" it would move hits later than they happened.
   */
  skewThresholdMs: 2000,
  /**
   * Token buckets. perIp is checked before the body is read; perClient, keyed
   * by the payload's client id, catches one browser flooding us. A goalpost
   * client flushes at most every 100 ms and usually every 5 s, so a burst of
   * 60 and 5 a second never touches real traffic, and 200 a second per IP
   * leaves room for a few hundred simulated visitors on one machine.
   */
  rateLimit: { perIp: { burst: 1000, perSecond: 200 }, perClient: { burst: 60, perSecond: 5 } },
});

/**
 * @typedef {{ burst: number, perSecond: number }} BucketSize
 * @typedef {object} CollectorOptions
 * @property {number} [port] 0 picks a free port. Default 8787.
 * @property {string} [host] Default 127.0.0.1.
 * @property {string} [dbPath] SQLite file, created with its folder when missing.
 * @property {string} [staticRoot] The shop, served at / and /shop/.
 * @property {string} [sdkPath] Served at /goalpost.iife.js.
 * @property {string} [configPath] The site's goalpost config (JSON, or HTML with the config script tag), read for each report.
 * @property {object} [config] The config itself; wins over configPath.
 * @property {number} [bodyLimit] Bytes. Default 1 MiB.
 * @property {number} [skewThresholdMs] Default 2000.
 * @property {{ perIp?: BucketSize | false, perClient?: BucketSize | false } | false} [rateLimit]
 * @property {() => number} [now] The server clock (tests move it).
 * @property {Pick<Console, 'log' | 'error'>} [log]
 */

/**
 * Starts the collector; resolves once it listens.
 * @param {CollectorOptions} [options]
 */
export async function startCollector(options = {}) {
  const {
    port = DEFAULTS.port,
    host = DEFAULTS.host,
    dbPath = DEFAULTS.dbPath,
    staticRoot = DEFAULTS.staticRoot,
    sdkPath = DEFAULTS.sdkPath,
    bodyLimit = DEFAULTS.bodyLimit,
    skewThresholdMs = DEFAULTS.skewThresholdMs,
    now = Date.now,
    log = console,
  } = options;
  /** @type {{ perIp?: BucketSize | false, perClient?: BucketSize | false }} */
  const limits = options.rateLimit === false ? { perIp: false, perClient: false } : { ...DEFAULTS.rateLimit, ...options.rateLimit };
  const perIp = limits.perIp ? createRateLimiter(limits.perIp, { now }) : null;
  const perClient = limits.perClient ? createRateLimiter(limits.perClient, { now }) : null;

  const store = openStore(dbPath);
  const fixedConfig = options.config ? fromConfig(options.config, parseConfig, 'startCollector({ config })') : null;
  const configCandidates = options.configPath
    ? [options.configPath]
    : [path.join(staticRoot, 'goalpost.config.json'), path.join(staticRoot, 'index.html')];
  /** Read for each report, so edits to the shop's config show without a restart. */
  const goalConfig = () => {
    if (fixedConfig) return fixedConfig;
    for (const file of configCandidates) {
      const c = loadGoalConfig(file, parseConfig);
      if (c.source) return c;
    }
    return noGoalConfig;
  };

  const ctx = { store, now, bodyLimit, skewThresholdMs, perIp, perClient, staticRoot, sdkPath, goalConfig, log };
  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch((error) => {
      log.error('goalpost collector:', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Slow or broken clients must not hold connections forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closed = false;
  return {
    url,
    port: address.port,
    server,
    store,
    dbPath,
    /** Stops listening, ends open connections and closes the database. */
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
      store.close();
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startCollector>>} Collector */

/**
 * @typedef {{
 *   store: import('./store.mjs').Store, now: () => number, bodyLimit: number, skewThresholdMs: number,
 *   perIp: ReturnType<typeof createRateLimiter> | null, perClient: ReturnType<typeof createRateLimiter> | null,
 *   staticRoot: string, sdkPath: string, goalConfig: () => import('./goal-config.mjs').GoalConfig,
 *   log: Pick<Console, 'log' | 'error'>,
 * }} Context
 * @typedef {import('node:http').IncomingMessage} Req
 * @typedef {import('node:http').ServerResponse} Res
 */

/** @param {Context} ctx @param {Req} req @param {Res} res */
async function handle(ctx, req, res) {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const url = new URL(req.url ?? '/', 'http://collector.invalid');
  const route = url.pathname;
  const method = req.method ?? 'GET';
  const read = method === 'GET' || method === 'HEAD';

  if (route === '/collect') {
    for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
    if (method === 'OPTIONS') return preflight(req, res);
    if (method !== 'POST') return methodNotAllowed(req, res, 'POST, OPTIONS');
    return collect(ctx, req, res);
  }
  if (route === '/api/report') return read ? report(ctx, req, res, url, 'json') : methodNotAllowed(req, res, 'GET, HEAD');
  if (route === '/report') return read ? report(ctx, req, res, url, 'html') : methodNotAllowed(req, res, 'GET, HEAD');
  if (route === '/report.css') return read ? sendFile(req, res, path.join(here, 'report.css')) : methodNotAllowed(req, res, 'GET, HEAD');
  if (route === '/api/simulated') {
    if (read) return sendJson(res, 200, { ranges: ctx.store.simulatedRanges() });
    if (method === 'POST') return simulated(ctx, req, res);
    return methodNotAllowed(req, res, 'GET, HEAD, POST');
  }
  if (!read) return methodNotAllowed(req, res, 'GET, HEAD');
  if (route === '/goalpost.iife.js') {
    if (fs.existsSync(ctx.sdkPath)) return sendFile(req, res, ctx.sdkPath);
    return sendText(res, 404, `${path.relative(repoRoot, ctx.sdkPath)} is missing: run \`npm run build\`.\n`);
  }
  return shop(ctx, req, res, route);
}

// ---------------------------------------------------------------------------
// POST /collect

const CORS = {
  // goalpost sends no credentials, so any origin may post; the header must be
  // on every answer, errors included, or a cross-origin client cannot read the status.
  'Access-Control-Allow-Origin': '*',
  // A cross-origin fetch sees Retry-After only when exposed, and the SDK honours it.
  'Access-Control-Expose-Headers': 'Retry-After',
};

/** @param {Req} req @param {Res} res */
function preflight(req, res) {
  const asked = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': typeof asked === 'string' && /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked) ? asked : 'Content-Type',
    'Access-Control-Max-Age': '86400',
    // Chrome's Private Network Access: a public page may post to a collector on localhost or the LAN.
    ...(req.headers['access-control-request-private-network'] === 'true' ? { 'Access-Control-Allow-Private-Network': 'true' } : {}),
  });
  res.end();
}

/** @param {Context} ctx @param {Req} req @param {Res} res */
async function collect(ctx, req, res) {
  const ip = req.socket.remoteAddress ?? 'unknown';
  const ipWait = ctx.perIp?.take(`ip:${ip}`) ?? 0;
  if (ipWait) return tooMany(req, res, ipWait, 'too many requests from this address');

  const type = contentType(req);
  if (type.problem) return refuse(req, res, 415, type.problem);

  const body = await readBody(req, ctx.bodyLimit);
  if (body === 'too-large') return refuse(req, res, 413, `body over ${ctx.bodyLimit} bytes`);
  if (body === 'aborted') return;

  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return sendJson(res, 400, { error: 'body is not UTF-8 text' });
  }
  if (!text.trim()) return sendJson(res, 400, { error: 'body is empty: send a goalpost payload as JSON' });
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return sendJson(res, 400, { error: `invalid JSON: ${/** @type {Error} */ (e).message}` });
  }

  // One browser flooding us: keyed by its client id, so visitors behind one address are not punished together.
  const cid = json?.hits?.[0]?.cid;
  const clientWait = ctx.perClient?.take(typeof cid === 'string' ? `cid:${cid.slice(0, 64)}` : `ip:${ip}`) ?? 0;
  if (clientWait) return tooMany(req, res, clientWait, 'too many requests from this client');

  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => describeIssue(issue, json, formatPath));
    return sendJson(res, 400, {
      error: 'not a goalpost payload (wire format v1): nothing was stored',
      issues: issues.length > 20 ? [...issues.slice(0, 20), `… and ${issues.length - 20} more`] : issues,
    });
  }

  const payload = parsed.data;
  const receivedAt = ctx.now();
  const skew = Math.round(receivedAt - payload.sentAt);
  const applied = Math.abs(skew) > ctx.skewThresholdMs ? skew : 0;
  let result;
  try {
    result = ctx.store.insertPayload(payload, { receivedAt, skew, applied });
  } catch (error) {
    if (error instanceof UnstorableError) return sendJson(res, 400, { error: 'nothing was stored', issues: [error.message] });
    // Busy or full disk: nothing was written (one transaction). 503 makes the SDK retry later.
    ctx.log.error('goalpost collector: could not store a batch:', error);
    res.setHeader('Retry-After', '5');
    return sendJson(res, 503, { error: 'could not store the batch now; retry later' });
  }
  res.writeHead(204, { 'X-Goalpost-Stored': String(result.stored), 'X-Goalpost-Duplicates': String(result.duplicates) });
  res.end();
}

/** @param {Req} req @returns {{ problem?: string }} */
function contentType(req) {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return { problem: `Content-Encoding ${encoding} is not supported: send plain text` };
  const header = req.headers['content-type'];
  // sendBeacon and goalpost's fetch send text/plain; a missing type is read the same way.
  if (!header) return {};
  const [media, ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  if (media !== 'text/plain' && media !== 'application/json') {
    return { problem: `Content-Type ${media} is not accepted: send JSON as text/plain or application/json` };
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return { problem: `charset ${charset} is not accepted: send UTF-8` };
  return {};
}

/**
 * Reads the body up to `limit` bytes. Past the limit it keeps reading (and
 * discarding) for a while, so the client gets our 413 instead of a reset
 * connection; a client that goes on far longer is cut off.
 * @param {Req} req @param {number} limit
 * @returns {Promise<Buffer | 'too-large' | 'aborted'>}
 */
function readBody(req, limit) {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      discard(req, limit);
      return resolve('too-large');
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        discard(req, limit, size);
        resolve('too-large');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve('aborted'));
    req.on('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}

/** @param {Req} req @param {number} limit @param {number} [seen] */
function discard(req, limit, seen = 0) {
  let size = seen;
  req.on('data', (/** @type {Buffer} */ chunk) => {
    size += chunk.length;
    if (size > 16 * limit) req.socket.destroy();
  });
  req.resume();
}

/** Answers a request whose body we will not read. @param {Req} req @param {Res} res @param {number} status @param {string} error */
function refuse(req, res, status, error) {
  if (!req.complete) {
    discard(req, 1024 * 1024);
    res.setHeader('Connection', 'close');
  }
  sendJson(res, status, { error });
}

/** @param {Req} req @param {Res} res @param {number} waitMs @param {string} error */
function tooMany(req, res, waitMs, error) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.setHeader('Retry-After', String(seconds));
  refuse(req, res, 429, `${error}: retry in ${seconds} s`);
}

/**
 * zod/mini keeps no message text ("Invalid input"), so say it ourselves:
 * `hits[2].type: must be "pageview", "event", "goal" or "timing", got "click"`.
 * @param {any} issue a zod issue
 * @param {unknown} input
 * @param {(path: readonly PropertyKey[]) => string} formatPath
 */
export function describeIssue(issue, input, formatPath) {
  const where = formatPath(issue.path) || 'payload';
  const got = valueAt(input, issue.path);
  const gotText = `, got ${describeValue(got)}`;
  const list = (/** @type {unknown[]} */ values) => {
    const quoted = values.map((v) => JSON.stringify(v));
    return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
  };
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined ? `${where}: is required (${expectedWords(issue.expected)})` : `${where}: must be ${expectedWords(issue.expected)}${gotText}`;
    case 'invalid_value':
      return `${where}: must be ${list(issue.values)}${gotText}`;
    case 'invalid_union':
      if (issue.discriminator) return `${where}: must be ${list(issue.options)}${gotText}`;
      return `${where}: has the wrong form${gotText}`;
    case 'too_small':
      return `${where}: must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}${unit}${gotText}`;
    case 'too_big':
      return `${where}: must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${unit}${typeof got === 'string' || Array.isArray(got) ? '' : gotText}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** @param {string} type */
function expectedWords(type) {
  /** @type {Record<string, string>} */
  const words = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };
  return words[type] ?? type;
}

/** @param {unknown} v */
function describeValue(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** @param {unknown} input @param {readonly PropertyKey[]} path */
function valueAt(input, path) {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = /** @type {Record<PropertyKey, unknown>} */ (v)[key];
  }
  return v;
}

// ---------------------------------------------------------------------------
// /report, /api/report, /api/simulated

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/**
 * from/to from the query (YYYY-MM-DD, UTC, both days included); by default the last 30 days.
 * @param {URLSearchParams} q @param {number} now
 * @returns {{ from: string, to: string, site: string | null, error?: string }}
 */
export function parseRange(q, now) {
  const today = new Date(now).toISOString().slice(0, 10);
  const site = q.get('site') || null;
  const valid = (/** @type {string} */ d) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  const refuse = (/** @type {string} */ name, /** @type {string} */ value) => ({ from: today, to: today, site, error: `${name} must be a date like 2025-11-30, got ${JSON.stringify(value)}` });
  const to = q.get('to') || today;
  if (!valid(to)) return refuse('to', to);
  const from = q.get('from') || new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
  if (!valid(from)) return refuse('from', from);
  if (from > to) return { from, to, site, error: `from (${from}) is after to (${to})` };
  return { from, to, site };
}

/** @param {Context} ctx @param {Req} req @param {Res} res @param {URL} url @param {'json' | 'html'} format */
function report(ctx, req, res, url, format) {
  const now = ctx.now();
  const range = parseRange(url.searchParams, now);
  if (range.error) {
    if (format === 'json') return sendJson(res, 400, { error: range.error });
    return sendHtml(req, res, 400, renderReportPage(null, { error: range.error, ...range }));
  }
  const data = buildReport(ctx.store, { ...range, goalConfig: ctx.goalConfig(), now });
  if (format === 'json') return sendJson(res, 200, data, req.method === 'HEAD');
  return sendHtml(req, res, 200, renderReportPage(data, range));
}

/** @param {Context} ctx @param {Req} req @param {Res} res */
async function simulated(ctx, req, res) {
  const type = contentType(req);
  if (type.problem) return refuse(req, res, 415, type.problem);
  const body = await readBody(req, 16 * 1024);
  if (body === 'too-large') return refuse(req, res, 413, 'body over 16 KiB');
  if (body === 'aborted') return;
  let json;
  try {
    json = JSON.parse(body.toString('utf8') || '{}');
  } catch (e) {
    return sendJson(res, 400, { error: `invalid JSON: ${/** @type {Error} */ (e).message}` });
  }
  const time = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' ? Date.parse(v) : NaN);
  const problems = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) problems.push('send an object: { "site"?, "from"?, "to"?, "note"? }');
  const { site = '', from = ctx.now(), to = null, note = null } = problems.length ? {} : json;
  if (typeof site !== 'string' || site.length > 100) problems.push('site: must be text of at most 100 characters ("" = every site)');
  if (Number.isNaN(time(from))) problems.push('from: must be epoch ms or an ISO date');
  if (to !== null && Number.isNaN(time(to))) problems.push('to: must be epoch ms, an ISO date or null (still running)');
  if (to !== null && time(to) < time(from)) problems.push('to: must not be before from');
  if (note !== null && (typeof note !== 'string' || note.length > 500)) problems.push('note: must be text of at most 500 characters');
  if (problems.length) return sendJson(res, 400, { error: 'not a simulated-traffic range', issues: problems });
  const range = ctx.store.markSimulated({ site, from: time(from), to: to === null ? null : time(to), note });
  return sendJson(res, 200, range);
}

// ---------------------------------------------------------------------------
// The shop

/** @param {Context} ctx @param {Req} req @param {Res} res @param {string} route */
function shop(ctx, req, res, route) {
  let decoded;
  try {
    decoded = decodeURIComponent(route);
  } catch {
    return sendText(res, 400, 'Bad path encoding.\n');
  }
  if (decoded === '/shop') return redirect(res, '/shop/');
  // The shop lives at the root and, for links written that way, under /shop/ too.
  const below = decoded.startsWith('/shop/') ? decoded.slice(5) : decoded;
  const found = resolveStatic(ctx.staticRoot, below);
  if (found && 'redirect' in found) return redirect(res, (decoded.startsWith('/shop/') ? '/shop' : '') + found.redirect);
  if (found) return sendFile(req, res, found.file);
  // Browsers ask for it on every page, the report included: no icon, no 404 in the console.
  if (decoded === '/favicon.ico') return res.writeHead(204).end();
  if (decoded === '/' || decoded === '/shop/') {
    return sendHtml(req, res, 404, `<!doctype html><meta charset="utf-8"><title>No shop yet</title>
<p>The demo shop is not here yet (${escape(path.relative(repoRoot, path.join(ctx.staticRoot, 'index.html')))} is missing).</p>
<p>The report is at <a href="/report">/report</a>.</p>`);
  }
  return sendText(res, 404, `Not found: ${route}\n`);
}

// ---------------------------------------------------------------------------
// Responses

/** @param {Res} res @param {number} status @param {unknown} body @param {boolean} [headOnly] */
function sendJson(res, status, body, headOnly = false) {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : text);
}

/** @param {Res} res @param {number} status @param {string} text */
function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The report page runs no script and loads only our stylesheet: a strict CSP costs it nothing. */
const REPORT_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** @param {Req} req @param {Res} res @param {number} status @param {string} html */
function sendHtml(req, res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': REPORT_CSP,
    'Referrer-Policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** @param {Res} res @param {string} location */
function redirect(res, location) {
  res.writeHead(301, { Location: location, 'Content-Length': 0 });
  res.end();
}

/** @param {Req} req @param {Res} res @param {string} allow */
function methodNotAllowed(req, res, allow) {
  res.setHeader('Allow', allow);
  refuse(req, res, 405, `${req.method} is not allowed here; use ${allow}`);
}

/** @param {string} s */
function escape(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------
// As a script

const isMain = (() => {
  try {
    return !!process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (isMain) {
  const port = process.env.PORT ? Number(process.env.PORT) : DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
    process.exit(1);
  }
  const collector = await startCollector({
    port,
    host: process.env.HOST || DEFAULTS.host,
    dbPath: process.env.GOALPOST_DB || DEFAULTS.dbPath,
    configPath: process.env.GOALPOST_CONFIG || undefined,
  }).catch((/** @type {Error & { code?: string }} */ error) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another one.` : error);
    process.exit(1);
  });
  const rel = (/** @type {string} */ p) => path.relative(process.cwd(), p) || p;
  console.log(`goalpost collector is running.

  Shop:     ${collector.url}/
  Report:   ${collector.url}/report
  JSON:     ${collector.url}/api/report
  Collect:  POST ${collector.url}/collect
  Database: ${rel(path.resolve(collector.dbPath))}
`);
  if (!fs.existsSync(DEFAULTS.sdkPath)) console.log(`Note: ${rel(DEFAULTS.sdkPath)} is missing; run \`npm run build\` so the shop can load goalpost.`);
  if (!fs.existsSync(path.join(DEFAULTS.staticRoot, 'index.html'))) console.log(`Note: the shop (${rel(DEFAULTS.staticRoot)}) is not there yet.`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    collector.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
