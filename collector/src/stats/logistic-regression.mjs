// @ts-check
/**
 * Logistic regression of a binary outcome (converted) on one covariate (landing LCP or
 * TTFB in seconds), fitted on aggregated bins so its cost grows with the bins, not the
 * sessions: "what does a second of LCP cost?".
 */
import { twoSidedNormalPValue, zForConfidence } from './normal.mjs';
import { assertConfidence, assertCounts, assertFinite } from './validate.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */

/**
 * @typedef {{ x: number, n: number, k: number }} Bin
 *   n sessions whose covariate is x (a bin's centre), k of which converted.
 *
 * @typedef {object} LogisticFit
 * @property {true} ok
 * @property {number} intercept log-odds of converting at x = 0
 * @property {number} slope change in log-odds per +1 unit of x
 * @property {{ intercept: number, slope: number }} standardErrors from the inverse information matrix
 * @property {number} covariance the covariance of intercept and slope
 * @property {number} oddsRatio e^slope: the odds of converting are multiplied by it per +1 unit of x
 * @property {Interval} ci Wald interval of the odds ratio, e^(slope ± z·se)
 * @property {number} pValue Wald test of slope = 0, two-sided
 * @property {number} sessions Σ n
 * @property {number} conversions Σ k
 * @property {number} logLikelihood at the estimate
 * @property {number} iterations Newton steps taken
 * @property {true} converged
 *
 * @typedef {{ ok: false, reason: string, sessions: number, conversions: number }} LogisticFailure
 *
 * @typedef {{ z: number, n: number, k: number }} StandardizedBin
 */

/**
 * Fits logit P(converted | x) = intercept + slope·x by maximum likelihood on binomial
 * bins, with Newton–Raphson, which for the logit link is IRLS (McCullagh & Nelder,
 * Generalized Linear Models, 2nd ed., ch. 2). Standard errors come from the inverse of the
 * observed information at the estimate (for the canonical logit link it equals the
 * expected information, Σ n p (1 − p) [1 x; x x²]); the odds ratio's interval is Wald's.
 *
 * Robust by construction rather than by luck:
 * - x is centred and scaled before fitting and the estimates transformed back, so
 *   x = 1e6 or x in milliseconds fit as well as seconds;
 * - Newton's steps are damped (Levenberg–Marquardt) until the likelihood does not fall;
 * - data without a finite estimate returns `{ ok: false, reason }` instead of NaN or
 *   Infinity: no sessions, no conversions or only conversions, a single value of x,
 *   and separation (x splits converters from the rest, so the slope runs to ±∞,
 *   Albert & Anderson 1984, Biometrika 71:1).
 *
 * Assumes sessions are independent and the log-odds linear in x; with bins, x is the
 * bin's centre, so a bin width of 100 ms blurs x by at most 50 ms. Correlation only:
 * slow sessions differ from fast ones in more than speed.
 *
 * @param {Bin[]} bins bins with n = 0 are ignored
 * @param {{ confidence?: number, maxIterations?: number, tolerance?: number }} [options]
 *   tolerance: the largest Newton step, on the standardized scale, that counts as converged
 * @returns {LogisticFit | LogisticFailure}
 */
export function logisticRegression(bins, { confidence = 0.95, maxIterations = 100, tolerance = 1e-10 } = {}) {
  assertConfidence(confidence);
  const used = bins.filter((bin) => {
    assertFinite(bin.x, 'logisticRegression: x');
    assertCounts(bin.k, bin.n, 'logisticRegression bin');
    return bin.n > 0;
  });
  const sessions = used.reduce((sum, bin) => sum + bin.n, 0);
  const conversions = used.reduce((sum, bin) => sum + bin.k, 0);
  const fail = (/** @type {string} */ reason) => /** @type {LogisticFailure} */ ({ ok: false, reason, sessions, conversions });

  const problem = degenerateData(used, sessions, conversions);
  if (problem) return fail(problem);
  const scale = standardization(used, sessions);
  if (!scale) return fail('x is too large to fit');
  const standardized = used.map((bin) => ({ z: (bin.x - scale.mean) / scale.sd, n: bin.n, k: bin.k }));
  const fit = newtonRaphson(standardized, Math.log(conversions / (sessions - conversions)), maxIterations, tolerance);
  if (!fit.ok) return fail(fit.reason);

  const { intercept, slope, standardErrors, covariance } = unstandardize(fit, scale);
  const z = zForConfidence(confidence);
  /** @type {Interval} */
  const ci = [Math.exp(slope - z * standardErrors.slope), Math.exp(slope + z * standardErrors.slope)];
  const oddsRatio = Math.exp(slope);
  const numbers = [intercept, slope, standardErrors.intercept, standardErrors.slope, covariance, oddsRatio, ...ci];
  if (!numbers.every(Number.isFinite) || !(ci[0] > 0)) return fail('the odds ratio per unit of x is out of range; measure x in larger units');
  return {
    ok: true,
    intercept,
    slope,
    standardErrors,
    covariance,
    oddsRatio,
    ci,
    pValue: twoSidedNormalPValue(slope / standardErrors.slope),
    sessions,
    conversions,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    converged: true,
  };
}

