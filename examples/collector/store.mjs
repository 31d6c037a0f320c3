// @ts-check
/**
 * The collector's SQLite file: one row per hit (deduplicated on the hit id),
 * one per received batch, and the time ranges of simulated traffic.
 * Two views, `sessions` and `conversions`, make the data easy to query by hand:
 *
 *   sqlite3 examples/collector/data/goalpost.sqlite \
 *     "select goal_id, count(*) from conversions group by goal_id"
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hits (
  id            TEXT PRIMARY KEY,          -- the client's hit id: retries and beacon resends are stored once
  type          TEXT NOT NULL CHECK (type IN ('pageview', 'event', 'goal', 'timing')),
  site          TEXT NOT NULL,
  cid           TEXT NOT NULL,
  sid           TEXT NOT NULL,
  pid           TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  ts            INTEGER NOT NULL,          -- epoch ms, client clock, as sent
  ts_corrected  INTEGER NOT NULL,          -- epoch ms, server clock: ts + skew when |skew| is over the threshold
  sent_at       INTEGER NOT NULL,          -- the payload's sentAt (client clock)
  received_at   INTEGER NOT NULL,          -- server clock
  skew          INTEGER NOT NULL,          -- received_at - sent_at as measured (whether applied or not)
  url           TEXT NOT NULL,
  path          TEXT NOT NULL,             -- pathname + search of url
  ref           TEXT,
  nav           TEXT,
  screen        TEXT,
  event_action   TEXT,
  event_category TEXT,
  event_label    TEXT,
  event_value    REAL,
  goal_id       TEXT,
  goal_kind     TEXT,
  goal_role     TEXT,                      -- 'macro' | 'micro'
  goal_value    REAL,
  goal_currency TEXT,
  ttfb REAL, fcp REAL, lcp REAL, inp REAL, cls REAL,  -- from timing hits, or a goal hit's speed snapshot
  event  TEXT,                             -- JSON, as received
  goal   TEXT,
  timing TEXT,
  speed  TEXT,
  batch_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS hits_session ON hits (sid, ts_corrected, seq);
CREATE INDEX IF NOT EXISTS hits_site_time ON hits (site, ts_corrected);
CREATE INDEX IF NOT EXISTS hits_goal ON hits (goal_id) WHERE type = 'goal';

CREATE TABLE IF NOT EXISTS batches (
  id          INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  site        TEXT NOT NULL,
  sent_at     INTEGER NOT NULL,
  skew        INTEGER NOT NULL,
  hits        INTEGER NOT NULL,            -- hits in the payload
  stored      INTEGER NOT NULL,            -- new ones (the rest were duplicates)
  dropped     INTEGER NOT NULL             -- hits the client's queue dropped before this payload
);

CREATE TABLE IF NOT EXISTS simulated (
  id         INTEGER PRIMARY KEY,
  site       TEXT NOT NULL DEFAULT '',     -- '' = every site
  started_at INTEGER NOT NULL,             -- epoch ms, server clock
  ended_at   INTEGER,                      -- NULL while the simulation runs
  note       TEXT,
  UNIQUE (site, started_at)
);

CREATE VIEW IF NOT EXISTS sessions AS
  SELECT site, sid, MIN(cid) AS cid, MIN(ts_corrected) AS started_at, MAX(ts_corrected) AS last_hit_at,
         COUNT(*) AS hits, SUM(type = 'pageview') AS pageviews, MIN(received_at) AS first_received_at
  FROM hits GROUP BY site, sid;

-- SQLite takes the bare columns from the row that has the MIN: the first conversion.
CREATE VIEW IF NOT EXISTS conversions AS
  SELECT site, sid, goal_id, goal_role AS role, MIN(ts_corrected) AS converted_at,
         goal_value AS value, goal_currency AS currency, goal AS detail
  FROM hits WHERE type = 'goal' GROUP BY site, sid, goal_id;
`;

/**
 * @typedef {import('goalpost/schema').Payload} Payload
 * @typedef {import('goalpost/schema').Hit} Hit
 * @typedef {{ id: number, site: string, from: number, to: number | null, note: string | null }} SimulatedRange
 * @typedef {{ stored: number, duplicates: number }} InsertResult
 */

/**
 * Opens (creating when needed) the database at `dbPath`.
 * @param {string} dbPath a file path, or ':memory:'
 */
