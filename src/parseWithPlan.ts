/**
 * The config validator of the script-tag build: runs a plan that the build
 * derives from the zod schema (configPlan.ts), with zod's semantics for the
 * few schema kinds the config uses, and words problems with the same
 * functions (configProblems.ts, configRules.ts). zod/mini itself would be
 * ~9 KB gzip of the 12 KB budget; this is ~1.5 KB. A unit test runs both
 * validators over a corpus of configs and requires identical results.
 */
import type { ParseResult, ResolvedConfig } from './config';
import { describeIssues, type ConfigIssue } from './configProblems';
import { configRules, type ConfigRule, type RuleName } from './configRules';

/** A schema node: the subset of zod's `_zod.def` the config uses, as JSON. */
export type Plan = (
  | { t: 'string' | 'number' | 'boolean' }
  | { t: 'literal'; v: unknown[] }
  | { t: 'object'; s: Record<string, Plan>; strict?: 1 }
  | { t: 'array'; e: Plan }
  | { t: 'union'; o: Plan[] }
  /** Discriminated union on key `k`; each option is an object whose `k` is a literal. */
  | { t: 'disc'; k: string; o: Plan[] }
  | { t: 'optional'; i: Plan }
  | { t: 'default'; i: Plan; d: unknown }
) & { c?: Check[] };

/**
 * A check after the type matched: lengths (in code points), bounds, a regex,
 * zod's int format, or a named rule of configRules. `m` is its message.
 */
export type Check =
  | { k: 'min' | 'max' | 'gt' | 'gte' | 'lt' | 'lte'; v: number; m: string }
  | { k: 'regex'; v: string; f: string; m: string }
  | { k: 'int'; m?: string }
  | { k: 'rule'; v: RuleName };

interface Issue extends ConfigIssue {
  /** zod's flag: true lets later checks run; false stops even `when` checks. */
  continue?: boolean;
}
interface Payload {
  value: any;
  issues: Issue[];
}

/** Validates `input` against `plan`: the same result as zod's parseConfig for the schema the plan came from. */
export function parseWithPlan(plan: Plan, input: unknown): ParseResult {
  const { value, issues } = run(plan, { value: input, issues: [] });
  return issues.length ? { ok: false, problems: describeIssues(issues.map(finalize), input) } : { ok: true, config: value as ResolvedConfig };
}

const finalize = (issue: Issue): Issue => ({ ...issue, path: issue.path ?? [], message: issue.message || 'Invalid input' });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const aborted = (issues: Issue[], from = 0) => issues.slice(from).some((i) => i.continue !== true);
const prefix = (key: PropertyKey, issues: Issue[]) => issues.map((i) => ((i.path = [key, ...(i.path ?? [])]), i));
const fail = (p: Payload, issue: Omit<Issue, 'path'> & { path?: PropertyKey[] }): Payload => (p.issues.push(issue as Issue), p);
const fresh = (value: unknown): Payload => ({ value, issues: [] });
/** A default's own copy. Not through JSON: a page may have given arrays a toJSON (Prototype.js did). */
const copy = (v: any): any =>
  Array.isArray(v) ? v.map(copy) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v;

function run(n: Plan, p: Payload): Payload {
  p = parse(n, p);
  if (n.c) runChecks(n.c, p);
  return p;
}

