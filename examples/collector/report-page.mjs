// @ts-check
/**
 * /report: the report as one HTML page a marketer reads without help.
 * Rendered here, on the server, with SVG bars: no script, no inline styles,
 * one stylesheet (/report.css), so it works under a strict CSP and offline.
 */

/** @typedef {ReturnType<typeof import('./report.mjs').buildReport>} Report */

/**
 * @param {Report | null} report null when the query was refused
 * @param {{ from: string, to: string, site: string | null, error?: string }} query
 */
export function renderReportPage(report, query) {
  const sites = report?.sites ?? [];
  const title = report ? `${report.site ?? (sites.length === 1 ? sites[0] : 'All sites')}: conversions and page speed` : 'goalpost report';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/report.css">
</head>
<body>
<header>
  <h1>${esc(title)}</h1>
  ${report ? `<p class="sub">${esc(dateRange(report.range.from, report.range.to))} (UTC) · ${count(report.totals.sessions, 'session')} · ${count(report.totals.pageviews, 'page view')}</p>` : ''}
  ${filterForm(query, sites)}
</header>
<main>
${query.error ? `<p class="error" role="alert">${esc(query.error)}</p>` : ''}
${report ? body(report) : ''}
</main>
</body>
</html>
`;
}

/** @param {{ from: string, to: string, site: string | null }} q @param {string[]} sites */
function filterForm(q, sites) {
  const options = [`<option value="">All sites</option>`, ...sites.map((s) => `<option value="${esc(s)}"${s === q.site ? ' selected' : ''}>${esc(s)}</option>`)];
  return `<form class="filter" method="get" action="/report">
    <label>From <input type="date" name="from" value="${esc(q.from)}" required></label>
    <label>To <input type="date" name="to" value="${esc(q.to)}" required></label>
    ${sites.length > 1 || q.site ? `<label>Site <select name="site">${options.join('')}</select></label>` : ''}
    <button type="submit">Show</button>
  </form>`;
}

/** @param {Report} r */
function body(r) {
  const parts = [];
  if (r.simulated.any) parts.push(simulatedBanner(r));
  if (r.config.problems.length) {
    parts.push(`<p class="note">The goal config in ${esc(r.config.source ?? '')} could not be read, so goals are taken from the hits alone: ${esc(r.config.problems.join('; '))}</p>`);
  }
  if (r.totals.sessions === 0) {
    parts.push(`<section class="empty"><h2>No visits in these dates</h2>
      <p>No session started from ${esc(dateRange(r.range.from, r.range.to))}. Open <a href="/">the shop</a> and click around,
      or run <code>npm run demo:traffic</code> to simulate a few hundred visits; then reload this page.</p></section>`);
    return parts.join('\n');
  }
  parts.push(macroSection(r), microSection(r), ...r.funnels.map(funnelSection), speedSection(r), latestSection(r));
  parts.push(`<footer><p>Each visit is one session (30 minutes without activity ends it). A session counts on the day it started.
    ${r.totals.dropped ? `Visitors' browsers dropped ${count(r.totals.dropped, 'hit')} before sending (offline too long or queue full).` : ''}
    Goals: ${r.config.source ? `names and funnels from ${esc(r.config.source)}` : 'taken from the hits (no site config found)'}.
    The same numbers as JSON: <a href="${esc(apiLink(r))}">${esc(apiLink(r))}</a>.</p></footer>`);
  return parts.join('\n');
}

/** @param {Report} r */
function apiLink(r) {
  const q = new URLSearchParams({ from: r.range.from, to: r.range.to, ...(r.site ? { site: r.site } : {}) });
  return `/api/report?${q}`;
}

/** @param {Report} r */
function simulatedBanner(r) {
  const when = r.simulated.ranges
    .map((x) => `${time(x.from)} to ${x.to === null ? 'now (still running)' : time(x.to)}${x.note ? ` (${x.note})` : ''}`)
    .join('; ');
  return `<p class="simulated" role="note"><strong>Simulated traffic.</strong>
    ${r.simulated.sessions === r.totals.sessions ? 'All' : `${r.simulated.sessions} of`} ${count(r.totals.sessions, 'session')} in this report
    ${r.simulated.sessions === 1 ? 'was' : 'were'} made by the demo traffic generator, not by real visitors${when ? `: ${esc(when)}` : ''}.
    Read the numbers as a demonstration.</p>`;
}

/** @param {Report} r */
function macroSection(r) {
  const cards = r.macroGoals.map((g) => {
    const worth = g.conversions && g.value ? `, worth ${esc(money(g.value, g.currency))}` : '';
    return `<div class="card">
      <h3>${esc(g.name)}</h3>
      <p class="big">${pct(g.rate)}</p>
      <p>of ${count(g.sessions, 'session')} converted: ${count(g.conversions, 'conversion')}${worth}.</p>
    </div>`;
  });
  return `<section><h2>Macro goals</h2>
    <p class="lead">The conversions that matter to the business. The rate is the share of all sessions in these dates that reached the goal.</p>
    <div class="cards">${cards.join('') || '<p>No macro goals yet.</p>'}</div></section>`;
}

/** @param {Report} r */
function microSection(r) {
  if (!r.microGoals.length) return '';
  const rows = r.microGoals.flatMap((m) =>
    m.supports.map((s) => {
      const few = Math.min(s.reached.sessions, s.notReached.sessions) < 30 ? ' <span class="few">Few sessions: treat with care.</span>' : '';
      return `<tr>
        <th scope="row">${esc(m.name)}</th>
        <td class="num">${m.sessions}<br><span class="muted">${pct(m.share)} of sessions</span></td>
        <td>${esc(s.name)}</td>
        <td class="num">${pct(s.reached.rate)}<br><span class="muted">${s.reached.conversions} of ${s.reached.sessions}</span></td>
        <td class="num">${pct(s.notReached.rate)}<br><span class="muted">${s.notReached.conversions} of ${s.notReached.sessions}</span></td>
        <td class="bars">${pairBars(s.reached.rate, s.notReached.rate)}</td>
        <td>${esc(microSentence(m.name, s))}${few}</td>
      </tr>`;
    }),
  );
  return `<section><h2>What each micro goal is worth</h2>
    <p class="lead">Micro goals are the small steps (adding to cart, reading reviews, staying a while) that lead to a macro goal.
    Sessions that reached a micro goal are compared with sessions that did not: a large difference means the step matters.
    This shows what goes together, not what causes what.</p>
    <table class="micro">
      <thead><tr><th>Micro goal</th><th>Sessions that reached it</th><th>Macro goal</th><th>Converted, reached it</th><th>Converted, did not</th><th><span class="key reached">reached</span> <span class="key not">did not</span></th><th>In plain words</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table></section>`;
}

/**
 * "Sessions that reached Add to cart converted to Purchase at 12% vs 1% for those that didn't (12× as often)."
 * @param {string} name @param {Report['microGoals'][number]['supports'][number]} s
 */
export function microSentence(name, s) {
  if (s.reached.sessions === 0) return `No session reached ${name} in these dates.`;
  if (s.notReached.sessions === 0) return `Every session reached ${name}, so there is nothing to compare with.`;
  const base = `Sessions that reached ${name} converted to ${s.name} at ${pct(s.reached.rate)} vs ${pct(s.notReached.rate)} for those that didn't`;
  if (s.lift !== null) {
    if (s.lift >= 1.1) return `${base} (${fmtLift(s.lift)}× as often).`;
    if (s.lift <= 1 / 1.1) return `${base} (${fmtLift(1 / s.lift)}× less often).`;
    return `${base}: about the same.`;
  }
  if ((s.reached.rate ?? 0) > 0) return `${base}: only sessions that reached it converted.`;
  return `${base}.`;
}

