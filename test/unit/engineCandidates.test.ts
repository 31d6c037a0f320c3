/**
 * The engine meets an event only with the goals that could match it (an
 * index by action, for speed). With `explain` on it still walks every goal of
 * the signal's kind: the two paths must always agree.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { createEngine } from '../../src/engine';
import { emptyGoalState, type GoalState, type Signal } from '../../src/goals/types';
import { benchEvents, benchGoals } from '../../bench/goals.mjs';

describe('engine candidates', () => {
  it('indexed and full walks convert the same goals in the same order', () => {
    const parsed = parseConfig({ endpoint: '/c', goals: [...benchGoals(), { id: 'case', kind: 'event', event: { action: { equals: 'Scroll_Depth', caseSensitive: true } } }] });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const engine = createEngine(parsed.config.goals);
    const paths = ['/', '/cart', '/checkout/step1', '/checkout/step1/done', '/thanks/4/x', '/confirm/2'];
    const actions = [...benchEvents.map(([a]) => a), 'ADD_TO_CART', 'cta_0', 'Cta_4', 'form_send_2', 'video_1x', 'newsletter', 'Scroll_Depth', 'share_3'];
    let fast: GoalState = emptyGoalState();
    let full: GoalState = emptyGoalState();
    let converted = 0;
    for (let i = 0; i < 400; i++) {
      const signal: Signal =
        i % 5 === 4
          ? { type: 'pageview', path: paths[i % paths.length] }
          : { type: 'event', action: actions[i % actions.length], category: i % 3 ? 'media' : 'form', label: i % 2 ? 'footer' : undefined, value: i % 7 };
      const a = engine.evaluate(fast, signal, false);
      const b = engine.evaluate(full, signal, true);
      expect(a.conversions.map((c) => c.goal.id)).toEqual(b.conversions.map((c) => c.goal.id));
      expect(a.state).toEqual(b.state);
      converted += a.conversions.length;
      [fast, full] = [a.state, b.state];
      if (i % 100 === 99) [fast, full] = [emptyGoalState(), emptyGoalState()];
    }
    expect(converted).toBeGreaterThan(20);
  });
});