function parse(n: Plan, p: Payload): Payload {
  const v = p.value;
  switch (n.t) {
    case 'string':
    case 'boolean':
    case 'number':
      return typeof v === n.t && (n.t !== 'number' || Number.isFinite(v)) ? p : fail(p, { code: 'invalid_type', expected: n.t });
    case 'literal':
      return n.v.includes(v) ? p : fail(p, { code: 'invalid_value', values: n.v });
    case 'optional':
      return v === undefined ? p : run(n.i, p);
    case 'default': {
      if (v !== undefined) p = run(n.i, p);
      if (p.value === undefined) p.value = copy(n.d);
      return p;
    }
    case 'array': {
      if (!Array.isArray(v)) return fail(p, { code: 'invalid_type', expected: 'array' });
      p.value = [];
      for (let i = 0; i < v.length; i++) {
        const r = run(n.e, fresh(v[i]));
        p.issues.push(...prefix(i, r.issues));
        p.value[i] = r.value;
      }
      return p;
    }
    case 'object': {
      if (!isObject(v)) return fail(p, { code: 'invalid_type', expected: 'object' });
      const out: Record<string, unknown> = (p.value = {});
      for (const key of Object.keys(n.s)) {
        const el = n.s[key];
        const r = run(el, fresh(v[key]));
        const present = key in v;
        const optional = el.t === 'optional';
        if (!present && optional) continue;
        p.issues.push(...prefix(key, r.issues));
        if (!present && el.t !== 'default') {
          if (!r.issues.length) p.issues.push({ code: 'invalid_type', expected: 'nonoptional', path: [key] });
        } else out[key] = r.value;
      }
      if (n.strict) {
        const keys: string[] = [];
        for (const key in v) if (!Object.prototype.hasOwnProperty.call(n.s, key)) keys.push(key);
        if (keys.length) p.issues.push({ code: 'unrecognized_keys', keys, path: [], continue: true });
      }
      return p;
    }
    case 'union': {
      const results: Payload[] = [];
      for (const o of n.o) {
        const r = run(o, fresh(v));
        if (!r.issues.length) return r;
        results.push(r);
      }
      const live = results.filter((r) => !aborted(r.issues));
      return live.length === 1 ? live[0] : fail(p, { code: 'invalid_union', errors: results.map((r) => r.issues.map(finalize)) });
    }
    case 'disc': {
      if (!isObject(v)) return fail(p, { code: 'invalid_type', expected: 'object' });
      const option = n.o.find((o) => o.t === 'object' && (o.s[n.k] as { v: unknown[] }).v.includes(v[n.k]));
      if (option) return run(option, p);
      return fail(p, { code: 'invalid_union', errors: [], note: 'No matching discriminator', discriminator: n.k, path: [n.k] });
    }
  }
}

/** zod's check loop: a check is skipped once an issue aborted, unless it has a `when` (length checks, some rules). */
function runChecks(checks: Check[], p: Payload): void {
  let stop = aborted(p.issues);
  for (const c of checks) {
    const rule: ConfigRule | undefined = c.k === 'rule' ? configRules[c.v] : undefined;
    const when = c.k === 'min' || c.k === 'max' ? (v: any) => v != null && v.length !== undefined : rule?.when;
    if (when) {
      if (p.issues.some((i) => i.continue === false) || !when(p.value)) continue;
    } else if (stop) continue;
    const before = p.issues.length;
    check(c, rule, p);
    stop ||= aborted(p.issues, before);
  }
}

function check(c: Check, rule: ConfigRule | undefined, p: Payload): void {
  const v = p.value;
  const issue = (code: string, more?: Partial<Issue>) => p.issues.push({ code, path: [], message: (c as { m?: string }).m, continue: true, ...more });
  switch (c.k) {
    case 'min':
    case 'max': {
      const length = typeof v === 'string' ? [...v].length : v.length;
      if (c.k === 'min' ? length < c.v : length > c.v) issue(c.k === 'min' ? 'too_small' : 'too_big');
      return;
    }
    case 'gt':
      return void (v > c.v || issue('too_small'));
    case 'gte':
      return void (v >= c.v || issue('too_small'));
    case 'lt':
      return void (v < c.v || issue('too_big'));
    case 'lte':
      return void (v <= c.v || issue('too_big'));
    case 'regex':
      return void (new RegExp(c.v, c.f).test(v) || issue('invalid_format'));
    case 'int':
      if (!Number.isInteger(v)) issue('invalid_type', { expected: 'int', continue: false });
      else if (!Number.isSafeInteger(v)) issue(v > 0 ? 'too_big' : 'too_small');
      return;
    case 'rule':
      return rule!.check(v, (message, path) => void p.issues.push({ code: 'custom', message, path: path ?? [], continue: true }));
  }
}
