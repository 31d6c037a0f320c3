import type { Goal } from './config';
import { destinationMatcher } from './goals/destination';
import { durationMatcher } from './goals/duration';
import { eventMatcher } from './goals/event';
import { pagesMatcher } from './goals/pages';
import type { Matcher } from './goals/match';
import { perDoneList } from './goals/perDoneList';
import type { GoalMatcher, GoalState, Signal } from './goals/types';

/** A goal completed by a signal: what the goal hit reports. */
export interface Conversion {
  goal: Goal;
  role: 'macro' | 'micro';
  /** Macro goals this micro goal supports ([] on a macro goal). */
  supports: string[];
  value?: number;
  /** Macro goals: its micro goals converted earlier in the session, in order. */
  assists?: string[];
  /** Macro destination goals with a funnel: one boolean per step, seen or not. */
  funnel?: boolean[];
}

export interface EngineResult {
  state: GoalState;
  conversions: Conversion[];
  /** Debug mode: why goals near the signal did not convert (`destination "purchase": "/x" did not match equals "/y"`). */
  misses: string[];
}

export interface Engine {
  /** Pure: the new state and the conversions `signal` causes in `state`. */
  evaluate(state: GoalState, signal: Signal, explain?: boolean): EngineResult;
  /** The declared goal with this id. */
  goal(id: string): Goal | undefined;
  /** Duration goals not yet converted in `state`: what the session clock waits for. */
  pendingDurations(state: GoalState): { thresholdMs: number; engaged: boolean }[];
}

/** Shared by every evaluation that explains nothing: one allocation less per signal. */
const NONE: string[] = [];
const ALREADY = 'already converted this session';

/** Each kind's compiler; destination matchers carry their funnel steps, duration matchers their threshold. */
const compile = { destination: destinationMatcher, duration: durationMatcher, pagesPerSession: pagesMatcher, event: eventMatcher } as unknown as Record<
  Goal['kind'],
  (g: Goal) => GoalMatcher & { steps?: Matcher[] }
>;

const supportsOf = (g: Goal | undefined): string[] => ([] as string[]).concat(g?.supports ?? []);

/** Compiles the goals once (regexes included); evaluation allocates little and never throws on valid config. */
export function createEngine(goals: readonly Goal[]): Engine {
  const byId = new Map(goals.map((g) => [g.id, g]));
  const matchers = goals.map((g) => compile[g.kind](g));
  /** Destination goals with a funnel: their steps, by goal id. */
  const funnels = new Map<string, Matcher[]>();
  for (const m of matchers) if (m.steps?.length) funnels.set(m.goal.id, m.steps);
  const durations = matchers.filter((m) => m.goal.kind === 'duration') as ReturnType<typeof durationMatcher>[];
  // Micro goals first: one completed by the same signal as its macro goal (the
  // fourth page view is the thanks page) was reached on the way, so it assists.
  matchers.sort((a, b) => +(a.goal.supports === undefined) - +(b.goal.supports === undefined));

  // A signal meets only the goals that could match it: those of its kind and,
  // for an event, those whose action is that word (or not a plain word).
  // The matchers' order (micro goals first) is kept, so assists work as before. (Issue 7: >= 1M signals/s with 50 goals.)
  const kinds = matchers.map((m) => (m.goal.kind === 'duration' ? 'time' : m.goal.kind === 'event' ? 'event' : 'pageview'));
  const words = matchers.map((m) => {
    const a = m.goal.kind === 'event' && !m.goal.on ? m.goal.event?.action : undefined;
    return (typeof a === 'string' ? a : a && a.beginsWith === undefined && a.regex === undefined ? a.equals : undefined)?.toLowerCase();
  });
  /** Which matchers a session's `done` list holds, as flags by matcher index. */
  const indexOf = new Map(matchers.map((m, i) => [m.goal.id, i]));
  const flagsOf = perDoneList((state) => {
    const flags = new Uint8Array(matchers.length);
    for (const id of state.done) flags[indexOf.get(id) ?? matchers.length] = 1;
    return flags;
  });

  /** Converts `goal` in `state`: the conversion goes to `conversions`, the new state comes back. */
  function convert(goal: Goal, signal: Signal, state: GoalState, conversions: Conversion[]): GoalState {
    const supports = supportsOf(goal);
    const conversion: Conversion = { goal, role: supports.length ? 'micro' : 'macro', supports };
    // "event": the event's value; a manual call's value overrides the configured one.
    const given = (signal as { value?: number }).value;
    const value = goal.value === 'event' || (signal.type === 'manual' && given !== undefined) ? given : goal.value;
    if (value !== undefined) conversion.value = value;
    if (!supports.length) {
      // Its micro goals: those converted earlier whose supports name it (an id an older config left has none).
      conversion.assists = state.done.filter((id) => supportsOf(byId.get(id)).includes(goal.id));
      const steps = funnels.get(goal.id);
      if (steps) {
        const seen = state.steps[goal.id] ?? [];
        conversion.funnel = steps.map((_, i) => seen.includes(i));
      }
    }
    conversions.push(conversion);
    return { ...state, done: [...state.done, goal.id] };
  }

  return {
    goal: (id) => byId.get(id),

    // The tracker asks once per done list (it keeps the thresholds it works out).
    pendingDurations: (state) => durations.filter((d) => !state.done.includes(d.goal.id)),

    evaluate(prev, signal, explain = false) {
      const conversions: Conversion[] = [];
      const misses: string[] = explain ? [] : NONE;
      let state = prev;
      if (signal.type === 'pageview') {
        state = { ...state, pages: state.pages + 1 };
        for (const [id, steps] of funnels) {
          if (state.done.includes(id)) continue;
          const seen = state.steps[id] ?? [];
          let hit: number[] | undefined;
          steps.forEach((match, i) => {
            if (!seen.includes(i) && match(signal.path)) (hit ??= []).push(i);
          });
          if (hit) state = { ...state, steps: { ...state.steps, [id]: [...seen, ...hit] } };
        }
      }
      if (signal.type === 'manual') {
        const goal = byId.get(signal.id);
        if (goal && !state.done.includes(goal.id)) state = convert(goal, signal, state, conversions);
        else if (goal && explain) misses.push(`${goal.kind} "${goal.id}": ${ALREADY}`);
      }
      // No matcher reacts to a manual signal: the loop below passes it by.
      const word = signal.type === 'event' && !explain ? signal.action.toLowerCase() : undefined;
      let done = flagsOf(state);
      for (let i = 0; i < matchers.length; i++) {
        const m = matchers[i];
        if (kinds[i] !== signal.type || (word !== undefined && words[i] !== undefined && words[i] !== word)) continue;
        if (done[i]) {
          // The commonest surprise in debug mode: a goal counts once per session.
          if (explain && signal.type !== 'time' && m.test(signal, state)) misses.push(`${m.goal.kind} "${m.goal.id}": ${ALREADY}`);
          continue;
        }
        if (m.test(signal, state)) {
          state = convert(m.goal, signal, state, conversions);
          done = flagsOf(state);
        } else if (explain && m.explain) {
          const why = m.explain(signal, state);
          if (why) misses.push(`${m.goal.kind} "${m.goal.id}": ${why}`);
        }
      }
      return { state, conversions, misses };
    },
  };
}
