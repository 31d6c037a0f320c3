/**
 * The config validator of the script-tag build. The build (configPlan.ts)
 * turns the zod schema into JavaScript that composes the small functions
 * below (`P.object({ endpoint: P.checked(P.string, P.test(...)) })`), so the
 * script carries no description of the schema to interpret, only the
 * validator itself. They follow zod's semantics for the few schema kinds the
 * config uses, and word problems with the same functions (configProblems.ts,
 * configRules.ts). zod/mini itself would be ~9 KB gzip of the 12 KB budget.
 * A unit test runs both validators over a corpus of configs and requires
 * identical results.
 */
import type { ParseResult, ResolvedConfig } from './config';
import { describeIssues, type ConfigIssue } from './configProblems';
import type { ConfigRule } from './configRules';

interface Issue extends ConfigIssue {
  /**
   * zod's `continue`, inverted: 1 (continue unset) skips the later checks of
   * the value, 2 (continue false) skips even those with a `when`; unset lets
   * them all run, so one pass lists every problem.
   */
  stop?: 1 | 2;
}

/** Validates `value`, adds its problems to `issues` (paths relative to it), returns the parsed value. */
export type Node = (value: any, issues: Issue[]) => any;
/** A check after the type matched; one with `when` runs even after other problems, if `when` holds for the value. */
export type Check = [run: (value: any, issues: Issue[]) => unknown, when?: (value: any) => boolean];

/** Validates `input` with the validator the build made: the same result as zod's parseConfig. */
export function parseWithPlan(plan: Node, input: unknown): ParseResult {
  const issues: Issue[] = [];
  const config: ResolvedConfig = plan(input, issues);
  return issues.length ? { ok: false, problems: describeIssues(issues, input) } : { ok: true, config };
}

/** Adds a problem; returns `value`, which a failed node passes on unchanged, as zod does. */
const add = (issues: Issue[], issue: Omit<Issue, 'path'> & { path?: PropertyKey[] }, value?: unknown) => ((issue.path ??= []), issues.push(issue as Issue), value);
const wrongType = (issues: Issue[], expected: string, value: unknown) => add(issues, { code: 'invalid_type', expected, stop: 1 }, value);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
/** Whether a problem from `issues[from]` on stops the value at `level`. */
const stopped = (issues: Issue[], level: number, from = 0) => issues.slice(from).some((i) => i.stop! >= level);

/**
 * Runs `node` on the part `key` of a value: its problems get `key` in front of their paths.
 * One shared list, no list per node: a valid config (the common case) allocates nothing here,
 * and start-up runs this cold, ~1,000 times for 50 goals.
 */
function at(node: Node, value: unknown, key: PropertyKey, issues: Issue[]): unknown {
  const from = issues.length;
  value = node(value, issues);
  for (let i = from; i < issues.length; i++) issues[i].path = [key, ...issues[i].path];
  return value;
}

// The checks come before the node kinds: in this order the script-tag file gzips smaller.

/**
 * zod's check loop: a check is skipped once a problem stopped the value,
 * unless it has a `when` (length checks, some rules). Only `int` stops
 * anything among the checks, so looking again before each one is the same.
 */
export const checked =
  (node: Node, ...checks: Check[]): Node =>
  (v, issues) => {
    // The value's problems are those added from here on.
    const from = issues.length;
    v = node(v, issues);
    // Indexed, not `for (const [run, when] of ...)`: destructuring is slow in code run once, cold.
    for (let i = 0; i < checks.length; i++) {
      const when = checks[i][1];
      if (when ? !stopped(issues, 2, from) && when(v) : !stopped(issues, 1, from)) checks[i][0](v, issues);
    }
    return v;
  };

/** A check with its message: lengths, bounds, a regex, as the build writes them. */
export const test = (ok: (v: any) => boolean, message: string, when?: (v: any) => boolean): Check => [
  (v, issues) => ok(v) || add(issues, { message }),
  when,
];
/** Length as zod's length checks count it (strings in code points), and their `when`. */
const SURROGATE = /[\uD800-\uDFFF]/;
export const length = (v: any): number => (typeof v === 'string' && SURROGATE.test(v) ? [...v].length : v.length);
export const hasLength = (v: any) => v != null && v.length !== undefined;

