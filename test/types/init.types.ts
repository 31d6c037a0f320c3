/**
 * Compile-time tests, checked by `npm run typecheck` (tsc over test/): each
 * @ts-expect-error line must fail to compile, or tsc reports the directive unused.
 */
import { init, type GoalpostConfig, type Hit, type Tracker } from '../../src/index';

const tracker = init({
  endpoint: '/collect',
  goals: [
    { id: 'purchase', kind: 'destination', url: { beginsWith: '/thanks' } },
    { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' }, value: 'event' },
  ],
});

tracker.goal('purchase');
tracker.goal('add_to_cart', 12);
// @ts-expect-error: an undeclared goal id does not compile when the config is a literal
tracker.goal('purchse');
// @ts-expect-error: goal values are numbers
tracker.goal('purchase', '12');
tracker.track('add_to_cart', { value: 12, category: 'coffee', size: '1kg' });
// @ts-expect-error: track needs an action
tracker.track();
// @ts-expect-error: value is a number
tracker.track('x', { value: 'high' });
// @ts-expect-error: consent is granted or denied
tracker.consent('maybe');

// A config loaded from JSON is not a literal: any goal id is allowed (checked at run time).
declare const loaded: GoalpostConfig;
const loose: Tracker<string> = init(loaded);
loose.goal('anything');

// @ts-expect-error: an unknown goal kind does not compile
init({ endpoint: '/c', goals: [{ id: 'x', kind: 'pageviews' }] });
// @ts-expect-error: endpoint is required
init({ goals: [] });

// Hits are a discriminated union on `type`.
declare const hit: Hit;
if (hit.type === 'goal') {
  const role: 'macro' | 'micro' = hit.goal.role;
  void role;
}
