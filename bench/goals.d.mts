// Types for goals.mjs, for the unit tests that reuse the benchmark's site.
import type { GoalpostConfig } from '../src/config';

export function benchGoals(): NonNullable<GoalpostConfig['goals']>;
export const benchEvents: [string, Record<string, string | number>][];
export function benchConfig(endpoint: string): GoalpostConfig;
