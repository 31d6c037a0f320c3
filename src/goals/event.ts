import type { eventGoalSchema } from '../config';
import type { z } from '../lib/zod';
import { compileMatch, type Matcher } from './match';
import type { GoalMatcher, Signal } from './types';

type EventGoal = z.infer<typeof eventGoalSchema>;
type ValueCondition = NonNullable<NonNullable<EventGoal['event']>['value']>;

/** Event: a tracked event whose given fields all match, or a click/submit on an `on` selector. */
export function eventMatcher(goal: EventGoal): GoalMatcher {
  const cond = goal.event;
  const fields: [keyof Pick<Extract<Signal, { type: 'event' }>, 'action' | 'category' | 'label'>, Matcher][] = [];
  if (cond?.action !== undefined) fields.push(['action', compileMatch(cond.action)]);
  if (cond?.category !== undefined) fields.push(['category', compileMatch(cond.category)]);
  if (cond?.label !== undefined) fields.push(['label', compileMatch(cond.label)]);
  const valueOk = cond?.value ? valueTest(cond.value) : () => true;
  const valueOf = (v: number | undefined) => (goal.value === 'event' ? v : goal.value);

  if (goal.on) {
    return {
      goal,
      kind: 'event',
      test: (s) => (s.type === 'event' && s.dom === goal.id ? { value: valueOf(s.value) } : false),
    };
  }
  return {
    goal,
    kind: 'event',
    test(s) {
      if (s.type !== 'event') return false;
      for (const [field, match] of fields) if (!match(s[field])) return false;
      return valueOk(s.value) ? { value: valueOf(s.value) } : false;
    },
    explain(s) {
      if (s.type !== 'event') return undefined;
      for (const [i, [field, match]] of fields.entries()) {
        if (match(s[field])) continue;
        // Failing the first condition is a near miss only when the value looks like the wanted one.
        return !i && !match.near(s[field]) ? undefined : `${field} ${JSON.stringify(s[field] ?? null)} did not match ${match.describe}`;
      }
      return valueOk(s.value) ? undefined : `value ${s.value ?? 'none'} did not meet ${JSON.stringify(cond?.value)}`;
    },
  };
}

function valueTest(c: ValueCondition): (v: number | undefined) => boolean {
  return (v) =>
    v !== undefined &&
    (c.gt === undefined || v > c.gt) &&
    (c.gte === undefined || v >= c.gte) &&
    (c.lt === undefined || v < c.lt) &&
    (c.lte === undefined || v <= c.lte) &&
    (c.eq === undefined || v === c.eq);
}
