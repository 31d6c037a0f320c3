import type { durationGoalSchema } from '../config';
import type { z } from '../lib/zod';
import type { GoalMatcher, TimeSignal } from './types';

type DurationGoal = z.infer<typeof durationGoalSchema>;

/** Duration: the session has lasted `seconds` since its first hit, or, with `engaged`, that much visible and focused time. */
export function durationMatcher(goal: DurationGoal): GoalMatcher & { thresholdMs: number; engaged: boolean } {
  const thresholdMs = goal.seconds * 1000;
  const engaged = goal.engaged === true;
  return {
    goal,
    thresholdMs,
    engaged,
    test: (s) => (engaged ? (s as TimeSignal).engagedMs : (s as TimeSignal).sessionMs) >= thresholdMs,
  };
}
