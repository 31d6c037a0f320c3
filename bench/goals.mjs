// The benchmark's site: 50 goals of all four kinds, and the events a page
// tracks in a loop. Most events match no goal (as on a real site); two
// convert once per session, so the engine's "once" path is exercised too.

/** 50 goals: 10 macro destinations, 20 event goals, 10 durations, 10 page counts. */
export function benchGoals() {
  const goals = [];
  for (let i = 0; i < 10; i++) {
    goals.push({
      id: `macro_${i}`,
      kind: 'destination',
      url: i % 3 === 0 ? { regex: `^/checkout/step${i}/(done|thanks)` } : i % 3 === 1 ? { beginsWith: `/thanks/${i}` } : `/confirm/${i}`,
      value: 10 + i,
      ...(i < 3 ? { funnel: [{ url: '/cart' }, { url: { beginsWith: `/checkout/step${i}` } }] } : {}),
    });
  }
  for (let i = 0; i < 20; i++) {
    const event =
      i % 4 === 0 ? { action: `cta_${i}` }
      : i % 4 === 1 ? { action: { beginsWith: `video_${i}` }, category: 'media' }
      : i % 4 === 2 ? { action: { regex: `^form_(submit|send)_${i}$` }, value: { gte: 1 } }
      : { action: `share_${i}`, label: { equals: 'footer', caseSensitive: true } };
    goals.push({ id: `event_${i}`, kind: 'event', supports: `macro_${i % 10}`, event, ...(i % 2 ? { value: 'event' } : {}) });
  }
  // The two goals the loop's events convert.
  goals[10].event = { action: 'add_to_cart' };
  goals[11].event = { action: { beginsWith: 'newsletter' }, category: 'form' };
  for (let i = 0; i < 10; i++) goals.push({ id: `time_${i}`, kind: 'duration', seconds: 600 + i * 60, engaged: i % 2 === 0, supports: `macro_${i}` });
  for (let i = 0; i < 10; i++) goals.push({ id: `pages_${i}`, kind: 'pagesPerSession', pages: 5 + i, supports: [`macro_${i}`] });
  return goals;
}

/** The tracked events, cycled through by the loop: `[action, props]`. */
export const benchEvents = [
  ['scroll_depth', { category: 'engagement', value: 50 }],
  ['nav_click', { label: 'header' }],
  ['add_to_cart', { category: 'shop', value: 12.5, sku: 'A-1' }],
  ['video_progress', { category: 'media', value: 25 }],
  ['search', { label: 'coffee', results: 12 }],
  ['newsletter_open', { category: 'form' }],
  ['filter', { category: 'shop', label: 'price' }],
  ['tab_switch', {}],
];

export function benchConfig(endpoint) {
  return { endpoint, site: 'bench', goals: benchGoals(), batch: { maxHits: 10, flushIntervalMs: 5000 } };
}
