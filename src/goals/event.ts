import type { eventGoalSchema } from '../config';
import type { z } from '../lib/zod';
import { compileMatch, type Matcher } from './match';
import type { EventSignal, GoalMatcher } from './types';

type EventGoal = z.infer<typeof eventGoalSchema>;

/** Event: a tracked event whose given fields all match, or a click/submit on an `on` selector. */
export function eventMatcher(goal: EventGoal): GoalMatcher {
  if (goal.on) return { goal, test: (s) => (s as EventSignal).dom === goal.id };
  const cond = goal.event ?? {};
  const fields: ['action' | 'category' | 'label', Matcher][] = [];
  for (const field of ['action', 'category', 'label'] as const) {
    if (cond[field] !== undefined) fields.push([field, compileMatch(cond[field])]);
  }
  const c = cond.value;
  // An absent bound passes: event values are finite numbers (eventInput, domEvents), never NaN.
  const valueOk = (v: number | undefined) =>
    !c ||
    (v !== undefined &&
      v > (c.gt ?? -Infinity) &&
      v >= (c.gte ?? -Infinity) &&
      v < (c.lt ?? Infinity) &&
      v <= (c.lte ?? Infinity) &&
      v === (c.eq ?? v));
  return {
    goal,
    test(s) {
      // Indexed, not for-of with destructuring: this runs for most goals on every track() call, mostly before the JIT has warmed up.
      for (let i = 0; i < fields.length; i++) if (!fields[i][1]((s as EventSignal)[fields[i][0]])) return false;
      return valueOk((s as EventSignal).value);
    },
    explain(signal) {
      const s = signal as EventSignal;
      for (const [i, [field, match]] of fields.entries()) {
        if (match(s[field])) continue;
        // Failing the first condition is a near miss only when the value looks like the wanted one.
        return !i && !match.near(s[field]) ? undefined : `${field} ${JSON.stringify(s[field] ?? null)} did not match ${match.describe}`;
      }
      return valueOk(s.value) ? undefined : `value ${s.value ?? 'none'} did not meet ${JSON.stringify(c)}`;
    },
  };
}