/** @param {number} x */
function fmtLift(x) {
  return x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** @param {Report['funnels'][number]} f */
function funnelSection(f) {
  const max = Math.max(1, ...f.steps.map((s) => s.sessions));
  const rows = f.steps.map((s, i) => {
    const lost =
      s.dropOff !== null
        ? `<td class="num">${s.dropOff}<br><span class="muted">${pct(s.dropOffRate)} left here</span></td>`
        : `<td class="num muted">${s.isGoal ? '' : 'n/a'}</td>`;
    return `<tr${s.isGoal ? ' class="goal"' : ''}>
      <th scope="row">${s.isGoal ? `Converted: ${esc(s.name)}` : `${i + 1}. ${esc(s.name)}`}</th>
      <td class="num">${s.sessions}</td>
      <td class="bars">${hbar(s.sessions / max, s.isGoal ? 'goal' : 'step')}</td>
      ${lost}
    </tr>`;
  });
  const intro =
    f.source === 'pageviews'
      ? `Every session that viewed the first step's page, followed through the steps in order. "Left here": sessions that reached a step and went no further.`
      : `Without the site's goal config, only sessions that converted report which steps they saw, so this shows converters' paths and no drop-off. Start the collector with the shop's config (GOALPOST_CONFIG) to see where the others leave.`;
  const outside = f.conversionsOutsideFunnel
    ? `<p class="muted">${count(f.conversionsOutsideFunnel, 'conversion')} of ${f.conversions} skipped a step (a direct link, a saved page): counted in ${esc(f.name)} above, not here.</p>`
    : '';
  return `<section><h2>Funnel: ${esc(f.name)}</h2>
    <p class="lead">${esc(intro)}</p>
    <table class="funnel">
      <thead><tr><th>Step</th><th>Sessions</th><th></th><th>Lost at this step</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>${outside}</section>`;
}

/** @param {Report} r */
function speedSection(r) {
  const charts = r.macroGoals.flatMap((g) =>
    Object.values(r.speed).map((m) => {
      const bars = m.buckets.map((b) => {
        const x = /** @type {{ conversions: number, rate: number | null }} */ (b.goals.find((y) => y.goal === g.id));
        return { id: b.id, label: b.label, sessions: b.sessions, conversions: x.conversions, rate: x.rate };
      });
      return `<figure class="chart">
        <figcaption>${esc(g.name)} by the landing page's ${esc(m.name)}</figcaption>
        ${barChart(bars, `${g.name} conversion rate by ${m.name}`)}
        <p class="summary">${esc(speedSentence(g.name, bars))}</p>
      </figure>`;
    }),
  );
  return `<section><h2>Does page speed cost conversions?</h2>
    <p class="lead">Each session is grouped by how fast its first page (the landing page) loaded, using Google's thresholds.
    LCP is when the main content appeared; TTFB is when the server started answering. Bars show the conversion rate;
    the number under each bar is how many sessions it is based on.</p>
    <div class="charts">${charts.join('')}</div></section>`;
}

/** @param {string} goal @param {{ id: string, label: string, sessions: number, rate: number | null }[]} bars */
function speedSentence(goal, bars) {
  const good = bars.find((b) => b.id === 'good');
  const poor = bars.find((b) => b.id === 'poor');
  if (!good?.sessions || !poor?.sessions) return 'Not enough measured sessions in both the good and poor groups to compare.';
  return `Sessions landing on a fast page (good) converted to ${goal} at ${pct(good.rate)} (${count(good.sessions, 'session')}); on a slow page (poor) at ${pct(poor.rate)} (${count(poor.sessions, 'session')}).`;
}

/**
 * Vertical bars: the rate above each, the bucket and its session count below.
 * @param {{ id: string, label: string, sessions: number, conversions: number, rate: number | null }[]} bars
 * @param {string} label
 */
function barChart(bars, label) {
  const w = 560;
  const h = 246;
  const top = 28;
  const plot = 140;
  const slot = w / bars.length;
  const barW = Math.min(90, slot * 0.6);
  const max = Math.max(0.0001, ...bars.map((b) => b.rate ?? 0));
  const items = bars.map((b, i) => {
    const x = i * slot + (slot - barW) / 2;
    const bh = b.rate ? Math.max(1, (b.rate / max) * plot) : 0;
    const y = top + plot - bh;
    const cx = i * slot + slot / 2;
    // "Needs improvement (≤ 4 s)" on two lines, so neighbouring labels do not collide.
    const [, name, range] = /^(.*?)(?: \((.*)\))?$/.exec(b.label) ?? [b.label, b.label, ''];
    return `<g class="bar ${b.id}">
      <title>${esc(`${b.label}: ${pct(b.rate)} (${b.conversions} of ${b.sessions} sessions)`)}</title>
      <rect x="${f1(x)}" y="${f1(y)}" width="${f1(barW)}" height="${f1(bh)}"></rect>
      <text class="value" x="${f1(cx)}" y="${f1(y - 6)}" text-anchor="middle">${b.sessions ? pct(b.rate) : '–'}</text>
      <text class="label" x="${f1(cx)}" y="${top + plot + 18}" text-anchor="middle">${esc(name)}</text>
      <text class="range" x="${f1(cx)}" y="${top + plot + 34}" text-anchor="middle">${esc(range ?? '')}</text>
      <text class="n" x="${f1(cx)}" y="${top + plot + 52}" text-anchor="middle">${count(b.sessions, 'session')}</text>
    </g>`;
  });
  return `<svg class="bars" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(label)}">
    <line class="axis" x1="0" x2="${w}" y1="${top + plot}" y2="${top + plot}"></line>
    ${items.join('')}
  </svg>`;
}

/** @param {Report} r */
function latestSection(r) {
  if (!r.latestConversions.length) return '';
  const rows = r.latestConversions.slice(0, 20).map(
    (c) => `<tr>
      <td>${esc(time(c.ts))}</td>
      <td>${esc(r.macroGoals.find((g) => g.id === c.goal)?.name ?? c.goal)}</td>
      <td class="num">${c.value === null ? '' : esc(money(c.value, c.currency))}</td>
      <td>${c.assists.length ? esc(c.assists.map((a) => r.microGoals.find((m) => m.id === a)?.name ?? a).join(', ')) : '<span class="muted">none</span>'}</td>
      <td>${esc(c.landing.path ?? '')}</td>
      <td class="num">${c.landing.lcp === null ? '<span class="muted">not measured</span>' : `${(c.landing.lcp / 1000).toFixed(1)} s`}</td>
    </tr>`,
  );
  return `<section><h2>Latest conversions</h2>
    <table class="latest">
      <thead><tr><th>When (UTC)</th><th>Goal</th><th>Value</th><th>Micro goals reached before</th><th>Landing page</th><th>Landing LCP</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table></section>`;
}

// --- small helpers --------------------------------------------------------

/** Two horizontal bars, reached vs not, on one scale. @param {number | null} a @param {number | null} b */
function pairBars(a, b) {
  const max = Math.max(0.0001, a ?? 0, b ?? 0);
  return `<svg class="pair" viewBox="0 0 100 22" preserveAspectRatio="none" aria-hidden="true">
    <rect class="reached" x="0" y="1" height="9" width="${f1(((a ?? 0) / max) * 100)}"></rect>
    <rect class="not" x="0" y="12" height="9" width="${f1(((b ?? 0) / max) * 100)}"></rect>
  </svg>`;
}

/** @param {number} fraction @param {string} cls */
function hbar(fraction, cls) {
  return `<svg class="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="${cls}" x="0" y="0" height="10" width="${f1(fraction * 100)}"></rect></svg>`;
}

/** @param {number} x */
function f1(x) {
  return String(Math.round(x * 10) / 10);
}

/** 0.1234 -> "12.3%", null -> "–". @param {number | null} rate */
export function pct(rate) {
  if (rate === null || rate === undefined) return '–';
  const p = rate * 100;
  const digits = p === 0 || p >= 10 ? 0 : 1;
  return `${p.toFixed(digits).replace(/\.0$/, '')}%`;
}

/** @param {number} n @param {string} noun */
function count(n, noun) {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

/** @param {number} value @param {string | null} currency */
function money(value, currency) {
  if (currency && /^[A-Z]{3}$/i.test(currency)) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(value);
    } catch {
      // An unknown code: fall through to the plain number.
    }
  }
  return `${value.toLocaleString('en', { maximumFractionDigits: 2 })}${currency && currency !== 'mixed' ? ` ${currency}` : currency === 'mixed' ? ' (mixed currencies)' : ''}`;
}

/** @param {string} from @param {string} to */
function dateRange(from, to) {
  const d = (/** @type {string} */ s) => new Date(`${s}T00:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  return from === to ? d(from) : `${d(from)} to ${d(to)}`;
}

/** @param {number} ms */
function time(ms) {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** @param {string} s */
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
