import { emptyGoalState, type GoalState } from './goals/types';
import { createId } from './lib/createId';
import { removeKeys, type KeyValue } from './lib/safeStorage';
import { toJson } from './lib/toJson';

export const CLIENT_KEY = 'goalpost.cid';
export const SESSION_KEY = 'goalpost.session';

/** One session as every tab of the origin sees it (stored in localStorage). */
export interface SessionRecord {
  sid: string;
  /** Epoch ms of the session's first hit. */
  start: number;
  /** Epoch ms of its latest hit: the inactivity timeout runs from here. */
  last: number;
  /** Last `seq` handed out. */
  seq: number;
  /** Visible-and-focused ms spent on the site's pages this session. */
  engagedMs: number;
  goals: GoalState;
}

export interface Session {
  readonly cid: string;
  /** The live session at `now`, or a new one (not yet stored) when it timed out or none exists. */
  current(now: number): SessionRecord;
  /** Stores the record for every tab (written once per task, however many commits). */
  commit(record: SessionRecord): void;
  /** Another tab may have changed the stored record: read it again before the next use. */
  resync(): void;
  /** Forgets the client and session ids (consent denied). */
  forget(): void;
}

export interface SessionOptions {
  storage: KeyValue;
  timeoutMs: number;
  newId?: () => string;
  /** Runs the coalesced write after the current task's work; default queueMicrotask. */
  defer?: (fn: () => void) => void;
}

/**
 * The session record lives in memory between hits and is written back once
 * per task: reading, parsing, serialising and writing localStorage on every
 * hit cost most of `track()`'s time (issue 7). Tabs still share it: the
 * tracker calls resync() on the `storage` event, which another tab's write
 * fires here, and when the page comes back from the background or bfcache.
 */
export function createSession({ storage, timeoutMs, newId = createId, defer = queueMicrotask }: SessionOptions): Session {
  let cid = storage.get(CLIENT_KEY) || '';
  if (!isId(cid)) {
    cid = newId();
    storage.set(CLIENT_KEY, cid);
  }
  /** The stored record as last read or committed; null: none or damaged; undefined: read it again. */
  let known: SessionRecord | null | undefined;
  let pending = false;
  const flush = () => {
    if (!pending) return;
    pending = false;
    if (known) storage.set(SESSION_KEY, toJson(known));
  };
  return {
    cid,
    current(now) {
      if (known === undefined) known = read(storage.get(SESSION_KEY)) ?? null;
      if (known && now - known.last <= timeoutMs && now >= known.start - timeoutMs) return known;
      return { sid: newId(), start: now, last: now, seq: 0, engagedMs: 0, goals: emptyGoalState() };
    },
    commit(record) {
      known = record;
      if (pending) return;
      pending = true;
      defer(flush);
    },
    resync() {
      // A write of ours still waiting is newer than what another tab had seen: keep it.
      if (!pending) known = undefined;
    },
    forget() {
      pending = false;
      known = null;
      removeKeys(storage, [CLIENT_KEY, SESSION_KEY]);
    },
  };
}

function isId(s: unknown): boolean {
  return typeof s === 'string' && s.length >= 8 && s.length <= 64;
}

/** A stored record, or undefined when absent or damaged (another script, an old version, a full disk). */
function read(raw: string | null): SessionRecord | undefined {
  if (!raw) return undefined;
  try {
    // null, or a record without goals, throws on the way: damaged too.
    const r = JSON.parse(raw) as SessionRecord;
    const g = r.goals;
    if (
      isId(r.sid) &&
      Number.isFinite(r.start) && Number.isFinite(r.last) && Number.isInteger(r.seq) &&
      Number.isFinite(r.engagedMs) &&
      Array.isArray(g.done) && Number.isInteger(g.pages) && g.steps && typeof g.steps === 'object'
    ) return r;
  } catch {
    /* damaged: start afresh */
  }
  return undefined;
}
