// debug: true explains every signal: which goals converted, and why near misses did not.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Tracker } from '../../src/tracker';
import { recordingFetch, resetPage, startTracker } from './privacyHelpers';

const goals = [
  { id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thank-you' } },
  { id: 'contact', kind: 'destination', url: '/contact' },
  { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart', category: 'shop' } },
  { id: 'newsletter', kind: 'event', supports: 'purchase', event: { action: 'subscribe' } },
  { id: 'browsed', kind: 'pagesPerSession', pages: 3, supports: 'purchase' },
];

let log: MockInstance;
let t: Tracker;
/** The explanation lines (not the hit dumps) logged since the last call. */
const explained = () => {
  const lines = log.mock.calls.filter((c) => typeof c[1] === 'string' && /converted/.test(c[1])).map((c) => c[1] as string);
  log.mockClear();
  return lines;
};

beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  t.destroy();
  resetPage();
  history.replaceState(null, '', '/');
});

describe('debug explanations', () => {
  it('a page view: near misses say why, in the words of the issue; unrelated goals stay quiet', () => {
    history.replaceState(null, '', '/checkout/thanks?id=1#top');
    t = startTracker({ debug: true, goals: goals as never }, recordingFetch());
    expect(explained()).toEqual([
      'page view "/checkout/thanks?id=1": no goal converted' +
        '\n  pagesPerSession "browsed": 1 of 3 pages' +
        '\n  destination "purchase": "/checkout/thanks?id=1" did not match beginsWith "/checkout/thank-you"',
    ]);
  });

  it('events: a misspelt action and a wrong category are near misses; other actions are not', () => {
    t = startTracker({ debug: true, goals: goals as never }, recordingFetch());
    explained();
    t.track('addToCart', { category: 'shop' });
    t.track('add_to_cart', { category: 'blog' });
    t.track('play_video');
    expect(explained()).toEqual([
      'event "addToCart": no goal converted\n  event "add_to_cart": action "addToCart" did not match equals "add_to_cart"',
      'event "add_to_cart": no goal converted\n  event "add_to_cart": category "blog" did not match equals "shop"',
      'event "play_video": no goal converted',
    ]);
  });

  it('says what converted, and that a goal converts once per session', () => {
    t = startTracker({ debug: true, goals: goals as never }, recordingFetch());
    explained();
    t.track('add_to_cart', { category: 'shop' });
    t.pageview('/checkout/thank-you');
    t.pageview('/checkout/thank-you?again=1');
    t.goal('purchase');
    expect(explained()).toEqual([
      'event "add_to_cart": converted "add_to_cart" (micro)',
      'page view "/checkout/thank-you": converted "purchase" (macro)\n  pagesPerSession "browsed": 2 of 3 pages',
      'page view "/checkout/thank-you?again=1": converted "browsed" (micro)\n  destination "purchase": already converted this session',
      'goal("purchase"): no goal converted\n  destination "purchase": already converted this session',
    ]);
  });

  it('logs every hit, and nothing at all without debug', () => {
    t = startTracker({ debug: true, goals: goals as never }, recordingFetch());
    expect(log.mock.calls.some((c) => c[1] === 'pageview' && c[2]?.type === 'pageview')).toBe(true);
    t.destroy();
    log.mockClear();
    t = startTracker({ goals: goals as never }, recordingFetch());
    t.track('addToCart');
    expect(log).not.toHaveBeenCalled();
  });
});
