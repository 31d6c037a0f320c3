// @ts-check
import { expect, it } from 'vitest';
import * as stats from '../../src/stats/index.mjs';

it('exports the whole API from one module', () => {
  const functions = [
    'wilsonInterval', 'rateRatio', 'twoProportionZTest', 'compareRates', 'experimentLift', 'relativeDifference',
    'sampleRatioMismatch', 'logisticRegression', 'oddsChange', 'quantileBins', 'meanInterval', 'meanDifference',
    'meanLift', 'proportionSummary', 'momentsSummary', 'welchDegreesOfFreedom', 'normalCdf', 'normalQuantile',
    'zForConfidence', 'twoSidedNormalPValue', 'studentTCdf', 'studentTQuantile', 'studentTInterval', 'twoSidedTPValue',
    'chiSquareSurvival', 'regularizedGammaP', 'regularizedGammaQ', 'regularizedBeta', 'logGamma',
  ];
  for (const name of functions) expect(typeof stats[/** @type {keyof typeof stats} */ (name)], name).toBe('function');
  expect(stats).toMatchObject({ CONFIDENCE_LEVEL: 0.95, MIN_CONVERSIONS_TO_COMPARE: 150, SRM_P_VALUE_THRESHOLD: 0.001, SRM_MIN_SESSIONS_PER_VARIANT: 8 });
  expect(Object.keys(stats).sort()).toEqual([...functions, 'CONFIDENCE_LEVEL', 'MIN_CONVERSIONS_TO_COMPARE', 'SRM_P_VALUE_THRESHOLD', 'SRM_MIN_SESSIONS_PER_VARIANT'].sort());
});
