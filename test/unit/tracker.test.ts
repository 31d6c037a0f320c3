import { afterEach, beforeEach, describe, expect, onTestFinished, test, vi } from 'vitest';
import { parseConfig, type GoalpostConfig } from '../../src/config';
import { init } from '../../src/init';
import { createMemoryStore } from '../../src/lib/safeStorage';
import type { Hit, Payload } from '../../src/schema';
import { payloadSchema } from '../../src/schema';
import { createTracker, type Tracker } from '../../src/tracker';

let tracker: Tracker | undefined;
let clock = 1_700_000_000_000;
let idCounter = 0;

function setup(config: Partial<GoalpostConfig> = {}, storage = createMemoryStore()) {
  const payloads: Payload[] = [];
  const fetchImpl = vi.fn(async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Payload;
    payloads.push(payloadSchema.parse(body) as Payload);
    return new Response(null, { status: 204 });
  });
  const parsed = parseConfig({ endpoint: '/collect', site: 'test', timing: false, batch: { maxHits: 1000, flushIntervalMs: 60_000 }, ...config });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  tracker = createTracker(parsed.config, { now: () => clock, newId: () => `00000000-0000-4000-8000-${String(++idCounter).padStart(12, '0')}`, storage, fetchImpl: fetchImpl as typeof fetch });
  const hits = async (): Promise<Hit[]> => {
    // flush() settles once its round is over (IndexedDB, lock, requests).
    await tracker!.flush();
    return payloads.flatMap((p) => p.hits);
  };
  return { tracker, hits, fetchImpl, storage, payloads };
}

