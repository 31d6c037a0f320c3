/**
 * Derives the compact validator's plan from the zod config schema, at build
 * time (build/compactConfig.mjs) and in the unit tests. The schema stays the
 * one source of truth: types, checks, bounds, messages and rules all come
 * from its `_zod.def` tree. Anything this walker does not know fails loudly,
 * so a schema change the compact validator cannot follow breaks the build
 * instead of drifting. Never shipped in the script-tag file.
 */
import type { z } from './lib/zod';
import type { RuleName } from './configRules';
import type { Check, Plan } from './parseWithPlan';

type Def = Record<string, any>;

/** The plan of `schema`: plain JSON, ready to inline into the script-tag build. */
export function planConfig(schema: z.core.$ZodType): Plan {
  return planOf(schema, 'config');
}

function planOf(schema: z.core.$ZodType, at: string): Plan {
  const def = schema._zod.def as Def;
  const checks: Check[] = (def.checks ?? []).map((ch: z.core.$ZodCheck) => checkOf(ch._zod.def as Def, at));
  let plan: Plan;
  switch (def.type) {
    case 'string':
    case 'boolean':
      plan = { t: def.type };
      break;
    case 'number':
      plan = { t: 'number' };
      if (def.check === 'number_format') {
        if (def.format !== 'safeint') return unsupported(`number format ${def.format}`, at);
        checks.unshift({ k: 'int', m: messageOf(def, {}) });
      }
      break;
    case 'literal':
      plan = { t: 'literal', v: [...def.values] };
      break;
    case 'optional': {
      const inner = planOf(def.innerType, at);
      if (inner.t === 'default') return unsupported('optional(default)', at);
      plan = { t: 'optional', i: inner };
      break;
    }
    case 'default': {
      const d = def.defaultValue;
      if (JSON.stringify(JSON.parse(JSON.stringify(d))) !== JSON.stringify(d)) return unsupported('a default that is not plain JSON', at);
      plan = { t: 'default', i: planOf(def.innerType, at), d };
      break;
    }
    case 'array':
      plan = { t: 'array', e: planOf(def.element, `${at}[]`) };
      break;
    case 'object': {
      const catchall = def.catchall?._zod.def.type;
      if (catchall !== undefined && catchall !== 'never') return unsupported(`an object with a ${catchall} catchall`, at);
      const s: Record<string, Plan> = {};
      for (const key of Object.keys(def.shape)) s[key] = planOf(def.shape[key], `${at}.${key}`);
      plan = catchall === 'never' ? { t: 'object', s, strict: 1 } : { t: 'object', s };
      break;
    }
    case 'union': {
      const o = (def.options as z.core.$ZodType[]).map((option, i) => planOf(option, `${at}|${i}`));
      if (o.some((p) => p.t === 'optional' || p.t === 'default')) return unsupported('an optional union member', at);
      if (def.discriminator === undefined) {
        if (def.inclusive === false) return unsupported('z.xor', at);
        plan = { t: 'union', o };
        break;
      }
      const k: string = def.discriminator;
      if (def.unionFallback || !o.every((p) => p.t === 'object' && p.s[k]?.t === 'literal')) {
        return unsupported(`a discriminated union whose members are not objects with a literal "${k}"`, at);
      }
      plan = { t: 'disc', k, o };
      break;
    }
    default:
      return unsupported(`z.${def.type}`, at);
  }
  if (def.error && def.check !== 'number_format') return unsupported('an error message on a type (invalid_type words come from configProblems.ts)', at);
  if (checks.length) plan.c = checks;
  return plan;
}

function checkOf(def: Def, at: string): Check {
  if (def.rule) return { k: 'rule', v: def.rule as RuleName };
  const m = messageOf(def, def);
  if (m === undefined) return unsupported(`a ${def.check} check without a message`, at);
  switch (def.check) {
    case 'min_length':
      return { k: 'min', v: def.minimum, m };
    case 'max_length':
      return { k: 'max', v: def.maximum, m };
    case 'greater_than':
      return { k: def.inclusive ? 'gte' : 'gt', v: def.value, m };
    case 'less_than':
      return { k: def.inclusive ? 'lte' : 'lt', v: def.value, m };
    case 'string_format':
      if (def.format === 'regex') return { k: 'regex', v: def.pattern.source, f: def.pattern.flags, m };
  }
  return unsupported(`a ${def.check === 'custom' ? 'custom check that is not a rule of configRules.ts' : `${def.check} check`}`, at);
}

function messageOf(def: Def, issue: object): string | undefined {
  const m = def.error?.(issue);
  return typeof m === 'string' ? m : m?.message;
}

function unsupported(what: string, at: string): never {
  throw new Error(`configPlan: ${at} uses ${what}, which the compact validator does not support; extend configPlan.ts and parseWithPlan.ts`);
}
