import type { Goal } from '../config';

/** What the goal engine reacts to. Signals are plain data: the engine never touches the DOM. */
export type Signal =
  /** A page view; `path` is pathname + search before privacy stripping. */
  | { type: 'pageview'; path: string }
  /** A tracked event; `dom` names the `on` goal whose click/submit produced it. */
  | { type: 'event'; action: string; category?: string; label?: string; value?: number; dom?: string }
  /** The session clock: ms since the session's first hit, and engaged ms. */
  | { type: 'time'; sessionMs: number; engagedMs: number }
  /** `goal(id, value?)` called by hand. */
  | { type: 'manual'; id: string; value?: number };

/**
 * One goal compiled from config: decides whether a signal completes it. The
 * engine hands a matcher only the signals its kind reacts to (page views,
 * events or the clock), so a matcher does not check the signal's type.
 */
export interface GoalMatcher {
  readonly goal: Goal;
  /** `signal` completes the goal in `state` (the engine works out the value). */
  test(signal: Signal, state: GoalState): boolean;
  /** For debug mode: why a near miss did not match, or undefined when it matched or is unrelated. */
  explain?(signal: Signal, state: GoalState): string | undefined;
}

export type PageviewSignal = Extract<Signal, { type: 'pageview' }>;
export type EventSignal = Extract<Signal, { type: 'event' }>;
export type TimeSignal = Extract<Signal, { type: 'time' }>;

/** Per-session goal state, shared by the tabs of the session. */
export interface GoalState {
  /** Goal ids converted this session, in the order they converted. */
  done: string[];
  /** Page views this session. */
  pages: number;
  /** Funnel steps seen, per destination goal id: step indexes. */
  steps: Record<string, number[]>;
}

export function emptyGoalState(): GoalState {
  return { done: [], pages: 0, steps: {} };
}
