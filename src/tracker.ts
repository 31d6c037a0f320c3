import type { ResolvedConfig } from './config';
import { createEngine, type Conversion } from './engine';
import { normalizeEvent, type TrackProps } from './eventInput';
import type { Signal } from './goals/types';
import { eventHit, goalHit, pageviewHit, screenClass, type HitBase } from './hits';
import { createId } from './lib/createId';
import { guard } from './lib/guard';
import { debugLog, warn } from './lib/log';
import { createMemoryStore, safeStorage, type KeyValue } from './lib/safeStorage';
import { createParamFilter, isDoNotTrack, stripUrl } from './privacy';
import type { Hit, NavType } from './schema';
import { createSession, CLIENT_KEY, SESSION_KEY, type SessionRecord } from './session';
import { onDomEvents, type DomEvent, type DomGoals } from './signals/domEvents';
import { onPageChange } from './signals/pageviews';
import { createSessionClock } from './signals/sessionClock';
import { createDelivery, type Delivery } from './transport';
import { createVitals } from './vitals';

export type { TrackProps };
export type ConsentChoice = 'granted' | 'denied';

/** The running SDK. Every method is safe to call at any time and never throws. */
export interface Tracker<GoalId extends string = string> {
  /** An event; custom keys of `props` go to the hit's `props`. */
  track(action: string, props?: TrackProps): void;
  /** A page view for routers that bypass the History API; `url` resolves against the page. */
  pageview(url?: string): void;
  /** Completes a declared goal by hand; `value` overrides the configured one. */
  goal(id: GoalId, value?: number): void;
  /** Records the visitor's consent choice (remembered across pages). */
  consent(choice: ConsentChoice): void;
  /** Sends what is queued now. */
  flush(): void;
  /** Stops every listener and timer. */
  destroy(): void;
}

/** What the tracker takes from its surroundings; tests pass their own. */
export interface TrackerEnv {
  win?: Window;
  now?: () => number;
  newId?: () => string;
  storage?: KeyValue;
  fetchImpl?: typeof fetch;
}

export const CONSENT_KEY = 'goalpost.consent';

type Mode = 'on' | 'held' | 'off';