/**
 * Why these bins have no finite estimate, or null when they have one.
 * @param {Bin[]} bins with n > 0
 * @param {number} sessions
 * @param {number} conversions
 * @returns {string | null}
 */
function degenerateData(bins, sessions, conversions) {
  if (sessions === 0) return 'no sessions';
  if (conversions === 0) return 'no session converted';
  if (conversions === sessions) return 'every session converted';
  if (bins.every((bin) => bin.x === bins[0].x)) return 'every session has the same x';
  if (isSeparated(bins)) return 'x separates the sessions that converted from those that did not, so the slope is infinite (separation)';
  return null;
}

/**
 * Complete or quasi-complete separation in one covariate: some threshold has every
 * conversion on one side (ties allowed) and every non-conversion on the other. Then
 * the likelihood keeps rising as |slope| grows, and no maximum exists.
 * @param {Bin[]} bins
 */
function isSeparated(bins) {
  let minConverted = Infinity;
  let maxConverted = -Infinity;
  let minNotConverted = Infinity;
  let maxNotConverted = -Infinity;
  for (const { x, n, k } of bins) {
    if (k > 0) [minConverted, maxConverted] = [Math.min(minConverted, x), Math.max(maxConverted, x)];
    if (k < n) [minNotConverted, maxNotConverted] = [Math.min(minNotConverted, x), Math.max(maxNotConverted, x)];
  }
  return maxNotConverted <= minConverted || maxConverted <= minNotConverted;
}

/**
 * The session-weighted mean and standard deviation of x, or null if they overflow.
 * @param {Bin[]} bins
 * @param {number} sessions
 */
function standardization(bins, sessions) {
  const mean = bins.reduce((sum, bin) => sum + bin.n * bin.x, 0) / sessions;
  const sd = Math.sqrt(bins.reduce((sum, bin) => sum + bin.n * (bin.x - mean) ** 2, 0) / sessions);
  return Number.isFinite(mean) && Number.isFinite(sd) && sd > 0 ? { mean, sd } : null;
}

/**
 * Maximizes the binomial log-likelihood in (b0, b1) on standardized bins.
 *
 * Newton–Raphson, damped as Levenberg–Marquardt (Marquardt 1963, SIAM J Appl Math
 * 11:431) when it must be: a full Newton step can overshoot until one bin's
 * probability is 0 or 1 to machine precision, and then the information matrix is
 * numerically singular. The step solves (H + λ·diag(H)) d = g, raising λ until the
 * likelihood does not fall and lowering it after each success, so near the optimum
 * λ = 0 and the step is Newton's, converging quadratically.
 *
 * @param {StandardizedBin[]} bins
 * @param {number} startIntercept the log-odds of the overall rate
 * @param {number} maxIterations
 * @param {number} tolerance
 * @returns {{ ok: true, b0: number, b1: number, v00: number, v01: number, v11: number, logLikelihood: number, iterations: number } | { ok: false, reason: string }}
 */
