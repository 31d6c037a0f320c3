// @ts-check
/**
 * goalpost's statistics: pure functions, no I/O, for the collector's report.
 *
 * Conventions:
 * - Every interval is two-sided, 95% unless `confidence` says otherwise, as [low, high].
 * - Input no caller should send (k > n, negative counts, NaN) throws a RangeError.
 * - Data too thin to answer returns null or `{ ok: false, reason }`, never NaN or Infinity.
 * - Thresholds are GrowthBook's (thresholds.mjs), cited where they are defined.
 */
export { wilsonInterval } from './wilson.mjs';
export { rateRatio } from './rate-ratio.mjs';
export { twoProportionZTest } from './two-proportion-z-test.mjs';
export { compareRates } from './compare-rates.mjs';
export { experimentLift } from './experiment-lift.mjs';
export { relativeDifference } from './relative-difference.mjs';
export { sampleRatioMismatch } from './sample-ratio-mismatch.mjs';
export { logisticRegression } from './logistic-regression.mjs';
export { oddsChange } from './odds-change.mjs';
export { quantileBins } from './quantile-bins.mjs';
export { meanInterval, meanDifference, meanLift } from './means.mjs';
export { proportionSummary, momentsSummary } from './summaries.mjs';
export { welchDegreesOfFreedom } from './welch.mjs';
export { normalCdf, normalQuantile, zForConfidence, twoSidedNormalPValue } from './normal.mjs';
export { studentTCdf, studentTQuantile, studentTInterval, twoSidedTPValue } from './student-t.mjs';
export { chiSquareSurvival } from './chi-square.mjs';
export { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma.mjs';
export { regularizedBeta } from './incomplete-beta.mjs';
export { logGamma } from './log-gamma.mjs';
export { CONFIDENCE_LEVEL, MIN_CONVERSIONS_TO_COMPARE, SRM_P_VALUE_THRESHOLD, SRM_MIN_SESSIONS_PER_VARIANT } from './thresholds.mjs';
