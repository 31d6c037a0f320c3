/**
 * The script-tag build validates config with a validator written from the zod
 * schema (configPlan.ts, parseWithPlan.ts) instead of zod itself. These tests hold the two
 * to the same answers: identical problem lines and identical parsed configs,
 * on hand-written configs for every message and on thousands of mutants.
 */
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../src/config';
import { planConfig } from '../../src/configPlan';
import * as R from '../../src/configRules';
import { withoutProtoKeys } from '../../src/lib/withoutProtoKeys';
import { z } from '../../src/lib/zod';
import * as P from '../../src/parseWithPlan';

const { parseWithPlan } = P;
// Evaluated from its source, the very code the build inlines.
const plan: P.Node = new Function('P', 'R', `${planConfig(configSchema)}\nreturn plan;`)(P, R);
const both = (input: unknown) => ({ zod: parseConfig(input), compact: parseWithPlan(plan, input) });

function expectSame(input: unknown) {
  const { zod, compact } = both(input);
  expect(compact).toEqual(zod);
  // toEqual ignores key order and undefined-valued keys; the JSON does not.
  expect(JSON.stringify(compact)).toBe(JSON.stringify(zod));
  return zod;
}

const ep = '/collect';
const valid = () => ({
  endpoint: 'https://collect.example.com/hits',
  site: 'shop',
  currency: 'EUR',
  goals: [
    { id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thanks' }, value: 40, funnel: [{ url: '/cart' }, { url: { beginsWith: '/checkout' }, name: 'checkout' }] },
    { id: 'signup', name: 'Sign-up', kind: 'destination', url: { regex: '^/welcome(/|$)', caseSensitive: true } },
    { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart', category: { equals: 'shop' }, value: { gt: 0, lte: 1000 } }, value: 'event' },
    { id: 'newsletter', kind: 'event', supports: ['purchase', 'signup'], on: { submit: 'form.newsletter' } },
    { id: 'engaged', kind: 'duration', seconds: 120, engaged: true, supports: 'purchase' },
    { id: 'browsed', kind: 'pagesPerSession', pages: 4, supports: 'purchase', value: 1 },
  ],
  session: { timeoutMinutes: 30 },
  batch: { maxHits: 10, flushIntervalMs: 5000 },
  privacy: { respectDoNotTrack: true, requireConsent: false, stripQueryParams: ['coupon'] },
  timing: true,
  debug: false,
});

describe('compact config validator', () => {
  it('accepts valid configs with the same output as zod, defaults filled in', () => {
    expect(expectSame(valid()).ok).toBe(true);
    const minimal = expectSame({ endpoint: ep });
    expect(minimal).toEqual({
      ok: true,
      config: {
        endpoint: ep, goals: [], session: { timeoutMinutes: 30 }, batch: { maxHits: 10, flushIntervalMs: 5000 },
        privacy: { respectDoNotTrack: true, requireConsent: false, stripQueryParams: [] }, timing: true, debug: false,
      },
    });
    expectSame({ endpoint: ep, session: {}, batch: { maxHits: 1 }, privacy: { stripQueryParams: [] }, site: undefined });
  });

  it('does not share default objects between parses', () => {
    const a = parseWithPlan(plan, { endpoint: ep });
    const b = parseWithPlan(plan, { endpoint: ep });
    expect(a.ok && b.ok && a.config.privacy !== b.config.privacy && a.config.goals !== b.config.goals).toBe(true);
  });

  it('fills defaults on a page that gave arrays a toJSON (Prototype.js)', () => {
    const proto = Array.prototype as unknown as { toJSON?: () => string };
    proto.toJSON = () => 'array-as-string';
    try {
      const r = parseWithPlan(plan, { endpoint: ep });
      expect(r.ok && r.config.goals).toEqual([]);
      expect(r.ok && r.config.privacy.stripQueryParams).toEqual([]);
    } finally {
      delete proto.toJSON;
    }
  });

  it('fills object defaults from nothing a page put on Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'timeoutMinutes', { value: 5, configurable: true, writable: true });
    try {
      const r = parseWithPlan(plan, { endpoint: ep });
      expect(r.ok && r.config.session).toEqual({ timeoutMinutes: 30 });
    } finally {
      delete (Object.prototype as { timeoutMinutes?: number }).timeoutMinutes;
    }
  });

  it('agrees with zod on a page that polluted Object.prototype (hidden during the parse, as init() does)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      expect(withoutProtoKeys(() => expectSame(valid())).ok).toBe(true);
      expect(withoutProtoKeys(() => expectSame({ endpoint: ep, session: {}, goals: [{ id: 'a', kind: 'nope' }, { id: 'b', kind: 'event', on: {} }] })).ok).toBe(false);
    } finally {
      delete proto.polluted;
    }
  });

  // Every message the core issue asks for, checked word for word on both validators.
  const named: [string, unknown, string[]][] = [
    ['unknown macro goal', { endpoint: ep, goals: [{ id: 'purchase', kind: 'destination', url: '/t' }, { id: 'a', kind: 'pagesPerSession', pages: 2 }, { id: 'b', kind: 'pagesPerSession', pages: 3, supports: 'purchse' }] },
      ['goals[2].supports: unknown macro goal "purchse" (known: purchase, a)']],
    ['micro supporting micro', { endpoint: ep, goals: [{ id: 'm', kind: 'destination', url: '/t' }, { id: 'a', kind: 'pagesPerSession', pages: 2, supports: 'm' }, { id: 'b', kind: 'pagesPerSession', pages: 3, supports: ['a'] }] },
      ['goals[2].supports: "a" is a micro goal; micro goals support macro goals only (known: m)']],
    ['supporting itself, empty list', { endpoint: ep, goals: [{ id: 'a', kind: 'pagesPerSession', pages: 2, supports: 'a' }, { id: 'b', kind: 'pagesPerSession', pages: 2, supports: [] }] },
      ['goals[0].supports: a goal cannot support itself ("a")', 'goals[1].supports: name at least one macro goal, or leave "supports" out to make this a macro goal']],
    ['duplicate ids', { endpoint: ep, goals: [{ id: 'a', kind: 'pagesPerSession', pages: 2 }, { id: 'a', kind: 'duration', seconds: 3 }] },
      ['goals[1].id: duplicate goal id "a" (also goals[0])']],
    ['bad regex', { endpoint: ep, goals: [{ id: 'a', kind: 'destination', url: { regex: '(' } }] },
      ['goals[0].url.regex: not a valid regular expression: "("']],
    ['unknown kind', { endpoint: ep, goals: [{ id: 'a', kind: 'purchase' }, { id: 'b' }] },
      ['goals[0].kind: unknown goal kind "purchase" (use destination, duration, pagesPerSession or event)', 'goals[1].kind: a goal needs a "kind": destination, duration, pagesPerSession or event']],
    ['unknown keys', { endpoint: ep, goal: [], debugg: true }, ['config: unknown keys "goal", "debugg"']],
    ['unknown key in a goal and a match', { endpoint: ep, goals: [{ id: 'a', kind: 'destination', url: { equals: '/', regexp: 'x' }, valu: 1 }] },
      ['goals[0].url: unknown key "regexp"', 'goals[0]: unknown key "valu"']],
    ['wrong types', { endpoint: 5, debug: 'yes', goals: {}, batch: [] },
      ['endpoint: must be text, got 5', 'goals: must be a list, got an object', 'batch: must be an object, got a list', 'debug: must be true or false, got "yes"']],
    ['missing', { goals: [{ kind: 'duration' }] }, ['endpoint: is required (text)', 'goals[0].id: is required (text)', 'goals[0].seconds: is required (a number)']],
    ['ranges', { endpoint: ep, batch: { maxHits: 0, flushIntervalMs: 10 }, session: { timeoutMinutes: 0 }, goals: [{ id: 'a', kind: 'pagesPerSession', pages: 1.5 }] },
      ['session.timeoutMinutes: must be more than 0 minutes', 'batch.maxHits: must be at least 1', 'batch.flushIntervalMs: must be at least 100 ms', 'goals[0].pages: must be a whole number, got 1.5']],
    ['too many hits', { endpoint: ep, batch: { maxHits: 10001 } }, ['batch.maxHits: must be at most 10000']],
    ['event value on another kind', { endpoint: ep, goals: [{ id: 'a', kind: 'pagesPerSession', pages: 2, value: 'event' }] },
      ['goals[0].value: "event" as a value works only on event goals; give a number']],
    ['event goal needs one of event/on', { endpoint: ep, goals: [{ id: 'a', kind: 'event' }, { id: 'b', kind: 'event', on: { click: 'a', submit: 'form' } }] },
      ['goals[0]: an event goal needs exactly one of "event" or "on"', 'goals[1].on: give exactly one of click or submit']],
    ['match needs one op', { endpoint: ep, goals: [{ id: 'a', kind: 'destination', url: { equals: '/a', beginsWith: '/b' } }] },
      ['goals[0].url: give exactly one of equals, beginsWith or regex']],
    ['bad selector', { endpoint: ep, goals: [{ id: 'a', kind: 'event', on: { click: 'a[' } }] }, ['goals[0].on.click: not a valid CSS selector']],
    ['script URLs and currency', { endpoint: 'javascript:alert(1)', currency: 'euro', site: 'x'.repeat(101) },
      ['endpoint: must be an http(s) or relative URL', 'site: at most 100 characters', 'currency: must be a 3-letter currency code such as "EUR"']],
    // zod's int check stops even the checks that run after other failures, so the goal graph waits until this is fixed.
    ['a fraction hides the goal graph', { endpoint: ep, goals: [{ id: 'a', kind: 'pagesPerSession', pages: 2.5, supports: 'nope' }] },
      ['goals[0].pages: must be a whole number, got 2.5']],
    ['a union that fits no option', { endpoint: ep, goals: [{ id: 'a', kind: 'destination' }, { id: 'b', kind: 'destination', url: 5, supports: {} }, { id: 'c', kind: 'event', event: {}, value: 'x' }] },
      ['goals[0].url: is required (text or an object)', 'goals[1].supports: must be text or a list, got an object', 'goals[1].url: must be text or an object, got 5', 'goals[2].value: must be a number or "event", got "x"']],
    ['not an object', 'nope', ['config: must be an object, got "nope"']],
    // Names an object inherits are still unknown keys (the compact validator looks at own keys only).
    ['inherited names as keys', { endpoint: ep, constructor: 1, toString: 'x', goals: [{ id: 'a', kind: 'pagesPerSession', pages: 2, hasOwnProperty: 1 }] },
      ['config: unknown keys "constructor", "toString"', 'goals[0]: unknown key "hasOwnProperty"']],
    // Lengths count code points, as zod does: 100 emoji are 100 characters, 101 are too many.
    ['lengths in code points', { endpoint: ep, site: '\u{1F600}'.repeat(100), goals: [{ id: '\u{1F600}'.repeat(101), kind: 'pagesPerSession', pages: 2 }] },
      ['goals[0].id: goal ids are at most 100 characters']],
  ];
  for (const [name, input, problems] of named) {
    it(`words "${name}" the same`, () => {
      const r = expectSame(input);
      expect(r.ok ? [] : r.problems).toEqual(problems);
    });
  }

  it('agrees with zod on 3,000 mutated configs', () => {
    const rand = mulberry32(7);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
    const values = [undefined, null, 0, -1, 1, 1.5, 0.5, -2.5, 1e300, -1e300, Infinity, NaN, '', ' ', 'x', 'event', 'purchase', 'signup', 'add_to_cart', '(', 'a[', 'javascript:x', 'x'.repeat(120), '😀'.repeat(60), true, false, [], [1], ['purchase'], ['nope', 'purchase'], {}, { regex: '(' }, { regex: 'a', x: 1 }, { equals: 'a', beginsWith: 'b' }, { click: 'a' }, { gt: 'x' }, { id: 'q', kind: 'duration', seconds: 1 }, { id: 5, kind: 'event' }, { kind: 'nope' }];
    let failed = 0;
    for (let n = 0; n < 3000; n++) {
      const config: any = valid();
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) mutate(config, rand, pick, values);
      const { zod, compact } = both(config);
      if (JSON.stringify(zod) !== JSON.stringify(compact)) {
        failed++;
        if (failed < 4) expect({ config, compact }).toEqual({ config, compact: zod });
      }
      if (!zod.ok) expect(zod.problems.join('\n')).not.toMatch(/Invalid input|undefined/);
    }
    expect(failed).toBe(0);
  }, 60_000);

  it('fails loudly on zod features it cannot follow, instead of drifting', () => {
    expect(() => planConfig(z.object({ a: z.pipe(z.string(), z.transform((s) => s.length)) }))).toThrow(/pipe/);
    expect(() => planConfig(z.string().check(z.refine((s) => s.length > 2, 'too short')))).toThrow(/rule of configRules/);
    expect(() => planConfig(z.string().check(z.maxLength(3)))).toThrow(/without a message/);
    expect(() => planConfig(z.record(z.string(), z.string()))).toThrow(/record/);
    expect(() => planConfig(z.object({ a: z.string() }))).toThrow(/not strict/);
    expect(() => planConfig(z._default(z.number().check(z.gt(0, 'more')), -1))).toThrow(/default that its own schema refuses/);
    expect(() => planConfig(z.strictObject({ a: z.literal([undefined]) }))).toThrow(/plain JSON/);
    expect(() => planConfig(z.string().check(z.regex(/a/g, 'no')))).toThrow(/flags g/);
  });
});

