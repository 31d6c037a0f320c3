import type { pagesGoalSchema } from '../config';
import type { z } from '../lib/zod';
import type { GoalMatcher } from './types';

type PagesGoal = z.infer<typeof pagesGoalSchema>;

/** Pages per session: the session reaches `pages` page views (the engine counts them before testing). */
export function pagesMatcher(goal: PagesGoal): GoalMatcher {
  return {
    goal,
    test: (_, state) => state.pages >= goal.pages,
    explain: (_, state) => (state.pages < goal.pages ? `${state.pages} of ${goal.pages} pages` : undefined),
  };
}
