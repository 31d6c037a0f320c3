/**
 * Writes the compact validator of the script-tag build from the zod config
 * schema, at build time (build/compactConfig.mjs) and in the unit tests: the
 * JavaScript that composes parseWithPlan.ts's functions (`P`) and
 * configRules.ts's rules (`R`) into the same validator. The schema stays the
 * one source of truth: types, checks, bounds, messages and rules all come
 * from its `_zod.def` tree. Anything this walker does not know fails loudly,
 * so a schema change the compact validator cannot follow breaks the build
 * instead of drifting. Never shipped in the script-tag file.
 */
import * as rules from './configRules';
import type { z } from './lib/zod';

type Def = Record<string, any>;
/** Source text; a nested array is one node, written once as a constant if it occurs more than once. */
type Code = string | Code[];

/**
 * Statements that define `plan`, the validator of `schema`, from the
 * namespaces `P` (parseWithPlan.ts) and `R` (configRules.ts).
 */
export function planConfig(schema: z.core.$ZodType): string {
  return planSource(nodeOf(schema, 'config'));
}

const json = (v: unknown) => JSON.stringify(v);
const list = (items: Code[]): Code[] => items.flatMap((c, i) => (i ? [',', c] : [c]));

/** `decided`: the key of an object whose literal a discriminated union has already matched. */
function nodeOf(schema: z.core.$ZodType, at: string, decided?: string): Code[] {
  const def = schema._zod.def as Def;
  const checks: Code[] = (def.checks ?? []).map((ch: z.core.$ZodCheck) => checkOf(ch._zod.def as Def, at));
  let node: Code[];
  switch (def.type) {
    case 'string':
    case 'boolean':
      node = [`P.${def.type}`];
      break;
    case 'number':
      node = ['P.number'];
      if (def.check === 'number_format') {
        if (def.format !== 'safeint') return unsupported(`number format ${def.format}`, at);
        checks.unshift(['P.int(', json(messageOf(def, {})), ')']);
      }
      break;
    case 'literal':
      node = ['P.literal(', jsonOf(def.values, at), ')'];
      break;
    case 'optional':
      if (def.innerType._zod.def.type === 'default') return unsupported('optional(default)', at);
      node = ['P.optional(', nodeOf(def.innerType, at), ')'];
      break;
    case 'default': {
      // P.withDefault parses the value it makes for undefined (a new one each time, so parses share nothing):
      // zod's default must come out of its own schema unchanged, and an object that comes out of {} is made from {}.
      const d = def.defaultValue;
      const parsesTo = (v: unknown) => {
        const r = def.innerType.safeParse(v);
        return r.success && json(r.data) === json(d);
      };
      if (!parsesTo(d)) return unsupported('a default that its own schema refuses or changes', at);
      const fresh = json(d)?.startsWith('{') && parsesTo({}) ? 'P.blank' : `()=>(${jsonOf(d, at)})`;
      node = ['P.withDefault(', nodeOf(def.innerType, at), ',', fresh, ')'];
      break;
    }
    case 'array':
      node = ['P.array(', nodeOf(def.element, `${at}[]`), ')'];
      break;
    case 'object': {
      const keys = Object.keys(def.shape);
      const field = (key: string) => (key === decided ? 'P.same' : nodeOf(def.shape[key], `${at}.${key}`));
      node = ['P.object({', ...keys.flatMap((key, i) => [`${i ? ',' : ''}${json(key)}:`, field(key)]), '})'];
      // P.object reports unknown keys: a z.object would strip them.
      const catchall = def.catchall?._zod.def.type;
      if (catchall !== 'never') return unsupported(catchall ? `an object with a ${catchall} catchall` : 'an object that is not strict (z.object)', at);
      break;
    }
    case 'union': {
      const options = def.options as z.core.$ZodType[];
      if (options.some((o) => ['optional', 'default'].includes(o._zod.def.type))) return unsupported('an optional union member', at);
      const nodes = options.map((option, i) => nodeOf(option, `${at}|${i}`, def.discriminator));
      if (def.discriminator === undefined) {
        if (def.inclusive === false) return unsupported('z.xor', at);
        node = ['P.union([', ...list(nodes), '])'];
        break;
      }
      const k: string = def.discriminator;
      const literals = options.map((o) => (o._zod.def as Def).shape?.[k]?._zod.def);
      if (def.unionFallback || !literals.every((l) => l?.type === 'literal')) {
        return unsupported(`a discriminated union whose members are not objects with a literal "${k}"`, at);
      }
      // One entry per value of the discriminator: the option it selects.
      const values = literals.flatMap((l) => [...l.values]);
      const selected = literals.flatMap((l, i) => l.values.map(() => nodes[i]));
      node = ['P.disc(', json(k), ',', jsonOf(values, at), ',[', ...list(selected), '])'];
      break;
    }
    default:
      return unsupported(`z.${def.type}`, at);
  }
  if (def.error && def.check !== 'number_format') return unsupported('an error message on a type (invalid_type words come from configProblems.ts)', at);
  return checks.length ? ['P.checked(', node, ',', ...list(checks), ')'] : node;
}

