import { describe, expect, test } from 'vitest';
import { parseConfig, type GoalpostConfig } from '../../src/config';
import { createEngine } from '../../src/engine';
import { emptyGoalState, type GoalState, type Signal } from '../../src/goals/types';

function engineFor(goals: GoalpostConfig['goals']) {
  const r = parseConfig({ endpoint: '/c', goals });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return createEngine(r.config.goals);
}

/** Runs signals in order, returning every conversion as [id, details] and the final state. */
function run(engine: ReturnType<typeof createEngine>, signals: Signal[], state: GoalState = emptyGoalState()) {
  const out: { id: string; role: string; value?: number; assists?: string[]; funnel?: boolean[]; supports: string[] }[] = [];
  for (const s of signals) {
    const r = engine.evaluate(state, s);
    state = r.state;
    for (const c of r.conversions) out.push({ id: c.goal.id, role: c.role, value: c.value, assists: c.assists, funnel: c.funnel, supports: c.supports });
  }
  return { out, state };
}
const pv = (path: string): Signal => ({ type: 'pageview', path });
const ev = (action: string, more: Partial<Extract<Signal, { type: 'event' }>> = {}): Signal => ({ type: 'event', action, ...more });

describe('destination goals', () => {
  const engine = engineFor([
    { id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thanks' }, value: 40,
      funnel: [{ url: '/cart' }, { url: { beginsWith: '/checkout' } }] },
  ]);
  test('convert on a matching page view, once per session, with the funnel steps seen', () => {
    const { out } = run(engine, [pv('/'), pv('/cart'), pv('/checkout/thanks?order=1'), pv('/checkout/thanks')]);
    // /checkout/thanks itself begins with /checkout, so step 2 counts as seen on arrival.
    expect(out).toEqual([{ id: 'purchase', role: 'macro', value: 40, assists: [], funnel: [true, true], supports: [] }]);
  });
  test('report steps not seen', () => {
    const { out } = run(engine, [pv('/blog'), pv('/Checkout/Thanks')]);
    expect(out[0].funnel).toEqual([false, true]);
  });
  test('match pathname + search', () => {
    const e = engineFor([{ id: 'lead', kind: 'destination', url: { regex: '^/contact\\?sent=1$' } }]);
    expect(run(e, [pv('/contact')]).out).toEqual([]);
    expect(run(e, [pv('/contact?sent=1')]).out.map((c) => c.id)).toEqual(['lead']);
  });
});

describe('pages per session', () => {
  test('converts on the Nth page view of the session', () => {
    const e = engineFor([{ id: 'browsed', kind: 'pagesPerSession', pages: 3 }]);
    const r = run(e, [pv('/a'), pv('/b')]);
    expect(r.out).toEqual([]);
    expect(r.state.pages).toBe(2);
    expect(run(e, [pv('/c'), pv('/d')], r.state).out.map((c) => c.id)).toEqual(['browsed']);
  });
});

describe('duration goals', () => {
  const e = engineFor([
    { id: 'long', kind: 'duration', seconds: 120 },
    { id: 'engaged', kind: 'duration', seconds: 30, engaged: true },
  ]);
  test('session time and engaged time are separate thresholds', () => {
    expect(run(e, [{ type: 'time', sessionMs: 119_999, engagedMs: 29_999 }]).out).toEqual([]);
    expect(run(e, [{ type: 'time', sessionMs: 120_000, engagedMs: 0 }]).out.map((c) => c.id)).toEqual(['long']);
    expect(run(e, [{ type: 'time', sessionMs: 1000, engagedMs: 30_000 }]).out.map((c) => c.id)).toEqual(['engaged']);
  });
  test('pendingDurations lists what the clock still waits for', () => {
    const { state } = run(e, [{ type: 'time', sessionMs: 120_000, engagedMs: 0 }]);
    expect(e.pendingDurations(state).map((d) => [d.thresholdMs, d.engaged])).toEqual([[30_000, true]]);
  });
});

