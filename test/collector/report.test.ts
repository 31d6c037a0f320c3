// /api/report from a hand-made set of visits whose right answers are worked
// out by hand below. Change a visit and the comments must change with it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { payload, post, startTestCollector, visit, type TestCollector } from './support';

const config = {
  endpoint: '/collect',
  site: 'shop',
  currency: 'EUR',
  goals: [
    {
      id: 'purchase',
      kind: 'destination',
      url: { beginsWith: '/checkout/thanks' },
      value: 40,
      funnel: [
        { url: '/cart', name: 'Cart' },
        { url: '/checkout', name: 'Checkout' },
      ],
    },
    { id: 'newsletter', name: 'Newsletter sign-up', kind: 'event', on: { submit: 'form.newsletter' } },
    { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' }, value: 'event' },
    { id: 'engaged', kind: 'duration', seconds: 120, supports: ['purchase', 'newsletter'] },
  ],
};

const purchase = (value: number, assists: string[], funnel: boolean[]) => ({ kind: 'destination', role: 'macro' as const, value, currency: 'EUR', assists, funnel });
const addToCart = { kind: 'event', role: 'micro' as const, supports: ['purchase'], value: 40, currency: 'EUR' };
const engaged = { kind: 'duration', role: 'micro' as const, supports: ['purchase', 'newsletter'] };

const day = (h: number, m = 0) => Date.UTC(2025, 10, 10, h, m); // 10 Nov 2025, UTC

/*
 * The visits (site "shop" unless said; landing = first page view):
 *
 * | visit | landing LCP / TTFB (ms)        | reached                 | converted          | funnel pages            |
 * |-------|--------------------------------|-------------------------|--------------------|-------------------------|
 * | s1    | 1200 good / 300 good           | add_to_cart, engaged    | purchase 40        | /cart, /checkout, thanks|
 * | s2    | 5000 poor / 2000 poor          | add_to_cart             | -                  | /cart, /checkout        |
 * | s3    | 3000 n.i. / 900 n.i.           | add_to_cart             | -                  | /cart                   |
 * | s4    | no timing: unknown / unknown   | engaged                 | newsletter         | -                       |
 * | s5    | 2000 good / 500 good           | -                       | purchase 60        | thanks only (deep link) |
 * | s6    | 4500 poor / 700 good           | -                       | -                  | /checkout, then /cart   |
 * | s7    | 5000, replaced by 2400: good / 850 n.i. | add_to_cart    | purchase 40, reported twice | /cart, /checkout, thanks |
 * | s10   | 1000 good / 100 good, client clock 1 h slow | -          | -                  | -                       |
 * | s8    | starts 9 Nov 23:59, buys 10 Nov 00:01: belongs to 9 Nov, not in the 10 Nov report       |
 * | s9    | site "blog": left out when site=shop                                                      |
 */
function visits() {
  const s1 = visit('s1', day(9))
    .page('/', { lcp: 1200, ttfb: 300 })
    .page('/products/lamp')
    .event('add_to_cart', 40)
    .goal('add_to_cart', addToCart)
    .goal('engaged', engaged)
    .page('/cart')
    .page('/checkout')
    .page('/checkout/thanks')
    .goal('purchase', purchase(40, ['add_to_cart', 'engaged'], [true, true]), { lcp: 900 });
  const s2 = visit('s2', day(10)).page('/', { lcp: 5000, ttfb: 2000 }).goal('add_to_cart', addToCart).page('/cart').page('/checkout');
  const s3 = visit('s3', day(11)).page('/products/lamp', { lcp: 3000, ttfb: 900 }).goal('add_to_cart', addToCart).page('/cart');
  const s4 = visit('s4', day(12))
    .page('/')
    .page('/blog')
    .goal('engaged', engaged)
    .goal('newsletter', { kind: 'event', role: 'macro', assists: ['engaged'] });
  const s5 = visit('s5', day(13)).page('/checkout/thanks', { lcp: 2000, ttfb: 500 }).goal('purchase', purchase(60, [], [false, false]));
  // Checkout before cart: reaches the funnel's first step, never its second after it.
  const s6 = visit('s6', day(14)).page('/', { lcp: 4500, ttfb: 700 }).page('/checkout').page('/cart');
  const s7 = visit('s7', day(15))
    .page('/products/chair', { lcp: 5000, ttfb: 850 })
    .goal('add_to_cart', addToCart)
    .page('/cart')
    .page('/checkout')
    .page('/checkout/thanks')
    .goal('purchase', purchase(40, ['add_to_cart'], [true, true]))
    // A second tab reported the conversion again (with another value): the first report counts.
    .goal('purchase', purchase(45, ['add_to_cart'], [true, true]));
  // The landing page's timing hit, sent again after 60 s with the final LCP: it replaces the first.
  s7.hits.push({ ...s7.hits[1], id: 'hit-s7-timing-2', ts: s7.end + 60_000, seq: 99, timing: { lcp: 2400, ttfb: 850 } });
  const s10 = visit('s10', day(0, 30) - 3_600_000).page('/', { lcp: 1000, ttfb: 100 });
  const s8 = visit('s8', Date.UTC(2025, 10, 9, 23, 59)).page('/cart').wait(120_000).page('/checkout/thanks').goal('purchase', purchase(40, [], [true, false]));
  const s9 = visit('s9', day(16), { site: 'blog' }).page('/post');
  return { s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 };
}

let c: TestCollector;
let v: ReturnType<typeof visits>;
let simulatedAt = 0;

beforeAll(async () => {
  c = await startTestCollector({ config });
  v = visits();
  for (const [name, x] of Object.entries(v)) {
    // Each visit arrives in one request, 5 s after its last hit; s10's client clock is an hour slow.
    const slow = name === 's10' ? 3_600_000 : 0;
    const last = Math.max(...x.hits.map((h) => h.ts));
    c.clock.now = last + slow + 5_000;
    if (name === 's6') simulatedAt = c.clock.now;
    const res = await post(c, payload(x.hits, { site: x.site, sentAt: last + 5_000 }));
    expect(res.status, `${name}: ${res.text}`).toBe(204);
  }
  // The demo traffic generator marks the time it ran; here it covers s6's request only.
  const marked = await post(c, { site: 'shop', from: simulatedAt - 1, to: simulatedAt + 1, note: 'test' }, { 'Content-Type': 'application/json' }, '/api/simulated');
  expect(marked.status).toBe(200);
  c.clock.now = Date.UTC(2025, 10, 20);
});
afterAll(async () => {
  await c?.close();
});

async function report(query: string) {
  const res = await fetch(`${c.url}/api/report?${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('the report for 10 Nov 2025, site shop', () => {
  let r: any;
  beforeAll(async () => {
    r = await report('from=2025-11-10&to=2025-11-10&site=shop');
  });

  test('counts the sessions that started that day, by the corrected clock', () => {
    // s1-s7 and s10 (whose slow clock says 9 Nov 23:30; corrected, 10 Nov 00:30). Not s8 (9 Nov), not s9 (blog).
    expect(r.totals.sessions).toBe(8);
    // Page views: s1 5, s2 3, s3 2, s4 2, s5 1, s6 3, s7 4, s10 1.
    expect(r.totals.pageviews).toBe(21);
    expect(r.range).toEqual({ from: '2025-11-10', to: '2025-11-10', timezone: 'UTC' });
    expect(r.sites).toEqual(['blog', 'shop']);
  });

  test('macro goals: sessions, conversions, rate and value', () => {
    expect(r.macroGoals).toEqual([
      // Converted: s1, s5, s7 = 3 of 8 = 0.375. Value 40 + 60 + 40 = 140 (s7's second report, 45, not counted).
      { id: 'purchase', name: 'Purchase', sessions: 8, conversions: 3, rate: 0.375, value: 140, currency: 'EUR', valueByCurrency: { EUR: 140 } },
      // Converted: s4 = 1 of 8 = 0.125; the goal has no value.
      { id: 'newsletter', name: 'Newsletter sign-up', sessions: 8, conversions: 1, rate: 0.125, value: 0, currency: 'EUR', valueByCurrency: {} },
    ]);
  });

  test('micro goals: reach, and the macro conversion rate with and without them', () => {
    expect(r.microGoals).toEqual([
      {
        id: 'add_to_cart',
        name: 'Add to cart',
        // s1, s2, s3, s7 = 4 of 8.
        sessions: 4,
        share: 0.5,
        supports: [
          {
            goal: 'purchase',
            name: 'Purchase',
            // Reached: s1, s7 bought = 2 of 4. Not reached (s4, s5, s6, s10): s5 bought = 1 of 4. 0.5 / 0.25 = 2.
            reached: { sessions: 4, conversions: 2, rate: 0.5 },
            notReached: { sessions: 4, conversions: 1, rate: 0.25 },
            lift: 2,
            // s1's and s7's purchase hits list add_to_cart in assists.
            assisted: 2,
          },
        ],
      },
      {
        id: 'engaged',
        name: 'Engaged',
        // s1, s4 = 2 of 8.
        sessions: 2,
        share: 0.25,
        supports: [
          // Reached: s1 bought = 1 of 2. Not reached (6): s5, s7 = 2 of 6 = 0.3333. 0.5 / 0.3333 = 1.5.
          { goal: 'purchase', name: 'Purchase', reached: { sessions: 2, conversions: 1, rate: 0.5 }, notReached: { sessions: 6, conversions: 2, rate: 0.3333 }, lift: 1.5, assisted: 1 },
          // Reached: s4 subscribed = 1 of 2. Not reached: 0 of 6, so no lift to compute.
          { goal: 'newsletter', name: 'Newsletter sign-up', reached: { sessions: 2, conversions: 1, rate: 0.5 }, notReached: { sessions: 6, conversions: 0, rate: 0 }, lift: null, assisted: 1 },
        ],
      },
    ]);
  });

  test('the purchase funnel follows every session through the steps, with drop-off', () => {
    expect(r.funnels).toEqual([
      {
        goal: 'purchase',
        name: 'Purchase',
        source: 'pageviews',
        steps: [
          // Cart: s1, s2, s3, s6, s7 = 5; of those s1, s2, s7 went on to /checkout: 2 left (s3, and s6 whose
          // checkout came before the cart), 2/5.
          { name: 'Cart', isGoal: false, sessions: 5, next: 3, dropOff: 2, dropOffRate: 0.4 },
          // Checkout: 3; s1 and s7 bought: 1 left (s2), 1/3.
          { name: 'Checkout', isGoal: false, sessions: 3, next: 2, dropOff: 1, dropOffRate: 0.3333 },
          { name: 'Purchase', isGoal: true, sessions: 2, next: null, dropOff: null, dropOffRate: null },
        ],
        completed: 2,
        // 3 purchases, s5 came straight to the thanks page.
        conversions: 3,
        conversionsOutsideFunnel: 1,
      },
    ]);
  });

  test('conversion rate by the landing page LCP', () => {
    const lcp = r.speed.lcp.buckets.map((b: any) => [b.id, b.sessions, b.goals.map((g: any) => [g.goal, g.conversions, g.rate])]);
    expect(lcp).toEqual([
      // good (<= 2500): s1 1200, s5 2000, s7 2400 (the replacing timing hit), s10 1000; bought: s1, s5, s7 = 3/4.
      ['good', 4, [['purchase', 3, 0.75], ['newsletter', 0, 0]]],
      // needs improvement (<= 4000): s3 3000.
      ['needs-improvement', 1, [['purchase', 0, 0], ['newsletter', 0, 0]]],
      // poor: s2 5000, s6 4500.
      ['poor', 2, [['purchase', 0, 0], ['newsletter', 0, 0]]],
      // no timing: s4, who subscribed.
      ['unknown', 1, [['purchase', 0, 0], ['newsletter', 1, 1]]],
    ]);
    expect(r.speed.lcp.thresholds).toEqual({ good: 2500, poor: 4000 });
  });

  test('conversion rate by the landing page TTFB', () => {
    const ttfb = r.speed.ttfb.buckets.map((b: any) => [b.id, b.sessions, b.goals.find((g: any) => g.goal === 'purchase').conversions]);
    expect(ttfb).toEqual([
      // good (<= 800): s1 300, s5 500, s6 700, s10 100; bought: s1, s5.
      ['good', 4, 2],
      // needs improvement (<= 1800): s3 900, s7 850; bought: s7.
      ['needs-improvement', 2, 1],
      // poor: s2 2000.
      ['poor', 1, 0],
      ['unknown', 1, 0],
    ]);
  });

  test('latest conversions, with assists and speed', () => {
    expect(r.latestConversions.map((x: any) => [x.sid, x.goal, x.value])).toEqual([
      ['s7', 'purchase', 40],
      ['s5', 'purchase', 60],
      ['s4', 'newsletter', null],
      ['s1', 'purchase', 40],
    ]);
    const s1 = r.latestConversions[3];
    expect(s1).toMatchObject({ assists: ['add_to_cart', 'engaged'], funnel: [true, true], speed: { lcp: 900 }, landing: { path: '/', lcp: 1200, ttfb: 300 } });
  });

  test('says which sessions were simulated', () => {
    expect(r.simulated).toEqual({ any: true, sessions: 1, ranges: [{ id: 1, site: 'shop', from: simulatedAt - 1, to: simulatedAt + 1, note: 'test' }] });
  });
});

describe('other ranges and sites', () => {
  test('a session belongs to the day it started, its conversion after midnight with it', async () => {
    const r = await report('from=2025-11-09&to=2025-11-09&site=shop');
    expect(r.totals.sessions).toBe(1);
    expect(r.macroGoals.find((g: any) => g.id === 'purchase')).toMatchObject({ sessions: 1, conversions: 1, rate: 1, value: 40 });
    expect(r.simulated).toMatchObject({ any: false, sessions: 0 });
  });

  test('every site when none is given; both days', async () => {
    const r = await report('from=2025-11-09&to=2025-11-10');
    // 8 + s8 + s9.
    expect(r.totals.sessions).toBe(10);
    expect(r.macroGoals.find((g: any) => g.id === 'purchase')).toMatchObject({ conversions: 4, value: 180 });
  });

  test('the last 30 days by default', async () => {
    // The clock says 20 Nov 2025: 22 Oct to 20 Nov.
    const r = await report('');
    expect(r.range).toMatchObject({ from: '2025-10-22', to: '2025-11-20' });
    expect(r.totals.sessions).toBe(10);
  });

  test('bad dates are refused with a reason', async () => {
    for (const [q, error] of [
      ['from=2025-13-01', 'from must be a date like 2025-11-30, got "2025-13-01"'],
      ['to=yesterday', 'to must be a date like 2025-11-30, got "yesterday"'],
      ['from=2025-11-10&to=2025-11-01', 'from (2025-11-10) is after to (2025-11-01)'],
    ]) {
      const res = await fetch(`${c.url}/api/report?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe(error);
    }
  });
});

