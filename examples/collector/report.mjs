// @ts-check
/**
 * The numbers behind /report and /api/report, computed from the hits of the
 * sessions that started in a date range.
 *
 * A session belongs to the day (UTC) its first hit happened, by the corrected
 * clock; everything it did later counts with it, so a visitor who lands at
 * 23:50 and buys at 00:10 is one converted session.
 */
import { humanize, matches } from './goal-config.mjs';

/** @typedef {import('./goal-config.mjs').GoalConfig} GoalConfig */
/** @typedef {import('./store.mjs').Store} Store */
/** @typedef {import('./store.mjs').SimulatedRange} SimulatedRange */

const DAY = 86_400_000;

/** Google's Core Web Vitals thresholds (https://web.dev/articles/lcp, https://web.dev/articles/ttfb). */
export const SPEED_METRICS = /** @type {const} */ ({
  lcp: { name: 'Largest Contentful Paint (LCP)', good: 2500, poor: 4000 },
  ttfb: { name: 'Time to First Byte (TTFB)', good: 800, poor: 1800 },
});

/**
 * @typedef {{ ts: number, role: string, value: number | null, currency: string | null, supports: string[], assists: string[], funnel: boolean[] | null, speed: Record<string, number> }} Conversion
 * @typedef {{ pid: string, ts: number, path: string }} PageView
 * @typedef {{
 *   key: string, site: string, sid: string, startedAt: number, firstReceivedAt: number,
 *   pageviews: PageView[], goals: Map<string, Conversion>,
 *   timing: Map<string, { lcp: number | null, ttfb: number | null }>,
 *   goalSpeed: Map<string, { lcp: number | null, ttfb: number | null }>,
 * }} Session
 * @typedef {{ sessions: number, conversions: number, rate: number | null }} Rate
 */

/**
 * @param {Store} store
 * @param {{ from: string, to: string, site: string | null, goalConfig: GoalConfig, now?: number, latest?: number }} query
 *   from, to: YYYY-MM-DD, both days included (UTC)
 */