describe('event goals', () => {
  test('every given field must match; value conditions; "value": "event"', () => {
    const e = engineFor([
      { id: 'big_cart', kind: 'event', event: { action: 'add_to_cart', category: { beginsWith: 'coffee' }, value: { gte: 20, lt: 100 } }, value: 'event' },
    ]);
    expect(run(e, [ev('add_to_cart', { category: 'tea', value: 50 })]).out).toEqual([]);
    expect(run(e, [ev('add_to_cart', { category: 'coffee/beans', value: 19 })]).out).toEqual([]);
    expect(run(e, [ev('add_to_cart', { category: 'coffee/beans' })]).out).toEqual([]);
    expect(run(e, [ev('ADD_TO_CART', { category: 'Coffee/beans', value: 20 })]).out).toEqual([
      { id: 'big_cart', role: 'macro', value: 20, assists: [], funnel: undefined, supports: [] },
    ]);
  });
  test('eq, gt and lte conditions, and label matches', () => {
    const e = engineFor([
      { id: 'eq', kind: 'event', event: { value: { eq: 3 } } },
      { id: 'range', kind: 'event', event: { value: { gt: 1, lte: 2 } } },
      { id: 'label', kind: 'event', event: { label: { regex: '^sku-\\d+$', caseSensitive: true } } },
    ]);
    expect(run(e, [ev('x', { value: 3 })]).out.map((c) => c.id)).toEqual(['eq']);
    expect(run(e, [ev('x', { value: 2 })]).out.map((c) => c.id)).toEqual(['range']);
    expect(run(e, [ev('x', { value: 1 })]).out).toEqual([]);
    expect(run(e, [ev('x', { label: 'SKU-1' })]).out).toEqual([]);
    expect(run(e, [ev('x', { label: 'sku-1' })]).out.map((c) => c.id)).toEqual(['label']);
  });
  test('"on" goals convert only on their own DOM event, and a configured value wins over the event', () => {
    const e = engineFor([{ id: 'newsletter', kind: 'event', on: { submit: 'form.newsletter' }, value: 5 }]);
    expect(run(e, [ev('newsletter')]).out).toEqual([]);
    expect(run(e, [ev('newsletter', { dom: 'newsletter', value: 99 })]).out.map((c) => [c.id, c.value])).toEqual([['newsletter', 5]]);
  });
});

describe('micro goals and assists', () => {
  const e = engineFor([
    { id: 'purchase', kind: 'destination', url: '/thanks', funnel: [{ url: '/cart' }] },
    { id: 'lead', kind: 'destination', url: '/contact/sent' },
    { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' }, value: 'event' },
    { id: 'browsed', kind: 'pagesPerSession', pages: 2, supports: ['purchase', 'lead'] },
    { id: 'brochure', kind: 'event', supports: 'lead', event: { action: 'download' } },
  ]);
  test('micro goals carry role and supports; a macro goal lists its own micro goals reached earlier', () => {
    const { out } = run(e, [pv('/'), ev('download'), ev('add_to_cart', { value: 12 }), pv('/cart'), pv('/thanks'), pv('/contact/sent')]);
    expect(out).toEqual([
      { id: 'brochure', role: 'micro', value: undefined, assists: undefined, funnel: undefined, supports: ['lead'] },
      { id: 'add_to_cart', role: 'micro', value: 12, assists: undefined, funnel: undefined, supports: ['purchase'] },
      { id: 'browsed', role: 'micro', value: undefined, assists: undefined, funnel: undefined, supports: ['purchase', 'lead'] },
      { id: 'purchase', role: 'macro', value: undefined, assists: ['add_to_cart', 'browsed'], funnel: [true], supports: [] },
      { id: 'lead', role: 'macro', value: undefined, assists: ['brochure', 'browsed'], funnel: undefined, supports: [] },
    ]);
  });
  test('manual conversion: declared goals only, value override, still once per session', () => {
    const r1 = run(e, [{ type: 'manual', id: 'purchase', value: 99.5 }]);
    expect(r1.out.map((c) => [c.id, c.value])).toEqual([['purchase', 99.5]]);
    expect(run(e, [pv('/thanks')], r1.state).out).toEqual([]);
    expect(run(e, [{ type: 'manual', id: 'nope' }]).out).toEqual([]);
  });
  test('evaluate is pure: the input state is not changed', () => {
    const state = emptyGoalState();
    e.evaluate(state, pv('/thanks'));
    expect(state).toEqual(emptyGoalState());
  });
});

describe('debug explanations', () => {
  test('near misses say why', () => {
    const e = engineFor([{ id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thank-you' } }]);
    expect(e.evaluate(emptyGoalState(), pv('/checkout/thanks?id=1'), true).misses).toEqual([
      'destination "purchase": "/checkout/thanks?id=1" did not match beginsWith "/checkout/thank-you"',
    ]);
  });
});

describe('same-signal conversions', () => {
  test('a micro goal completed by the same page view as its macro goal assists it, whatever the declaration order', () => {
    const e = engineFor([
      { id: 'purchase', kind: 'destination', url: '/thanks' },
      { id: 'browsed', kind: 'pagesPerSession', pages: 2, supports: 'purchase' },
    ]);
    expect(run(e, [pv('/'), pv('/thanks')]).out.map((c) => [c.id, c.assists])).toEqual([
      ['browsed', undefined],
      ['purchase', ['browsed']],
    ]);
  });
});