/** Wires config -> signals -> goal engine -> queue -> transport for one page. */
export function createTracker(config: ResolvedConfig, env: TrackerEnv = {}): Tracker {
  const win = env.win ?? window;
  const doc = win.document;
  const now = env.now ?? Date.now;
  const newId = env.newId ?? createId;
  const debug = config.debug;
  const persistent = env.storage ?? safeStorage(() => win.localStorage);
  const stops: (() => void)[] = [];

  if (config.privacy.respectDoNotTrack && isDoNotTrack(win.navigator)) {
    if (debug) debugLog('Do Not Track / Global Privacy Control is on: nothing is stored or sent.');
    return inertTracker();
  }

  const remembered = persistent.get(CONSENT_KEY);
  let mode: Mode = remembered === 'denied' ? 'off' : config.privacy.requireConsent && remembered !== 'granted' ? 'held' : 'on';
  // Before consent, ids live in memory only; on grant they move to localStorage.
  let store: KeyValue = mode === 'on' ? persistent : createMemoryStore();
  const storeProxy: KeyValue = { get: (k) => store.get(k), set: (k, v) => store.set(k, v), remove: (k) => store.remove(k) };
  let session = createSession({ storage: storeProxy, timeoutMs: config.session.timeoutMinutes * 60_000, newId });
  // The session record is cached between hits: another tab's write fires `storage` here
  // (and the session clock resyncs when the page comes back from the background or bfcache).
  const onStorage = (e: StorageEvent) => {
    if (e.key === SESSION_KEY || e.key === null) session.resync();
  };
  win.addEventListener('storage', onStorage);
  stops.push(() => win.removeEventListener('storage', onStorage));
  const held: Hit[] = [];
  let delivery: Delivery | undefined;

  const engine = createEngine(config.goals);
  const isPersonal = createParamFilter(config.privacy.stripQueryParams);
  const strip = (href: string) => stripUrl(href, win.location.href, isPersonal);
  const vitals = config.timing ? createVitals() : undefined;
  if (vitals) stops.push(vitals.stop);
  const site = config.site || win.location.hostname;

  const startDelivery = () => {
    delivery ??= createDelivery({ endpoint: config.endpoint, site, maxHits: config.batch.maxHits, flushIntervalMs: config.batch.flushIntervalMs, win, fetchImpl: env.fetchImpl });
  };
  if (mode === 'on') startDelivery();

  let page = { pid: newId(), href: '', url: '', path: '' };
  const setPage = (href: string) => {
    const u = new URL(href, win.location.href);
    page = { pid: newId(), href: u.href, url: strip(u.href), path: u.pathname + u.search };
  };

  const deliver = (hit: Hit) => {
    if (debug) debugLog(hit.type, hit);
    if (mode === 'on') delivery?.push(hit);
    else if (mode === 'held') held.push(hit);
  };

  /**
   * The one path every hit takes: renew the session, let the engine turn the
   * signal into conversions, stamp ids and seq, hand the hits on.
   */
  function record(signal: Signal | undefined, primary?: (base: HitBase) => Hit): void {
    if (mode === 'off') return;
    const t = now();
    const rec: SessionRecord = { ...session.current(t) };
    rec.engagedMs += clock.takeEngaged(t);
    const hits: Hit[] = [];
    const base = (): HitBase => ({ id: newId(), ts: t, cid: session.cid, sid: rec.sid, pid: page.pid, seq: ++rec.seq, url: page.url });
    if (primary) hits.push(primary(base()));
    const conversions: Conversion[] = [];
    for (const s of signal ? [signal, timeSignal(rec, t)] : [timeSignal(rec, t)]) {
      if (s.type === 'time' && !engine.pendingDurations(rec.goals).length) continue;
      const result = engine.evaluate(rec.goals, s, debug);
      rec.goals = result.state;
      conversions.push(...result.conversions);
      if (debug && result.misses.length) debugLog('no match:', result.misses.join('; '));
    }
    const speed = conversions.length && vitals ? vitals.speed() : {};
    for (const c of conversions) {
      if (debug) debugLog(`goal "${c.goal.id}" converted (${c.role})`, c);
      hits.push(goalHit(base(), c, config.currency, speed));
    }
    if (!hits.length) return;
    rec.last = t;
    session.commit(rec);
    hits.forEach(deliver);
    armClock();
  }

  const timeSignal = (rec: SessionRecord, t: number): Signal => ({ type: 'time', sessionMs: t - rec.start, engagedMs: rec.engagedMs });

  const clock = createSessionClock(win, doc, now, () => {
    session.resync();
    armClock();
  });
  stops.push(clock.stop);

  /** One timer for the nearest duration goal, so it converts while the page is open. */
  function armClock(): void {
    if (mode === 'off') return clock.disarm();
    const t = now();
    const rec = session.current(t);
    let next = Infinity;
    for (const d of engine.pendingDurations(rec.goals)) {
      if (!d.engaged) next = Math.min(next, rec.start + d.thresholdMs - t);
      else if (clock.isEngaged()) next = Math.min(next, d.thresholdMs - rec.engagedMs);
    }
    if (next === Infinity) return clock.disarm();
    clock.arm(next + 5, () => {
      const at = now();
      // A session that timed out while the page sat idle does not convert.
      if (session.current(at).seq === 0) return;
      record(undefined);
    });
  }

  function pageview(nav: NavType, href: string, ref: string | undefined): void {
    setPage(href);
    const screen = screenClass(win.innerWidth || doc.documentElement.clientWidth || 0);
    const strippedRef = ref ? strip(ref) : undefined;
    record({ type: 'pageview', path: page.path }, (base) => pageviewHit(base, nav, screen, strippedRef));
  }

  function trackEvent(action: unknown, props: unknown, dom?: string): void {
    const { event, warnings } = normalizeEvent(action, props);
    warnings.forEach((w) => warn(w));
    if (!event) return;
    record({ type: 'event', action: event.action, category: event.category, label: event.label, value: event.value, dom }, (base) => eventHit(base, event));
  }

  // Page views: the hard load (after prerender activation), then History API and bfcache.
  const firstPageview = () => pageview(hardNavType(win), win.location.href, doc.referrer || undefined);
  if ((doc as Document & { prerendering?: boolean }).prerendering) {
    const onActivate = guard(() => firstPageview(), 'page view failed');
    doc.addEventListener('prerenderingchange', onActivate, { once: true });
    stops.push(() => doc.removeEventListener('prerenderingchange', onActivate));
  } else firstPageview();
  stops.push(
    onPageChange(win, (nav) => {
      const u = new URL(win.location.href);
      if (nav === 'spa' && u.pathname + u.search === page.path) return;
      pageview(nav, u.href, nav === 'spa' ? page.href : doc.referrer || undefined);
    }),
  );

  const domGoals: DomGoals = { click: [], submit: [] };
  for (const g of config.goals) {
    if (g.kind === 'event' && g.on) {
      if (g.on.click) domGoals.click.push([g.id, g.on.click]);
      if (g.on.submit) domGoals.submit.push([g.id, g.on.submit]);
    }
  }
  stops.push(onDomEvents(doc, domGoals, ({ action, dom, ...props }: DomEvent) => trackEvent(action, props, dom)));

  const api: Tracker = {
    track: (action, props) => trackEvent(action, props),
    pageview(url) {
      let href: string;
      try {
        href = new URL(url ?? win.location.href, win.location.href).href;
      } catch {
        return warn(`pageview(${JSON.stringify(url)}): not a URL; page view not sent`);
      }
      pageview('spa', href, page.href);
    },
    goal(id, value) {
      if (typeof id !== 'string' || !engine.goal(id)) return warn(`goal(${JSON.stringify(id)}): no goal with this id is declared; not sent`);
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        return warn(`goal("${id}") value must be a finite number, got ${String(value)}; not sent`);
      }
      record({ type: 'manual', id, value });
    },
    consent(choice) {
      if (choice === 'granted') {
        persistent.set(CONSENT_KEY, 'granted');
        if (mode === 'on') return;
        if (mode === 'held') {
          // Keep the ids the held hits carry.
          for (const key of [CLIENT_KEY, SESSION_KEY]) {
            const v = store.get(key);
            if (v !== null) persistent.set(key, v);
          }
        }
        store = persistent;
        if (mode === 'off') session = createSession({ storage: storeProxy, timeoutMs: config.session.timeoutMinutes * 60_000, newId });
        mode = 'on';
        startDelivery();
        held.splice(0).forEach(deliver);
        armClock();
      } else if (choice === 'denied') {
        mode = 'off';
        held.length = 0;
        delivery?.clear();
        delivery?.stop();
        delivery = undefined;
        session.forget();
        store = createMemoryStore();
        persistent.set(CONSENT_KEY, 'denied');
        clock.disarm();
      } else warn(`consent() takes "granted" or "denied", got ${JSON.stringify(choice)}`);
    },
    flush: () => delivery?.flush(),
    destroy() {
      stops.splice(0).forEach((stop) => guard(stop)());
      delivery?.stop();
      mode = 'off';
    },
  };
  return guardAll(api);
}

/** navigate, reload or back_forward, from Navigation Timing. */
function hardNavType(win: Window): NavType {
  try {
    const entry = win.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const type = entry?.type;
    if (type === 'reload' || type === 'back_forward') return type;
  } catch {
    /* old browser */
  }
  return 'navigate';
}

function guardAll<T extends object>(api: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, fn] of Object.entries(api)) out[k] = guard(fn as (...a: unknown[]) => unknown, `${k}() failed`);
  return out as T;
}

/** A tracker that does nothing: Do Not Track, or a config that failed validation. */
export function inertTracker(): Tracker {
  const noop = () => undefined;
  return { track: noop, pageview: noop, goal: noop, consent: noop, flush: noop, destroy: noop };
}
