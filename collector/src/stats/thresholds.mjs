// @ts-check
/**
 * The thresholds behind the report's verdicts, taken from GrowthBook so goalpost says
 * "too few sessions" and "mismatch" where an experimentation team would expect it.
 * Source: growthbook/growthbook packages/shared/src/constants.ts (read at 8f1db445,
 * August 2026), applied as in packages/shared/src/experiments/experiments.ts
 * (hasEnoughData) and packages/shared/src/health/health.ts (getSRMHealthData).
 */

/** GrowthBook's DEFAULT_CONFIDENCE_LEVEL: every interval is 95% unless asked otherwise. */
export const CONFIDENCE_LEVEL = 0.95;

/**
 * GrowthBook's DEFAULT_MIN_SAMPLE_SIZE = 150. For a conversion metric it counts
 * conversions: hasEnoughData() shows no verdict until both groups have at least one
 * conversion and the larger has 150 or more.
 */
export const MIN_CONVERSIONS_TO_COMPARE = 150;

/** GrowthBook's DEFAULT_SRM_THRESHOLD: a split is flagged when its chi-square p < 0.001. */
export const SRM_P_VALUE_THRESHOLD = 0.001;

/**
 * GrowthBook's DEFAULT_SRM_MINIMINUM_COUNT_PER_VARIATION = 8: with fewer than
 * 8 × variants sessions in all, getSRMHealthData() says "not enough traffic".
 */
export const SRM_MIN_SESSIONS_PER_VARIANT = 8;