/** zod's int format: a fraction stops every later check, even one with a `when`. */
export const int = (message: string): Check => [
  (v, issues) => Number.isSafeInteger(v) || add(issues, Number.isInteger(v) ? { message } : { code: 'invalid_type', expected: 'int', stop: 2 }),
];

export const rule = (check: ConfigRule['check'], when?: ConfigRule['when']): Check => [
  (v, issues) => check(v, (message, path) => add(issues, { message, path })),
  when,
];

const typed =
  (type: string): Node =>
  (v, issues) =>
    typeof v === type ? v : wrongType(issues, type, v);
export const string = typed('string');
export const boolean = typed('boolean');
/** Not NaN or Infinity: zod's number refuses them (and Number.isFinite refuses every non-number). */
export const number: Node = (v, issues) => (Number.isFinite(v) ? v : wrongType(issues, 'number', v));

export const literal =
  (values: unknown[]): Node =>
  (v, issues) =>
    values.includes(v) ? v : add(issues, { code: 'invalid_value', values, stop: 1 }, v);

export const optional =
  (node: Node): Node =>
  (v, issues) =>
    v === undefined ? v : node(v, issues);

/** `fresh` makes the value parsed instead of undefined; the build checked that it parses into zod's default. */
export const withDefault =
  (node: Node, fresh: () => unknown): Node =>
  (v, issues) =>
    node(v === undefined ? fresh() : v, issues);
/** `{}` without a prototype, so a page's additions to Object.prototype cannot get in: an object of defaults. */
export const blank = () => Object.create(null);

export const array =
  (element: Node): Node =>
  (v, issues) => {
    if (!Array.isArray(v)) return wrongType(issues, 'array', v);
    const out = [];
    // A loop, not map(): holes are validated as undefined, as zod does.
    for (let i = 0; i < v.length; i++) out[i] = at(element, v[i], i, issues);
    return out;
  };

/** A strict object: keys not in `shape` are a problem. */
export const object =
  (shape: Record<string, Node>): Node =>
  (v, issues) => {
    if (!isObject(v)) return wrongType(issues, 'object', v);
    const out: Record<string, unknown> = {};
    const unknown: string[] = [];
    // Own keys, never for-in: a page's enumerable additions to Object.prototype are not config keys.
    for (const key of Object.keys(shape)) {
      const r = at(shape[key], v[key], key, issues);
      // An absent optional key stays absent; an absent key with a default gets it.
      if (key in v || r !== undefined) out[key] = r;
    }
    // Own keys only: "constructor" is not a config key.
    for (const key of Object.keys(v)) if (!shape.hasOwnProperty(key)) unknown.push(key);
    if (unknown.length) add(issues, { code: 'unrecognized_keys', keys: unknown });
    return out;
  };

/** The first option without problems wins; else the one option that got past its type checks, if one did. */
export const union =
  (options: Node[]): Node =>
  (v, issues) => {
    const errors: Issue[][] = [];
    const values = [];
    for (const node of options) {
      const own: Issue[] = [];
      const r = node(v, own);
      if (!own.length) return r;
      errors.push(own);
      values.push(r);
    }
    const live = errors.filter((own) => !stopped(own, 1));
    if (live.length === 1) return issues.push(...live[0]), values[errors.indexOf(live[0])];
    return add(issues, { code: 'invalid_union', errors, stop: 1 }, v);
  };

/** The discriminator of an option a discriminated union chose: it matched already. */
export const same: Node = (v) => v;

/** A discriminated union: `options[i]` is the object for `values[i]` of `key`. */
export const disc =
  (key: string, values: unknown[], options: Node[]): Node =>
  (v, issues) => {
    if (!isObject(v)) return wrongType(issues, 'object', v);
    const node = options[values.indexOf(v[key])];
    return node ? node(v, issues) : add(issues, { code: 'invalid_union', discriminator: key, path: [key], stop: 1 }, v);
  };
