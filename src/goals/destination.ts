import type { destinationGoalSchema } from '../config';
import type { z } from '../lib/zod';
import { compileMatch } from './match';
import type { GoalMatcher } from './types';

type DestinationGoal = z.infer<typeof destinationGoalSchema>;

/** Destination: a page view whose pathname + search matches `url`. */
export function destinationMatcher(goal: DestinationGoal): GoalMatcher & { steps: ReturnType<typeof compileMatch>[] } {
  const url = compileMatch(goal.url);
  const steps = (goal.funnel ?? []).map((s) => compileMatch(s.url));
  return {
    goal,
    kind: 'destination',
    steps,
    test: (signal) => (signal.type === 'pageview' && url(signal.path) ? { value: goal.value } : false),
    explain: (signal) =>
      signal.type === 'pageview' && !url(signal.path) && url.near(signal.path)
        ? `${JSON.stringify(signal.path)} did not match ${url.describe}`
        : undefined,
  };
}