export function buildReport(store, { from, to, site, goalConfig, now = Date.now(), latest = 50 }) {
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`) + DAY;
  const sessions = loadSessions(store, { fromMs, toMs, site });
  const sites = /** @type {{ site: string }[]} */ (store.db.prepare('SELECT DISTINCT site FROM hits ORDER BY site').all()).map((r) => r.site);
  const dropped = /** @type {{ n: number }} */ (
    store.db
      .prepare('SELECT COALESCE(SUM(dropped), 0) AS n FROM batches WHERE (@site IS NULL OR site = @site) AND received_at >= @fromMs AND received_at < @toMs')
      .get({ site, fromMs, toMs })
  ).n;

  const { macros, micros } = goalCatalog(sessions, goalConfig);
  const n = sessions.length;
  const converted = (/** @type {string} */ goalId) => sessions.filter((s) => s.goals.has(goalId));

  const macroGoals = macros.map((g) => {
    const conv = converted(g.id);
    const values = new Map();
    for (const s of conv) {
      const c = /** @type {Conversion} */ (s.goals.get(g.id));
      if (c.value === null) continue;
      const cur = c.currency ?? goalConfig.currency ?? '';
      values.set(cur, (values.get(cur) ?? 0) + c.value);
    }
    const currencies = [...values.keys()];
    return {
      id: g.id,
      name: g.name,
      ...rate(n, conv.length),
      value: round(currencies.length === 1 ? values.get(currencies[0]) : currencies.length === 0 ? 0 : null, 2),
      currency: currencies.length === 1 ? currencies[0] || null : currencies.length === 0 ? goalConfig.currency : 'mixed',
      valueByCurrency: Object.fromEntries([...values].map(([c, v]) => [c || 'none', round(v, 2)])),
    };
  });

  const microGoals = micros.map((g) => {
    const reached = sessions.filter((s) => s.goals.has(g.id));
    return {
      id: g.id,
      name: g.name,
      sessions: reached.length,
      share: ratio(reached.length, n),
      supports: g.supports.map((macroId) => {
        const withIt = rate(reached.length, reached.filter((s) => s.goals.has(macroId)).length);
        const total = converted(macroId).length;
        const without = rate(n - reached.length, total - withIt.conversions);
        return {
          goal: macroId,
          name: macros.find((m) => m.id === macroId)?.name ?? humanize(macroId),
          reached: withIt,
          notReached: without,
          // How many times as often sessions that reached the micro goal converted. null: nothing to compare with.
          lift: withIt.rate !== null && without.rate ? round(withIt.rate / without.rate, 2) : null,
          // Conversions whose hit lists this micro goal among its assists (reached before converting).
          assisted: sessions.filter((s) => s.goals.get(macroId)?.assists.includes(g.id)).length,
        };
      }),
    };
  });

  const funnels = macros.flatMap((g) => {
    if (g.funnel.length) return [pageviewFunnel(g, sessions)];
    const hitFunnel = conversionFunnel(g, sessions);
    return hitFunnel ? [hitFunnel] : [];
  });

  const speed = Object.fromEntries(
    Object.entries(SPEED_METRICS).map(([metric, t]) => [metric, speedBuckets(/** @type {'lcp' | 'ttfb'} */ (metric), t, sessions, macros)]),
  );

  const ranges = store
    .simulatedRanges()
    .filter((r) => (site === null || r.site === '' || r.site === site) && r.from < toMs && (r.to ?? now) >= fromMs);
  const simulatedSessions = sessions.filter((s) => isSimulated(s, ranges, now)).length;

  const latestConversions = sessions
    .flatMap((s) =>
      macros.flatMap((g) => {
        const c = s.goals.get(g.id);
        if (!c) return [];
        const landing = landingSpeed(s);
        return [{ at: new Date(c.ts).toISOString(), ts: c.ts, goal: g.id, site: s.site, sid: s.sid, value: c.value, currency: c.currency,
          assists: c.assists, funnel: c.funnel, speed: c.speed, landing }];
      }),
    )
    .sort((a, b) => b.ts - a.ts)
    .slice(0, latest);

  return {
    range: { from, to, timezone: 'UTC' },
    site,
    sites,
    generatedAt: new Date(now).toISOString(),
    simulated: { any: ranges.length > 0 || simulatedSessions > 0, sessions: simulatedSessions, ranges },
    config: { source: goalConfig.source, problems: goalConfig.problems },
    totals: { sessions: n, pageviews: sessions.reduce((sum, s) => sum + s.pageviews.length, 0), dropped },
    macroGoals,
    microGoals,
    funnels,
    speed,
    latestConversions,
  };
}

/**
 * @param {Store} store
 * @param {{ fromMs: number, toMs: number, site: string | null }} range
 * @returns {Session[]}
 */
function loadSessions(store, { fromMs, toMs, site }) {
  const rows = store.db
    .prepare(
      `WITH s AS (
         SELECT site, sid, MIN(ts_corrected) AS started_at, MIN(received_at) AS first_received_at
         FROM hits WHERE (@site IS NULL OR site = @site)
         GROUP BY site, sid HAVING started_at >= @fromMs AND started_at < @toMs
       )
       SELECT s.site, s.sid, s.started_at, s.first_received_at, h.type, h.pid, h.ts_corrected AS ts, h.path,
              h.goal_id, h.goal_role, h.goal_value, h.goal_currency, h.goal, h.lcp, h.ttfb
       FROM s JOIN hits h ON h.site = s.site AND h.sid = s.sid
       WHERE h.type IN ('pageview', 'goal', 'timing')
       ORDER BY s.started_at, s.site, s.sid, h.ts_corrected, h.seq`,
    )
    .all({ site, fromMs, toMs });
  /** @type {Map<string, Session>} */
  const byKey = new Map();
  for (const r of /** @type {any[]} */ (rows)) {
    const key = `${r.site}\n${r.sid}`;
    let s = byKey.get(key);
    if (!s) {
      s = { key, site: r.site, sid: r.sid, startedAt: r.started_at, firstReceivedAt: r.first_received_at, pageviews: [], goals: new Map(), timing: new Map(), goalSpeed: new Map() };
      byKey.set(key, s);
    }
    if (r.type === 'pageview') s.pageviews.push({ pid: r.pid, ts: r.ts, path: r.path });
    // Rows come in time order: the last timing hit of a page view replaces earlier ones (docs/spec.md section 5).
    else if (r.type === 'timing') s.timing.set(r.pid, { lcp: r.lcp, ttfb: r.ttfb });
    else if (r.type === 'goal') {
      s.goalSpeed.set(r.pid, { lcp: r.lcp ?? s.goalSpeed.get(r.pid)?.lcp ?? null, ttfb: r.ttfb ?? s.goalSpeed.get(r.pid)?.ttfb ?? null });
      // A goal converts once per session; should two tabs both report it, the first counts.
      if (s.goals.has(r.goal_id)) continue;
      const detail = JSON.parse(r.goal);
      s.goals.set(r.goal_id, {
        ts: r.ts,
        role: r.goal_role,
        value: r.goal_value,
        currency: r.goal_currency,
        supports: detail.supports ?? [],
        assists: detail.assists ?? [],
        funnel: detail.funnel ?? null,
        speed: Object.fromEntries(Object.entries({ lcp: r.lcp, ttfb: r.ttfb }).filter(([, v]) => v !== null)),
      });
    }
  }
  return [...byKey.values()];
}

/**
 * Macro and micro goals: those the config declares, in its order, then any
 * others the hits name.
 * @param {Session[]} sessions
 * @param {GoalConfig} goalConfig
 */
function goalCatalog(sessions, goalConfig) {
  const macros = goalConfig.macros.map((g) => ({ ...g }));
  const micros = goalConfig.micros.map((g) => ({ ...g, supports: [...g.supports] }));
  const known = new Set([...macros, ...micros].map((g) => g.id));
  /** @type {Map<string, Set<string>>} */
  const seenSupports = new Map();
  const seenMacros = new Set();
  for (const s of sessions) {
    for (const [id, c] of s.goals) {
      if (known.has(id)) continue;
      if (c.role === 'macro') seenMacros.add(id);
      else {
        const sup = seenSupports.get(id) ?? new Set();
        for (const m of c.supports) sup.add(m);
        seenSupports.set(id, sup);
      }
    }
  }
  for (const id of [...seenMacros].sort()) macros.push({ id, name: humanize(id), funnel: [] });
  for (const [id, sup] of [...seenSupports].sort(([a], [b]) => a.localeCompare(b))) micros.push({ id, name: humanize(id), supports: [...sup].sort() });
  for (const m of micros) for (const id of m.supports) if (!macros.some((g) => g.id === id)) macros.push({ id, name: humanize(id), funnel: [] });
  return { macros, micros };
}

/**
 * Every session in the range, followed through the funnel's pages in order:
 * a session reaches step i when it viewed step i's page after step i-1's,
 * and completes the funnel when it then converted. Drop-off at a step is the
 * sessions that reached it and went no further.
 * @param {{ id: string, name: string, funnel: { name: string, url: import('./goal-config.mjs').Match }[] }} goal
 * @param {Session[]} sessions
 */
function pageviewFunnel(goal, sessions) {
  const reach = goal.funnel.map(() => 0);
  let completed = 0;
  for (const s of sessions) {
    let at = 0;
    let lastTs = -Infinity;
    let steps = 0;
    for (const step of goal.funnel) {
      const j = s.pageviews.findIndex((pv, k) => k >= at && matches(step.url, pv.path));
      if (j < 0) break;
      reach[steps++]++;
      at = j + 1;
      lastTs = s.pageviews[j].ts;
    }
    const conv = s.goals.get(goal.id);
    if (steps === goal.funnel.length && conv && conv.ts >= lastTs) completed++;
  }
  const counts = [...reach, completed];
  const conversions = sessions.filter((s) => s.goals.has(goal.id)).length;
  return {
    goal: goal.id,
    name: goal.name,
    source: 'pageviews',
    steps: counts.map((count, i) => ({
      name: i < goal.funnel.length ? goal.funnel[i].name : goal.name,
      isGoal: i === goal.funnel.length,
      sessions: count,
      // The goal row has no next step.
      next: i < goal.funnel.length ? counts[i + 1] : null,
      dropOff: i < goal.funnel.length ? count - counts[i + 1] : null,
      dropOffRate: i < goal.funnel.length ? ratio(count - counts[i + 1], count) : null,
    })),
    completed,
    conversions,
    // Converted without passing every step in order (a deep link, a saved checkout URL ...).
    conversionsOutsideFunnel: conversions - completed,
  };
}

/** Only converters report these steps: nobody is seen leaving. */
const noDropOff = { next: null, dropOff: null, dropOffRate: null };

/**
 * Without the config the collector cannot tell which page views were funnel
 * steps; the goal hits of converters still say which steps they saw.
 * Non-converters do not appear, so there is no drop-off to show.
 * @param {{ id: string, name: string }} goal
 * @param {Session[]} sessions
 */
function conversionFunnel(goal, sessions) {
  const funnels = sessions.flatMap((s) => {
    const f = s.goals.get(goal.id)?.funnel;
    return f ? [f] : [];
  });
  if (!funnels.length) return null;
  const length = Math.max(...funnels.map((f) => f.length));
  const conversions = sessions.filter((s) => s.goals.has(goal.id)).length;
  return {
    goal: goal.id,
    name: goal.name,
    source: 'conversions',
    steps: [
      ...Array.from({ length }, (_, i) => ({ name: `Step ${i + 1}`, isGoal: false, sessions: funnels.filter((f) => f[i] === true).length, ...noDropOff })),
      { name: goal.name, isGoal: true, sessions: conversions, ...noDropOff },
    ],
    completed: funnels.filter((f) => f.length === length && f.every(Boolean)).length,
    conversions,
    conversionsOutsideFunnel: conversions - funnels.filter((f) => f.length === length && f.every(Boolean)).length,
  };
}

/**
 * The landing page is the session's first page view; its speed is the last
 * timing hit of that page view, else the speed snapshot a goal hit on it carried.
 * @param {Session} s
 */
function landingSpeed(s) {
  const landing = s.pageviews[0];
  if (!landing) return { path: null, lcp: null, ttfb: null };
  const t = s.timing.get(landing.pid);
  const g = s.goalSpeed.get(landing.pid);
  return { path: landing.path, lcp: t?.lcp ?? g?.lcp ?? null, ttfb: t?.ttfb ?? g?.ttfb ?? null };
}

/**
 * @param {'lcp' | 'ttfb'} metric
 * @param {{ name: string, good: number, poor: number }} t
 * @param {Session[]} sessions
 * @param {{ id: string, name: string }[]} macros
 */
function speedBuckets(metric, t, sessions, macros) {
  const secs = (/** @type {number} */ ms) => (metric === 'lcp' ? `${ms / 1000} s` : `${ms} ms`);
  const buckets = [
    { id: 'good', label: `Good (≤ ${secs(t.good)})`, test: (/** @type {number} */ v) => v <= t.good },
    { id: 'needs-improvement', label: `Needs improvement (≤ ${secs(t.poor)})`, test: (/** @type {number} */ v) => v > t.good && v <= t.poor },
    { id: 'poor', label: `Poor (> ${secs(t.poor)})`, test: (/** @type {number} */ v) => v > t.poor },
  ];
  /** @type {Map<string, Session[]>} */
  const members = new Map();
  for (const id of [...buckets.map((b) => b.id), 'unknown']) members.set(id, []);
  for (const s of sessions) {
    const v = landingSpeed(s)[metric];
    const b = v === null ? undefined : buckets.find((b) => b.test(v));
    members.get(b ? b.id : 'unknown')?.push(s);
  }
  return {
    metric,
    name: t.name,
    thresholds: { good: t.good, poor: t.poor },
    buckets: [...buckets, { id: 'unknown', label: 'Not measured' }].map((b) => {
      const list = /** @type {Session[]} */ (members.get(b.id));
      return {
        id: b.id,
        label: b.label,
        sessions: list.length,
        goals: macros.map((g) => ({ goal: g.id, ...rate(list.length, list.filter((s) => s.goals.has(g.id)).length) })),
      };
    }),
  };
}

/** @param {Session} s @param {SimulatedRange[]} ranges @param {number} now */
function isSimulated(s, ranges, now) {
  return ranges.some((r) => (r.site === '' || r.site === s.site) && s.firstReceivedAt >= r.from && s.firstReceivedAt <= (r.to ?? now));
}

/** @param {number} sessions @param {number} conversions @returns {Rate} */
function rate(sessions, conversions) {
  return { sessions, conversions, rate: ratio(conversions, sessions) };
}

/** @param {number} part @param {number} whole */
function ratio(part, whole) {
  return whole > 0 ? round(part / whole, 4) : null;
}

/** @param {number | null | undefined} v @param {number} digits */
function round(v, digits) {
  if (v === null || v === undefined) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