export function openStore(dbPath) {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a power cut may lose the last transactions, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const version = /** @type {number} */ (db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw new Error(`${dbPath} was written by a newer collector (schema ${version}); this one knows ${SCHEMA_VERSION}`);
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);

  const insertBatch = db.prepare(
    'INSERT INTO batches (received_at, site, sent_at, skew, hits, stored, dropped) VALUES (?, ?, ?, ?, ?, 0, ?)',
  );
  const setStored = db.prepare('UPDATE batches SET stored = ? WHERE id = ?');
  const insertHit = db.prepare(`INSERT OR IGNORE INTO hits (
      id, type, site, cid, sid, pid, seq, ts, ts_corrected, sent_at, received_at, skew, url, path, ref, nav, screen,
      event_action, event_category, event_label, event_value, goal_id, goal_kind, goal_role, goal_value, goal_currency,
      ttfb, fcp, lcp, inp, cls, event, goal, timing, speed, batch_id
    ) VALUES (
      @id, @type, @site, @cid, @sid, @pid, @seq, @ts, @ts_corrected, @sent_at, @received_at, @skew, @url, @path, @ref, @nav, @screen,
      @event_action, @event_category, @event_label, @event_value, @goal_id, @goal_kind, @goal_role, @goal_value, @goal_currency,
      @ttfb, @fcp, @lcp, @inp, @cls, @event, @goal, @timing, @speed, @batch_id
    )`);

  /** @type {(rows: ReturnType<typeof hitRow>[], batch: { receivedAt: number, site: string, sentAt: number, skew: number, dropped: number }) => InsertResult} */
  const insertRows = db.transaction((rows, { receivedAt, site, sentAt, skew, dropped }) => {
    const batchId = Number(insertBatch.run(receivedAt, site, sentAt, skew, rows.length, dropped).lastInsertRowid);
    let stored = 0;
    for (const row of rows) stored += insertHit.run({ ...row, batch_id: batchId }).changes;
    setStored.run(stored, batchId);
    return { stored, duplicates: rows.length - stored };
  });

  /**
   * Stores a validated payload in one transaction: all of it or, on error, none.
   * Throws UnstorableError (nothing written) for a hit that cannot be stored, such as props nested too deep to serialise.
   * @param {Payload} payload
   * @param {{ receivedAt: number, skew: number, applied: number }} clock
   * @returns {InsertResult}
   */
  const insertPayload = (payload, { receivedAt, skew, applied }) => {
    const rows = payload.hits.map((hit, i) => {
      // A corrected time after the request arrived means the client's clock jumped: cap it.
      const tsCorrected = Math.min(Math.round(hit.ts + applied), receivedAt);
      try {
        return hitRow(hit, { site: payload.site, sentAt: payload.sentAt, receivedAt, skew, tsCorrected });
      } catch (error) {
        throw new UnstorableError(`hits[${i}]: cannot be stored (${/** @type {Error} */ (error).message})`);
      }
    });
    return insertRows(rows, { receivedAt, site: payload.site, sentAt: payload.sentAt, skew, dropped: payload.dropped });
  };

  const upsertSimulated = db.prepare(`INSERT INTO simulated (site, started_at, ended_at, note) VALUES (@site, @from, @to, @note)
    ON CONFLICT (site, started_at) DO UPDATE SET ended_at = excluded.ended_at, note = COALESCE(excluded.note, note)
    RETURNING id, site, started_at AS "from", ended_at AS "to", note`);
  const selectSimulated = db.prepare('SELECT id, site, started_at AS "from", ended_at AS "to", note FROM simulated ORDER BY started_at');

  return {
    db,
    insertPayload,
    /**
     * Marks [from, to] (server clock; `to` null while running) as simulated traffic.
     * Posting the same site and `from` again updates `to` and `note`.
     * @param {{ site: string, from: number, to: number | null, note: string | null }} range
     * @returns {SimulatedRange}
     */
    markSimulated: (range) => /** @type {SimulatedRange} */ (upsertSimulated.get(range)),
    /** @returns {SimulatedRange[]} */
    simulatedRanges: () => /** @type {SimulatedRange[]} */ (selectSimulated.all()),
    close: () => db.close(),
  };
}

/** @typedef {ReturnType<typeof openStore>} Store */

/** A hit the schema accepts but the store cannot keep: the client's fault, not a reason to retry. */
export class UnstorableError extends Error {
  name = 'UnstorableError';
}

/**
 * One `hits` row: the JSON parts as received, plus the fields reports filter on.
 * @param {Hit} hit
 * @param {{ site: string, sentAt: number, receivedAt: number, skew: number, tsCorrected: number }} meta
 */
function hitRow(hit, { site, sentAt, receivedAt, skew, tsCorrected }) {
  const event = hit.type === 'event' ? hit.event : undefined;
  const goal = hit.type === 'goal' ? hit.goal : undefined;
  const timing = hit.type === 'timing' ? hit.timing : hit.type === 'goal' ? hit.speed : undefined;
  return {
    id: hit.id,
    type: hit.type,
    site,
    cid: hit.cid,
    sid: hit.sid,
    pid: hit.pid,
    seq: hit.seq,
    ts: hit.ts,
    ts_corrected: tsCorrected,
    sent_at: sentAt,
    received_at: receivedAt,
    skew,
    url: hit.url,
    path: pathOf(hit.url),
    ref: hit.type === 'pageview' ? (hit.ref ?? null) : null,
    nav: hit.type === 'pageview' ? hit.nav : hit.type === 'timing' ? (hit.timing.nav ?? null) : null,
    screen: hit.type === 'pageview' ? hit.screen : null,
    event_action: event?.action ?? null,
    event_category: event?.category ?? null,
    event_label: event?.label ?? null,
    event_value: event?.value ?? null,
    goal_id: goal?.id ?? null,
    goal_kind: goal?.kind ?? null,
    goal_role: goal?.role ?? null,
    goal_value: goal?.value ?? null,
    goal_currency: goal?.currency ?? null,
    ttfb: timing?.ttfb ?? null,
    fcp: timing?.fcp ?? null,
    lcp: timing?.lcp ?? null,
    inp: hit.type === 'timing' ? (hit.timing.inp ?? null) : null,
    cls: hit.type === 'timing' ? (hit.timing.cls ?? null) : null,
    event: event ? JSON.stringify(event) : null,
    goal: goal ? JSON.stringify(goal) : null,
    timing: hit.type === 'timing' ? JSON.stringify(hit.timing) : null,
    speed: hit.type === 'goal' ? JSON.stringify(hit.speed) : null,
  };
}

/** `pathname + search`, what goals and funnel steps match on. @param {string} url */
export function pathOf(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}