/** Changes one random place in the config tree. */
function mutate(config: any, rand: () => number, pick: <T>(a: readonly T[]) => T, values: unknown[]): void {
  // Walk down a random path of objects and arrays.
  let parent: any = config;
  let key: string | number = pick(Object.keys(config));
  for (let depth = 0; depth < 5 && parent[key] && typeof parent[key] === 'object' && rand() < 0.75; depth++) {
    parent = parent[key];
    const keys: (string | number)[] = Array.isArray(parent) ? parent.map((_: unknown, i: number) => i) : Object.keys(parent);
    if (!keys.length) break;
    key = pick(keys);
  }
  const r = rand();
  if (r < 0.15) delete parent[key];
  else if (r < 0.25 && !Array.isArray(parent)) parent[pick(['extra', 'goal', 'valu', 'kind', 'id', 'supports', 'regexp'])] = pick(values);
  else if (r < 0.35 && Array.isArray(parent)) parent.push(structuredCloneSafe(pick(parent.length ? parent : values)));
  else if (r < 0.45 && Array.isArray(config.goals) && config.goals.length) {
    const g = pick(config.goals as any[]);
    if (g && typeof g === 'object') g.kind = pick(['destination', 'duration', 'pagesPerSession', 'event', 'Event', 'nope']);
  } else parent[key] = structuredCloneSafe(pick(values));
}

const structuredCloneSafe = (v: unknown) => (v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v);

function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
