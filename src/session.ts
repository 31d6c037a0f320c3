import { emptyGoalState, type GoalState } from './goals/types';
import { createId } from './lib/createId';
import type { KeyValue } from './lib/safeStorage';
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
  /** Stores the record for every tab. */
  commit(record: SessionRecord): void;
  /** Forgets the client and session ids (consent denied). */
  forget(): void;
}

export interface SessionOptions {
  storage: KeyValue;
  timeoutMs: number;
  newId?: () => string;
}

export function createSession({ storage, timeoutMs, newId = createId }: SessionOptions): Session {
  let cid = storage.get(CLIENT_KEY) || '';
  if (!isId(cid)) {
    cid = newId();
    storage.set(CLIENT_KEY, cid);
  }
  return {
    cid,
    current(now) {
      const stored = read(storage.get(SESSION_KEY));
      if (stored && now - stored.last <= timeoutMs && now >= stored.start - timeoutMs) return stored;
      return { sid: newId(), start: now, last: now, seq: 0, engagedMs: 0, goals: emptyGoalState() };
    },
    commit(record) {
      storage.set(SESSION_KEY, toJson(record));
    },
    forget() {
      storage.remove(CLIENT_KEY);
      storage.remove(SESSION_KEY);
    },
  };
}

function isId(s: string): boolean {
  return s.length >= 8 && s.length <= 64;
}

/** A stored record, or undefined when absent or damaged (another script, an old version, a full disk). */
function read(raw: string | null): SessionRecord | undefined {
  if (!raw) return undefined;
  try {
    const r = JSON.parse(raw) as SessionRecord;
    const g = r && r.goals;
    if (
      typeof r.sid === 'string' && isId(r.sid) &&
      Number.isFinite(r.start) && Number.isFinite(r.last) && Number.isInteger(r.seq) &&
      Number.isFinite(r.engagedMs) &&
      g && Array.isArray(g.done) && Number.isInteger(g.pages) && g.steps && typeof g.steps === 'object'
    ) return r;
  } catch {
    /* damaged: start afresh */
  }
  return undefined;
}