beforeEach(() => {
  history.replaceState({}, '', '/');
  document.body.innerHTML = '';
  localStorage.clear();
});
afterEach(() => {
  tracker?.destroy();
  tracker = undefined;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('page views', () => {
  test('a hard load sends one page view with nav, screen and the stripped URL', async () => {
    history.replaceState({}, '', '/welcome?utm_source=news&email=a%40b.com#top');
    const { hits } = setup();
    const [pv] = await hits();
    expect(pv).toMatchObject({ type: 'pageview', nav: 'navigate', seq: 1, url: 'http://localhost:3000/welcome?utm_source=news' });
    // jsdom has no matchMedia: the class comes from innerWidth (1024 in jsdom).
    expect((pv as Extract<Hit, { type: 'pageview' }>).screen).toBe('desktop');
    expect(pv).not.toHaveProperty('ref');
  });

  test('pushState and popstate make SPA page views with the previous page as referrer; same-URL changes do not', async () => {
    const { hits } = setup();
    history.pushState({}, '', '/products');
    history.replaceState({ scroll: 1 }, '', '/products');
    history.pushState({}, '', '/products#reviews');
    history.replaceState({}, '', '/products?page=2');
    window.dispatchEvent(new PopStateEvent('popstate'));
    const pvs = (await hits()).filter((h) => h.type === 'pageview');
    expect(pvs.map((h) => [h.url, h.nav, h.ref])).toEqual([
      ['http://localhost:3000/', 'navigate', undefined],
      ['http://localhost:3000/products', 'spa', 'http://localhost:3000/'],
      ['http://localhost:3000/products?page=2', 'spa', 'http://localhost:3000/products'],
    ]);
    expect(new Set(pvs.map((h) => h.pid)).size).toBe(3);
  });

  test('the pageview command resolves a relative URL and counts toward pages per session', async () => {
    const { tracker, hits } = setup({ goals: [{ id: 'browsed', kind: 'pagesPerSession', pages: 2 }] });
    tracker.pageview('shop/item?x=1');
    const all = await hits();
    expect(all.map((h) => h.type)).toEqual(['pageview', 'pageview', 'goal']);
    expect(all[1]).toMatchObject({ nav: 'spa', url: 'http://localhost:3000/shop/item?x=1' });
  });
});

describe('events', () => {
  test('track sends category, label, value and custom props; ids, seq and session are stamped', async () => {
    const { tracker, hits } = setup();
    tracker.track('add_to_cart', { category: 'coffee', label: 'sku-1', value: 12.5, color: 'red', qty: 2 });
    const [pv, ev] = await hits();
    expect(ev).toMatchObject({ type: 'event', seq: 2, event: { action: 'add_to_cart', category: 'coffee', label: 'sku-1', value: 12.5, props: { color: 'red', qty: 2 } } });
    expect(ev.sid).toBe(pv.sid);
    expect(ev.cid).toBe(pv.cid);
    expect(ev.pid).toBe(pv.pid);
    expect(ev.id).not.toBe(pv.id);
  });

  test('bad track calls are refused with a warning and lose nothing else', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { tracker, hits } = setup();
    tracker.track('');
    tracker.track(undefined as unknown as string);
    tracker.track('buy', { value: Number.NaN });
    tracker.track('buy', { value: '5' as unknown as number });
    tracker.track('ok');
    expect(warn).toHaveBeenCalledTimes(4);
    expect(String(warn.mock.calls[2])).toMatch(/finite number/);
    expect((await hits()).map((h) => h.type === 'event' && h.event.action)).toEqual([false, 'ok']);
  });

  test('data-goalpost-* attributes: clicks on the element or a child, form submits, elements added later', async () => {
    const { hits } = setup();
    document.body.innerHTML = `
      <button data-goalpost-event="add_to_cart" data-goalpost-category="coffee" data-goalpost-label="sku-9" data-goalpost-value="9.5"><span id="inner">Add</span></button>
      <form data-goalpost-event="signup" id="f"><input name="email" value="secret@example.com"><button id="sub">Go</button></form>`;
    document.getElementById('f')!.addEventListener('submit', (e) => e.preventDefault());
    document.getElementById('inner')!.click();
    // Clicking the submit button submits the form: one event for the submit, none for the click inside the form.
    document.getElementById('sub')!.click();
    const events = (await hits()).filter((h) => h.type === 'event');
    expect(events.map((h) => h.event)).toEqual([
      { action: 'add_to_cart', category: 'coffee', label: 'sku-9', value: 9.5 },
      { action: 'signup' },
    ]);
    expect(JSON.stringify(events)).not.toContain('secret@example.com');
  });

  test('"on" goals: a click inside a matching element sends an event named for the goal and converts it once', async () => {
    const { hits } = setup({ goals: [{ id: 'read_reviews', kind: 'event', on: { click: '.reviews' } }] });
    const later = document.createElement('div');
    later.className = 'reviews';
    later.innerHTML = '<a id="open">Reviews</a>';
    document.body.append(later);
    document.getElementById('open')!.click();
    document.getElementById('open')!.click();
    const all = (await hits()).slice(1);
    expect(all.map((h) => [h.type, h.type === 'event' ? h.event.action : h.type === 'goal' ? h.goal.id : ''])).toEqual([
      ['event', 'read_reviews'], ['goal', 'read_reviews'], ['event', 'read_reviews'],
    ]);
  });
});

describe('goals', () => {
  const goals: GoalpostConfig['goals'] = [
    { id: 'purchase', kind: 'destination', url: { beginsWith: '/checkout/thanks' }, value: 40, funnel: [{ url: '/cart' }] },
    { id: 'add_to_cart', kind: 'event', supports: 'purchase', event: { action: 'add_to_cart' }, value: 'event' },
    { id: 'stayed', kind: 'duration', seconds: 90, supports: 'purchase' },
  ];

  test('micro then macro: role, supports, assists, funnel, value, currency, speed', async () => {
    const { tracker, hits } = setup({ goals, currency: 'eur' });
    tracker.track('add_to_cart', { value: 12 });
    history.pushState({}, '', '/cart');
    history.pushState({}, '', '/checkout/thanks?order=7');
    const goalHits = (await hits()).filter((h) => h.type === 'goal');
    expect(goalHits.map((h) => h.goal)).toEqual([
      { id: 'add_to_cart', kind: 'event', role: 'micro', supports: ['purchase'], value: 12, currency: 'EUR' },
      { id: 'purchase', kind: 'destination', role: 'macro', supports: [], value: 40, currency: 'EUR', assists: ['add_to_cart'], funnel: [true] },
    ]);
    expect(goalHits[0]).toHaveProperty('speed', {});
  });

  test('a duration goal converts while the page is open, without another hit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { hits } = setup({ goals });
    clock += 90_000;
    vi.advanceTimersByTime(90_100);
    vi.useRealTimers();
    const g = (await hits()).find((h) => h.type === 'goal');
    expect(g).toMatchObject({ goal: { id: 'stayed', kind: 'duration', role: 'micro' } });
  });

  test('a session that timed out while idle does not convert a duration goal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { hits } = setup({ goals: [{ id: 'stayed', kind: 'duration', seconds: 3600 }], session: { timeoutMinutes: 30 } });
    clock += 3_600_000;
    vi.advanceTimersByTime(3_600_100);
    vi.useRealTimers();
    expect((await hits()).map((h) => h.type)).toEqual(['pageview']);
  });

  test('goal(): by hand with a value; undeclared ids and bad values are refused with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { tracker, hits } = setup({ goals });
    tracker.goal('nope');
    tracker.goal('purchase', Infinity);
    tracker.goal('purchase', 99);
    tracker.goal('purchase', 5);
    expect(warn).toHaveBeenCalledTimes(2);
    expect((await hits()).filter((h) => h.type === 'goal').map((h) => h.goal.value)).toEqual([99]);
  });

  test('tabs share the session: a goal converted in one is not converted again in another', async () => {
    const storage = createMemoryStore();
    const a = setup({ goals }, storage);
    a.tracker.goal('purchase');
    const first = await a.hits();
    a.tracker.destroy();
    const b = setup({ goals }, storage);
    b.tracker.goal('purchase');
    const second = await b.hits();
    expect(second[0].sid).toBe(first[0].sid);
    expect(second.map((h) => h.type)).toEqual(['pageview']);
    expect(second[0].seq).toBeGreaterThan(first[first.length - 1].seq);
  });
});

