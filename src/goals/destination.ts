import type { destinationGoalSchema } from '../config';
import type { z } from '../lib/zod';
import { compileMatch, type Matcher } from './match';
import type { GoalMatcher, PageviewSignal } from './types';

type DestinationGoal = z.infer<typeof destinationGoalSchema>;

/** Destination: a page view whose pathname + search matches `url`. */
export function destinationMatcher(goal: DestinationGoal): GoalMatcher & { steps: Matcher[] } {
  const url = compileMatch(goal.url);
  return {
    goal,
    steps: (goal.funnel ?? []).map((s) => compileMatch(s.url)),
    test: (s) => url((s as PageviewSignal).path),
    explain(s) {
      const { path } = s as PageviewSignal;
      return !url(path) && url.near(path) ? `${JSON.stringify(path)} did not match ${url.describe}` : undefined;
    },
  };
}