describe('without the site config', () => {
  test('goals come from the hits, and the funnel from converters only', async () => {
    const bare = await startTestCollector();
    try {
      for (const x of Object.values(visits())) {
        bare.clock.now = Math.max(...x.hits.map((h) => h.ts)) + 5_000;
        await post(bare, payload(x.hits, { site: x.site, sentAt: bare.clock.now }));
      }
      const r = await (await fetch(`${bare.url}/api/report?from=2025-11-10&to=2025-11-10&site=shop`)).json();
      // s10 was sent with an honest clock this time, at 9 Nov 23:30 - 10 s: not in range. 7 sessions.
      expect(r.totals.sessions).toBe(7);
      // Macro goals in name order, as the hits name them.
      expect(r.macroGoals.map((g: any) => [g.id, g.name, g.conversions, g.value, g.currency])).toEqual([
        ['newsletter', 'Newsletter', 1, 0, null],
        ['purchase', 'Purchase', 3, 140, 'EUR'],
      ]);
      expect(r.microGoals.map((m: any) => [m.id, m.supports.map((s: any) => s.goal)])).toEqual([
        ['add_to_cart', ['purchase']],
        ['engaged', ['newsletter', 'purchase']],
      ]);
      // From the purchase hits' funnel arrays: s1 [true, true], s5 [false, false], s7 [true, true].
      expect(r.funnels).toEqual([
        {
          goal: 'purchase',
          name: 'Purchase',
          source: 'conversions',
          steps: [
            { name: 'Step 1', isGoal: false, sessions: 2, next: null, dropOff: null, dropOffRate: null },
            { name: 'Step 2', isGoal: false, sessions: 2, next: null, dropOff: null, dropOffRate: null },
            { name: 'Purchase', isGoal: true, sessions: 3, next: null, dropOff: null, dropOffRate: null },
          ],
          completed: 2,
          conversions: 3,
          conversionsOutsideFunnel: 1,
        },
      ]);
      expect(r.config).toEqual({ source: null, problems: [] });
    } finally {
      await bare.close();
    }
  });
});