describe('privacy gates', () => {
  test('Do Not Track: nothing stored, nothing sent', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    onTestFinished(() => void delete (navigator as { doNotTrack?: string }).doNotTrack);
    const storage = createMemoryStore();
    const set = vi.spyOn(storage, 'set');
    const { tracker, fetchImpl } = setup({}, storage);
    tracker.track('x');
    tracker.consent('granted');
    tracker.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();
  });

  test('requireConsent: held in memory, sent on grant with the same ids; denial clears and is remembered', async () => {
    const storage = createMemoryStore();
    const set = vi.spyOn(storage, 'set');
    const { tracker, hits } = setup({ privacy: { requireConsent: true } }, storage);
    tracker.track('before');
    expect(set).not.toHaveBeenCalled();
    tracker.consent('granted');
    const sent = await hits();
    expect(sent.map((h) => h.type)).toEqual(['pageview', 'event']);
    expect(storage.get('goalpost.cid')).toBe(sent[0].cid);
    tracker.consent('denied');
    tracker.track('after-deny');
    expect(storage.get('goalpost.cid')).toBeNull();
    expect(storage.get('goalpost.consent')).toBe('denied');
    expect((await hits()).length).toBe(2);
  });
});

describe('init', () => {
  test('an invalid config gives one console.error naming every problem, and an inert tracker', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const t = init({ endpoint: '/c', goals: [{ id: 'a', kind: 'event', event: {}, supports: 'purchse' }] } as GoalpostConfig);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0].join(' '))).toContain('goals[0].supports: unknown macro goal "purchse" (known: none)');
    expect(() => t.track('x')).not.toThrow();
  });

  test('starts once: a second init is ignored with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fetchImpl = vi.fn(async () => new Response(null, { status: 204 }));
    const a = init({ endpoint: '/c', timing: false }, { fetchImpl: fetchImpl as typeof fetch });
    const b = init({ endpoint: '/other' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    a.destroy();
  });
});