function newtonRaphson(bins, startIntercept, maxIterations, tolerance) {
  let b0 = startIntercept;
  let b1 = 0;
  let logLikelihood = binomialLogLikelihood(bins, b0, b1);
  let lambda = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const step = dampedStep(bins, b0, b1, logLikelihood, lambda);
    if (!step) return { ok: false, reason: 'no step raises the likelihood (numerically singular information)' };
    b0 += step.d0;
    b1 += step.d1;
    logLikelihood = step.logLikelihood;
    lambda = step.lambda < 1e-12 ? 0 : step.lambda / 10;
    if (Math.max(Math.abs(step.d0), Math.abs(step.d1)) < tolerance) {
      const { h00, h01, h11 } = scoreAndInformation(bins, b0, b1);
      const det = h00 * h11 - h01 * h01;
      if (!(det > 0)) return { ok: false, reason: 'the information matrix is singular at the estimate' };
      return { ok: true, b0, b1, v00: h11 / det, v01: -h01 / det, v11: h00 / det, logLikelihood, iterations: iteration };
    }
  }
  return { ok: false, reason: `did not converge in ${maxIterations} iterations` };
}

/**
 * The smallest damping, from `lambda` up, whose step does not lower the likelihood.
 * @param {StandardizedBin[]} bins
 * @param {number} b0
 * @param {number} b1
 * @param {number} logLikelihood at (b0, b1)
 * @param {number} lambda where to start
 * @returns {{ d0: number, d1: number, logLikelihood: number, lambda: number } | null}
 */
function dampedStep(bins, b0, b1, logLikelihood, lambda) {
  const { g0, g1, h00, h01, h11 } = scoreAndInformation(bins, b0, b1);
  const slack = 1e-12 * Math.abs(logLikelihood); // rounding, at the optimum
  for (let damping = lambda; damping <= 1e12; damping = damping === 0 ? 1e-6 : damping * 10) {
    const a00 = h00 * (1 + damping);
    const a11 = h11 * (1 + damping);
    const det = a00 * a11 - h01 * h01;
    if (!(det > 0)) continue;
    const d0 = (a11 * g0 - h01 * g1) / det;
    const d1 = (a00 * g1 - h01 * g0) / det;
    const next = binomialLogLikelihood(bins, b0 + d0, b1 + d1);
    if (next >= logLikelihood - slack) return { d0, d1, logLikelihood: next, lambda: damping };
  }
  return null;
}

/**
 * Σ k·η − n·ln(1 + e^η), η = b0 + b1·z: the binomial log-likelihood without its constant.
 * @param {StandardizedBin[]} bins
 * @param {number} b0
 * @param {number} b1
 */
function binomialLogLikelihood(bins, b0, b1) {
  let sum = 0;
  for (const { z, n, k } of bins) {
    const eta = b0 + b1 * z;
    sum += k * eta - n * softplus(eta);
  }
  return sum;
}

/**
 * The score (gradient) and information matrix of the log-likelihood at (b0, b1).
 * @param {StandardizedBin[]} bins
 * @param {number} b0
 * @param {number} b1
 */
function scoreAndInformation(bins, b0, b1) {
  let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
  for (const { z, n, k } of bins) {
    const p = logistic(b0 + b1 * z);
    const residual = k - n * p;
    const weight = n * p * (1 - p);
    g0 += residual;
    g1 += residual * z;
    h00 += weight;
    h01 += weight * z;
    h11 += weight * z * z;
  }
  return { g0, g1, h00, h01, h11 };
}

/**
 * Back from z = (x − mean) / sd: slope = b1 / sd, intercept = b0 − b1·mean / sd, and
 * the covariance through the same linear map.
 * @param {{ b0: number, b1: number, v00: number, v01: number, v11: number }} fit
 * @param {{ mean: number, sd: number }} scale
 */
function unstandardize({ b0, b1, v00, v01, v11 }, { mean, sd }) {
  const shift = mean / sd;
  const slopeVariance = v11 / (sd * sd);
  const interceptVariance = v00 - 2 * shift * v01 + shift * shift * v11;
  return {
    intercept: b0 - b1 * shift,
    slope: b1 / sd,
    standardErrors: { intercept: Math.sqrt(Math.max(0, interceptVariance)), slope: Math.sqrt(slopeVariance) },
    covariance: (v01 - shift * v11) / sd,
  };
}

/** ln(1 + e^η) without overflow. @param {number} eta */
function softplus(eta) {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/** 1 / (1 + e^−η) without overflow. @param {number} eta */
function logistic(eta) {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}