function checkOf(def: Def, at: string): Code {
  if (def.rule) {
    const { check, when } = rules.configRules[def.rule as rules.RuleName] as rules.ConfigRule;
    return `P.rule(${[check, when].filter(Boolean).map((f) => exportOf(f!, at)).join(',')})`;
  }
  const m = messageOf(def, def);
  if (m === undefined) return unsupported(`a ${def.check} check without a message`, at);
  const test = (condition: string, when = '') => `P.test(v=>${condition},${json(m)}${when})`;
  const bound = (n: unknown) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) return unsupported(`a bound of ${String(n)}`, at);
    return json(n);
  };
  switch (def.check) {
    case 'min_length':
      return test(`P.length(v)>=${bound(def.minimum)}`, ',P.hasLength');
    case 'max_length':
      return test(`P.length(v)<=${bound(def.maximum)}`, ',P.hasLength');
    case 'greater_than':
      return test(`v>${def.inclusive ? '=' : ''}${bound(def.value)}`);
    case 'less_than':
      return test(`v<${def.inclusive ? '=' : ''}${bound(def.value)}`);
    case 'string_format': {
      const pattern: RegExp = def.pattern;
      if (def.format !== 'regex') break;
      // A g or y regex keeps state between tests.
      if (/[gy]/.test(pattern.flags)) return unsupported(`a regex with flags ${pattern.flags}`, at);
      return test(`/${pattern.source}/${pattern.flags}.test(v)`);
    }
  }
  return unsupported(`a ${def.check === 'custom' ? 'custom check that is not a rule of configRules.ts' : `${def.check} check`}`, at);
}

/** A rule's function as configRules.ts exports it on its own, so the script-tag build carries only the functions. */
function exportOf(f: unknown, at: string): string {
  const name = Object.keys(rules).find((k) => rules[k as keyof typeof rules] === f);
  return name ? `R.${name}` : unsupported(`a rule function that configRules.ts does not export on its own`, at);
}

/** `v` as source, if it is plain JSON (literals, defaults). */
function jsonOf(v: unknown, at: string): string {
  if (!isJson(v)) return unsupported(`a value that is not plain JSON (${String(v)})`, at);
  return json(v);
}

function isJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length === Object.keys(v).length && v.every(isJson);
  return typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isJson);
}

function messageOf(def: Def, issue: object): string | undefined {
  const m = def.error?.(issue);
  return typeof m === 'string' ? m : m?.message;
}

function unsupported(what: string, at: string): never {
  throw new Error(`configPlan: ${at} uses ${what}, which the compact validator does not support; extend configPlan.ts and parseWithPlan.ts`);
}

/**
 * The source, with long nodes that occur more than once (the Match validator,
 * the goal id) written once as constants. gzip repeats a short node for a few
 * bytes, less than a constant costs: below 60 characters, hoisting measured larger.
 */
function planSource(root: Code[]): string {
  const text = (c: Code): string => (typeof c === 'string' ? c : c.map(text).join(''));
  const count = new Map<string, number>();
  const visit = (c: Code) => {
    if (typeof c === 'string') return;
    const t = text(c);
    count.set(t, (count.get(t) ?? 0) + 1);
    // The parts of a repeated node are written once, inside its constant.
    if (count.get(t) === 1) c.forEach(visit);
  };
  visit(root);
  const names = new Map<string, string>();
  const lines: string[] = [];
  const emit = (c: Code): string => {
    if (typeof c === 'string') return c;
    const t = text(c);
    if (names.has(t)) return names.get(t)!;
    const body = c.map(emit).join('');
    if (count.get(t)! < 2 || t.length < 60) return body;
    const name = `p${names.size}`;
    names.set(t, name);
    lines.push(`const ${name} = ${body};`);
    return name;
  };
  const plan = emit(root);
  return [...lines, `const plan = ${plan};`].join('\n');
}
