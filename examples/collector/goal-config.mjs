// @ts-check
/**
 * The site's goalpost config, when the collector can find it. Goal hits carry
 * their role and the macro goals they support, so the report works without
 * it; with it, the report also lists goals nobody has reached yet, uses their
 * names, and follows every session (not only converters) through a funnel.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {string | { equals?: string, beginsWith?: string, regex?: string, caseSensitive?: boolean }} Match
 * @typedef {{ id: string, name: string, funnel: { name: string, url: Match }[] }} MacroGoal
 * @typedef {{ id: string, name: string, supports: string[] }} MicroGoal
 * @typedef {{ source: string | null, problems: string[], currency: string | null, macros: MacroGoal[], micros: MicroGoal[] }} GoalConfig
 */

/** @type {GoalConfig} */
export const noGoalConfig = { source: null, problems: [], currency: null, macros: [], micros: [] };

/**
 * Reads the config from `configPath`: a JSON file, or an HTML page whose
 * `<script type="application/json" id="goalpost-config">` holds it (the way
 * the script-tag install declares it). A missing file is no config; a broken
 * one is reported in `problems`, never thrown.
 * @param {string} configPath
 * @param {(input: unknown) => ({ ok: true, config: any } | { ok: false, problems: string[] })} parseConfig from goalpost/schema
 * @returns {GoalConfig}
 */
export function loadGoalConfig(configPath, parseConfig) {
  let text;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch {
    return noGoalConfig;
  }
  const source = path.relative(process.cwd(), configPath) || configPath;
  const fail = (/** @type {string} */ problem) => ({ ...noGoalConfig, source, problems: [problem] });
  if (/\.html?$/i.test(configPath)) {
    const m = /<script\b[^>]*\bid\s*=\s*["']?goalpost-config["']?[^>]*>([\s\S]*?)<\/script>/i.exec(text);
    if (!m) return noGoalConfig;
    text = m[1];
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON: ${/** @type {Error} */ (e).message}`);
  }
  return fromConfig(json, parseConfig, source);
}

/**
 * @param {unknown} input a goalpost config object
 * @param {Parameters<typeof loadGoalConfig>[1]} parseConfig
 * @param {string} source where it came from, for the report
 * @returns {GoalConfig}
 */
export function fromConfig(input, parseConfig, source) {
  // The collector only needs the goals; a config without an endpoint is still a fine source of them.
  const withEndpoint = input && typeof input === 'object' && !('endpoint' in input) ? { ...input, endpoint: '/collect' } : input;
  const parsed = parseConfig(withEndpoint);
  if (!parsed.ok) return { ...noGoalConfig, source, problems: parsed.problems };
  /** @type {any[]} */
  const goals = parsed.config.goals;
  return {
    source,
    problems: [],
    currency: parsed.config.currency ?? null,
    macros: goals
      .filter((g) => g.supports === undefined)
      .map((g) => ({
        id: g.id,
        name: g.name ?? humanize(g.id),
        funnel: (g.kind === 'destination' && g.funnel ? g.funnel : []).map((/** @type {any} */ s, /** @type {number} */ i) => ({
          name: s.name ?? describeMatch(s.url) ?? `Step ${i + 1}`,
          url: s.url,
        })),
      })),
    micros: goals
      .filter((g) => g.supports !== undefined)
      .map((g) => ({ id: g.id, name: g.name ?? humanize(g.id), supports: [g.supports].flat() })),
  };
}

/** "add_to_cart" -> "Add to cart". @param {string} id */
export function humanize(id) {
  const words = id.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : id;
}

/** @param {Match} m */
function describeMatch(m) {
  if (typeof m === 'string') return m;
  if (m.equals !== undefined) return m.equals;
  if (m.beginsWith !== undefined) return `${m.beginsWith}…`;
  return undefined;
}

/**
 * docs/spec.md section 3 "Match": a string equals; otherwise equals, beginsWith or
 * regex; case-insensitive unless caseSensitive.
 * @param {Match} m
 * @param {string} value
 */
export function matches(m, value) {
  if (typeof m === 'string') return m.toLowerCase() === value.toLowerCase();
  const cs = m.caseSensitive === true;
  const v = cs ? value : value.toLowerCase();
  if (m.equals !== undefined) return v === (cs ? m.equals : m.equals.toLowerCase());
  if (m.beginsWith !== undefined) return v.startsWith(cs ? m.beginsWith : m.beginsWith.toLowerCase());
  if (m.regex !== undefined) {
    try {
      return new RegExp(m.regex, cs ? '' : 'i').test(value);
    } catch {
      return false;
    }
  }
  return false;
}
