import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config';
import { z } from '../../src/lib/zod';

const ok = (config: unknown) => {
  const r = parseConfig(config);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
};
const problems = (config: unknown) => {
  const r = parseConfig(config);
  if (r.ok) throw new Error('expected the config to be rejected');
  return r.problems;
};

describe('parseConfig', () => {
  test('fills every default', () => {
    expect(ok({ endpoint: '/collect' })).toEqual({
      endpoint: '/collect',
      goals: [],
      session: { timeoutMinutes: 30 },
      batch: { maxHits: 10, flushIntervalMs: 5000 },
      privacy: { respectDoNotTrack: true, requireConsent: false, stripQueryParams: [] },
      timing: true,
      debug: false,
    });
  });

  test('accepts the SPEC example with all four kinds', () => {
    const c = ok({
      endpoint: 'https://collect.example.com/hits', site: 'shop', currency: 'EUR',
      goals: [
        { id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thanks' }, value: 40,
          funnel: [{ url: '/cart' }, { url: { beginsWith: '/checkout' } }] },
        { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' }, value: 'event' },
        { id: 'newsletter', kind: 'event', supports: 'purchase', on: { submit: 'form.newsletter' } },
        { id: 'engaged', kind: 'duration', seconds: 120, supports: 'purchase' },
        { id: 'browsed', kind: 'pagesPerSession', pages: 4, supports: 'purchase' },
      ],
      session: { timeoutMinutes: 30 }, batch: { maxHits: 10, flushIntervalMs: 5000 },
      privacy: { respectDoNotTrack: true, requireConsent: false, stripQueryParams: ['coupon'] }, debug: false,
    });
    expect(c.goals.map((g) => g.kind)).toEqual(['destination', 'event', 'event', 'duration', 'pagesPerSession']);
  });

  test('names an unknown macro goal and lists the known ones', () => {
    expect(problems({ endpoint: '/c', goals: [
      { id: 'purchase', kind: 'destination', url: '/thanks' },
      { id: 'lead', kind: 'destination', url: '/lead' },
      { id: 'cart', kind: 'event', event: { action: 'add' }, supports: 'purchse' },
    ] })).toEqual(['goals[2].supports: unknown macro goal "purchse" (known: purchase, lead)']);
  });

  test('refuses a micro goal that supports a micro goal, duplicates, unknown kinds, bad regexes, all in one pass', () => {
    const p = problems({ endpoint: '/c', goals: [
      { id: 'purchase', kind: 'destination', url: { regex: '/thanks(' } },
      { id: 'cart', kind: 'event', event: { action: 'add' }, supports: 'purchase' },
      { id: 'view', kind: 'event', event: { action: 'view' }, supports: ['cart'] },
      { id: 'cart', kind: 'pagesPerSession', pages: 3, supports: 'purchase' },
      { id: 'x', kind: 'goal' },
    ] });
    expect(p).toEqual(expect.arrayContaining([
      'goals[0].url.regex: not a valid regular expression: "/thanks("',
      'goals[2].supports: "cart" is a micro goal; micro goals support macro goals only (known: purchase, x)',
      'goals[3].id: duplicate goal id "cart" (also goals[1])',
      'goals[4].kind: unknown goal kind "goal" (use destination, duration, pagesPerSession or event)',
    ]));
    expect(p).toHaveLength(4);
  });

  test('explains wrong types, ranges, unknown keys and unsafe endpoints by path', () => {
    const p = problems({
      endpoint: 'javascript:alert(1)', batch: { maxHits: 0, flushIntervalMs: 10 }, session: { timeoutMinutes: 0 },
      goals: [
        { id: 'a', kind: 'duration', seconds: '60' },
        { id: 'b', kind: 'pagesPerSession', pages: 2.5, supprots: 'a' },
        { id: 'c', kind: 'destination', url: { beginsWith: '/a', equals: '/b' }, value: 'event' },
        { id: 'd', kind: 'event' },
        { id: 'e', kind: 'event', on: { click: '##' } },
      ],
    });
    expect(p).toEqual(expect.arrayContaining([
      'endpoint: must be an http(s) or relative URL',
      'batch.maxHits: must be at least 1',
      'batch.flushIntervalMs: must be at least 100 ms',
      'session.timeoutMinutes: must be more than 0 minutes',
      'goals[0].seconds: must be a number, got "60"',
      'goals[1]: unknown key "supprots"',
      'goals[2].value: "event" as a value works only on event goals; give a number',
      'goals[2].url: give exactly one of equals, beginsWith or regex',
      'goals[3]: an event goal needs exactly one of "event" or "on"',
      'goals[4].on.click: not a valid CSS selector',
    ]));
    expect(p.find((x) => x.startsWith('goals[1].pages'))).toMatch(/whole number|integer/i);
  });

  test('rejects things that are not a config at all', () => {
    expect(problems(null)).toEqual(['config: must be an object, got null']);
    expect(problems('x')).toEqual(['config: must be an object, got "x"']);
    expect(problems({})).toEqual(['endpoint: is required (text)']);
  });

  test('zod runs jitless, so a strict CSP sees no new Function probe', () => {
    expect(z.config().jitless).toBe(true);
  });
});
