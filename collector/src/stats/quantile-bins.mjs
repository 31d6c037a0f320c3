// @ts-check
/**
 * Merges fine histogram bins (100 ms of LCP each) into about q quantile bins, each
 * with enough sessions for its rate to mean something: the speed curve.
 */
import { assertCounts, assertFinite } from './validate.mjs';
import { wilsonInterval } from './wilson.mjs';

/** @typedef {import('./types.mjs').Interval} Interval */
/** @typedef {import('./types.mjs').Unavailable} Unavailable */
/** @typedef {import('./logistic-regression.mjs').Bin} Bin */

/**
 * @typedef {object} QuantileBin
 * @property {number} from the lowest fine bin's centre − binWidth/2
 * @property {number} to the highest fine bin's centre + binWidth/2
 * @property {number} x the session-weighted mean of the fine bins' centres, where to plot the point
 * @property {number} n sessions
 * @property {number} k conversions
 * @property {number} rate k / n
 * @property {Interval} ci Wilson interval of the rate
 */

/**
 * Groups fine bins, in order of x, so that each group holds about 1/q of the sessions
 * (a quantile bin), then merges any group under `minSessions` into its smaller
 * neighbour. Fine bins are never split, so a fine bin holding more than 1/q of the
 * sessions makes fewer, larger groups. q is lowered to ⌊sessions / minSessions⌋ when
 * there are too few sessions for q groups of that size.
 *
 * minSessions defaults to 100: below that, a Wilson interval for a rate of a few
 * percent spans more than the curve's whole range, and the curve shows only noise.
 *
 * @param {Bin[]} fineBins { x: bin centre, n: sessions, k: conversions }; any order
 * @param {{ bins?: number, minSessions?: number, binWidth?: number, confidence?: number }} [options]
 *   bins (q) defaults to 10; binWidth (the fine bins' width, in x's unit) to 0
 * @returns {{ ok: true, bins: QuantileBin[] } | Unavailable}
 */
export function quantileBins(fineBins, { bins = 10, minSessions = 100, binWidth = 0, confidence = 0.95 } = {}) {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`quantileBins: bins must be an integer >= 1, got ${bins}`);
  if (!(minSessions >= 1)) throw new RangeError(`quantileBins: minSessions must be >= 1, got ${minSessions}`);
  if (!(binWidth >= 0)) throw new RangeError(`quantileBins: binWidth must be >= 0, got ${binWidth}`);
  for (const bin of fineBins) {
    assertFinite(bin.x, 'quantileBins: x');
    assertCounts(bin.k, bin.n, 'quantileBins bin');
  }
  const sorted = fineBins.filter((bin) => bin.n > 0).sort((a, b) => a.x - b.x);
  const sessions = sorted.reduce((sum, bin) => sum + bin.n, 0);
  if (sessions < minSessions) return { ok: false, reason: `too few sessions for a speed curve: ${sessions}, and a bin needs ${minSessions}` };
  const target = Math.min(bins, Math.floor(sessions / minSessions));
  const groups = mergeSmallGroups(splitAtQuantiles(sorted, sessions, target), minSessions);
  return { ok: true, bins: groups.map((group) => describe(group, binWidth, confidence)) };
}

/**
 * Cuts the sorted bins where the running total of sessions passes j/q of the total.
 * @param {Bin[]} sorted
 * @param {number} sessions
 * @param {number} q
 * @returns {Bin[][]}
 */
function splitAtQuantiles(sorted, sessions, q) {
  /** @type {Bin[][]} */
  const groups = [];
  /** @type {Bin[]} */
  let current = [];
  let cumulative = 0;
  let nextCut = 1; // the j of the next cut at j/q of the sessions
  for (const bin of sorted) {
    current.push(bin);
    cumulative += bin.n;
    if (nextCut < q && cumulative * q >= nextCut * sessions) {
      groups.push(current);
      current = [];
      // A large fine bin may pass several cuts at once; the next cut is the first ahead.
      nextCut = Math.floor((cumulative * q) / sessions) + 1;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Merges the smallest group under the minimum into its smaller neighbour, until none is under.
 * @param {Bin[][]} groups
 * @param {number} minSessions
 */
function mergeSmallGroups(groups, minSessions) {
  const size = (/** @type {Bin[]} */ group) => group.reduce((sum, bin) => sum + bin.n, 0);
  const result = [...groups];
  while (result.length > 1) {
    const sizes = result.map(size);
    const smallest = sizes.indexOf(Math.min(...sizes));
    if (sizes[smallest] >= minSessions) break;
    const left = smallest - 1;
    const right = smallest + 1;
    const neighbour = right >= result.length || (left >= 0 && sizes[left] <= sizes[right]) ? left : right;
    const [first, second] = neighbour < smallest ? [neighbour, smallest] : [smallest, neighbour];
    result.splice(first, 2, [...result[first], ...result[second]]);
  }
  return result;
}

/**
 * @param {Bin[]} group
 * @param {number} binWidth
 * @param {number} confidence
 * @returns {QuantileBin}
 */
function describe(group, binWidth, confidence) {
  const n = group.reduce((sum, bin) => sum + bin.n, 0);
  const k = group.reduce((sum, bin) => sum + bin.k, 0);
  return {
    from: group[0].x - binWidth / 2,
    to: group[group.length - 1].x + binWidth / 2,
    x: group.reduce((sum, bin) => sum + bin.n * bin.x, 0) / n,
    n,
    k,
    rate: k / n,
    ci: /** @type {Interval} n > 0 */ (wilsonInterval(k, n, { confidence })),
  };
}
