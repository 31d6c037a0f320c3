// @vitest-environment node
// The traffic generator's behaviour model, without a browser.
import { describe, expect, it } from 'vitest';
import { createRandom, createVisitor, INTENTS, NETWORKS, patience, planVisits } from './behaviour.mjs';

describe('planVisits', () => {
  it('plans the same visits from the same seed, other visits from another', () => {
    expect(planVisits({ visits: 50, seed: 42 })).toEqual(planVisits({ visits: 50, seed: 42 }));
    expect(planVisits({ visits: 50, seed: 43 })).not.toEqual(planVisits({ visits: 50, seed: 42 }));
  });

  it('draws networks and intents in about their configured shares', () => {
    const plan = planVisits({ visits: 6000, seed: 7, lingerShare: 0 });
    const share = (key, value) => plan.filter((p) => p[key] === value).length / plan.length;
    for (const [name, net] of Object.entries(NETWORKS)) expect(share('network', name)).toBeCloseTo(net.weight, 1);
    for (const [intent, weight] of Object.entries(INTENTS)) expect(share('intent', intent)).toBeCloseTo(weight, 1);
  });

  it('makes one visit in twenty a lingering one by default, none with lingerShare 0', () => {
    expect(planVisits({ visits: 300, seed: 1 }).filter((p) => p.intent === 'linger')).toHaveLength(15);
    expect(planVisits({ visits: 300, seed: 1, lingerShare: 0 }).filter((p) => p.intent === 'linger')).toHaveLength(0);
  });

  it('lands only on pages the shop has', () => {
    const pages = new Set(planVisits({ visits: 500, seed: 3 }).map((p) => p.landing));
    for (const page of pages) expect(page).toMatch(/^\/(index|coffee|blog)\.html$|^\/products\/(house-blend|yirgacheffe|huila-decaf)\.html$/);
  });
});

describe('patience', () => {
  it('is whole for fast pages and falls as the LCP grows', () => {
    expect(patience(800)).toBe(1);
    expect(patience(1200)).toBe(1);
    expect(patience(2500)).toBeCloseTo(0.8, 1);
    expect(patience(4000)).toBeCloseTo(0.56, 1);
    expect(patience(6000)).toBeLessThan(0.4);
    for (let ms = 1000; ms < 12000; ms += 500) expect(patience(ms + 500)).toBeLessThanOrEqual(patience(ms));
  });
});

describe('a visitor', () => {
  // Where the speed effect of the report comes from: the same shoppers, once
  // on fast pages and once on slow ones, through landing, three pages and the
  // decision to buy.
  const buyers = (lcpMs, n = 6000) => {
    const rand = createRandom(99);
    let bought = 0;
    for (let i = 0; i < n; i++) {
      const v = createVisitor({ intent: 'shop', seed: (rand.next() * 2 ** 32) >>> 0 });
      if (v.bouncesAfterLanding(lcpMs)) continue;
      if (v.abandonsAfter(lcpMs) || v.abandonsAfter(lcpMs) || v.abandonsAfter(lcpMs)) continue;
      if (v.converts(0.75)) bought++;
    }
    return bought / n;
  };

  it('buys less often when the pages were slow (the model says so), without falling off a cliff', () => {
    const good = buyers(1000);
    const meh = buyers(3200);
    const poor = buyers(6000);
    expect(good).toBeCloseTo(0.75, 1);
    expect(meh).toBeLessThan(good * 0.75);
    expect(poor).toBeLessThan(meh * 0.7);
    expect(poor / good).toBeCloseTo(0.3, 1);
  });

  it('remembers the slowest page: a fast page later does not restore patience', () => {
    const v = createVisitor({ intent: 'browse', seed: 1 });
    v.notice(6000);
    v.notice(500);
    expect(v.mood).toBeCloseTo(patience(6000));
  });

  it('who came to bounce always bounces', () => {
    const v = createVisitor({ intent: 'bounce', seed: 5 });
    expect(v.bouncesAfterLanding(300)).toBe(true);
  });
});
