import type { ResolvedConfig } from './config';
import { createEngine, type Conversion } from './engine';
import { perDoneList } from './goals/perDoneList';
import { normalizeEvent, type TrackProps } from './eventInput';
import type { Signal } from './goals/types';
import { goalHit, screenClass, type HitBase } from './hits';
import { createId } from './lib/createId';
import { guard } from './lib/guard';
import { listen } from './lib/listen';
import { debugLog, warn } from './lib/log';
import { removeKeys, safeStorage, type KeyValue } from './lib/safeStorage';
import { createConsent, CONSENT_KEY, type ConsentChoice } from './consent';
import { createParamFilter, FORM_KEY, isDoNotTrack, onSecretFormFields, secretFieldNames, stripUrl } from './privacy';
import type { Hit, NavType, PageviewHit } from './schema';
import { createSession, CLIENT_KEY, SESSION_KEY, type SessionRecord } from './session';
import { onDomEvents } from './signals/domEvents';
import { onPageChange } from './signals/pageviews';
import { createSessionClock } from './signals/sessionClock';
import { createDelivery, forgetDelivery, type Delivery } from './transport';
import { whenIdle } from './lib/whenIdle';
import { createVitals, navSpeed, type Reporters, type Vitals } from './vitals/createVitals';
import { readNavEntry } from './vitals/navTiming';

export type { TrackProps, ConsentChoice };
export { CONSENT_KEY };

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
  /** Ids and the consent choice; default localStorage. */
  storage?: KeyValue;
  /** Per-tab notes between pages; default sessionStorage. */
  tabStorage?: KeyValue;
  fetchImpl?: typeof fetch;
  /** web-vitals' reporters (`onFCP`, ...). */
  reporters?: Reporters;
  /** Runs what the first page view does not need (web-vitals' observers); default: when the page is idle. */
  later?: (fn: () => void) => void;
}

/** Wires config -> signals -> goal engine -> queue -> transport for one page. */
export function createTracker(config: ResolvedConfig, env: TrackerEnv = {}): Tracker {
  const win = env.win ?? window;
  const doc = win.document;
  const now = env.now ?? Date.now;
  const newId = env.newId ?? createId;
  const debug = config.debug;
  const persistent = env.storage ?? safeStorage(() => win.localStorage);
  // Opened on first use: sessionStorage only when a URL has a query to check or a form is submitted.
  const tabStore = env.tabStorage ?? safeStorage(() => win.sessionStorage);
  const stops: (() => void)[] = [];
  const ids = [CLIENT_KEY, SESSION_KEY];
  const site = config.site || win.location.hostname;
  /** Under Do Not Track or a denial, what an earlier page stored goes too. */
  const forgetStored = () => {
    removeKeys(persistent, ids);
    tabStore.remove(FORM_KEY);
    forgetDelivery({ endpoint: config.endpoint, site, win, storage: persistent });
  };

  if (config.privacy.respectDoNotTrack && isDoNotTrack(win.navigator)) {
    if (debug) debugLog('Do Not Track or Global Privacy Control is on: nothing is stored or sent.');
    forgetStored();
    return trackerOf();
  }

  let delivery: Delivery | undefined;
  const consent = createConsent(persistent, config.privacy.requireConsent, ids, {
    start(fresh) {
      startDelivery();
      if (fresh) {
        // After a denial: new ids, and this page counted anew (its earlier page view was never sent).
        session = newSession();
        firstPageview();
      }
      armClock();
    },
    send: (hit) => delivery?.push(hit),
    stop() {
      delivery?.clear();
      delivery?.stop();
      delivery = undefined;
      tabStore.remove(FORM_KEY);
      clock.disarm();
    },
  });
  const mode = consent.mode;
  let destroyed = false;
  // A choice made in another tab applies here too (it is already remembered).
  // The session record is cached between hits (session.ts): another tab's write of it
  // lands here too (and the clock resyncs when the page comes back from the background).
  const onStorage = guard((e: StorageEvent) => {
    if (e.key === CONSENT_KEY && (e.newValue === 'granted' || e.newValue === 'denied')) consent.set(e.newValue, false);
    if (e.key === SESSION_KEY || e.key === null) session.resync();
  });
  stops.push(listen(win, 'storage', onStorage));
  if (debug && mode() !== 'on') {
    debugLog(mode() === 'off' ? 'consent was denied: nothing is stored or sent.' : "waiting for consent('granted'): nothing is stored or sent; hits wait in memory.");
  }
  const newSession = () => createSession({ storage: consent.store, timeoutMs: config.session.timeoutMinutes * 60_000, newId });
  let session = newSession();

  const engine = createEngine(config.goals);
  // Secret fields of GET forms submitted in this tab are in the URLs (and referrers) that follow.
  let secretNames: Set<string> | undefined;
  const secret = () => (secretNames ??= new Set(secretFieldNames(tabStore.get(FORM_KEY))));
  if (mode() === 'off') forgetStored();
  const isListed = createParamFilter(config.privacy.stripQueryParams);
  const isPersonal = (name: string) => isListed(name) || secret().has(name.trim().toLowerCase());
  stops.push(
    onSecretFormFields(doc, (names) => {
      for (const n of names) secret().add(n.toLowerCase());
      if (mode() === 'on') tabStore.set(FORM_KEY, [...secret()].join());
    }),
  );
  const strip = (href: string) => stripUrl(href, win.location.href, isPersonal);
  // The page view a timing hit belongs to: the hard load or the latest bfcache restore, never an SPA view.
  let measured: { pid: string; url: string; nav: NavType; sid?: string } | undefined;
  // This tab's latest session id and seq, for a hit that belongs to a session that has since timed out.
  let last = { sid: '', seq: 0 };
  // web-vitals' observers start once the page is idle: their entries are buffered, nothing is missed.
  // A page hidden before that starts them then, and sends its timing at the next hide or after 60 s.
  let vitals: Vitals | undefined;
  // Guarded once for both callers: it also runs as an event listener, where a throw would reach the page.
  const startVitals = guard(() => {
    if (vitals || destroyed) return;
    doc.removeEventListener('visibilitychange', startVitals, true);
    // `send` is called inside the hide handling, before delivery's hide flush (see createVitals): the hit is queued in time.
    vitals = createVitals({
      win,
      reporters: env.reporters,
      send: (timing) => {
        // The hard load's (or bfcache restore's) pid and url, not those of a later SPA view.
        const m = measured;
        if (m) record(undefined, (base) => ({ ...base, pid: m.pid, url: m.url, type: 'timing', timing: { ...timing, nav: m.nav } }), m.sid);
      },
    });
    stops.push(vitals.stop);
  }, 'timing failed');
  if (config.timing) {
    stops.push(listen(doc, 'visibilitychange', startVitals, true));
    if (env.later) env.later(startVitals);
    else whenIdle(win, startVitals);
  }

  const startDelivery = () => {
    delivery ??= createDelivery({ endpoint: config.endpoint, site, maxHits: config.batch.maxHits, flushIntervalMs: config.batch.flushIntervalMs, win, fetchImpl: env.fetchImpl, storage: persistent, epochNow: now,
      // A beacon's Referer is the page URL as it is: only when stripping would not change it.
      beaconSafe: () => strip(win.location.href) === win.location.href.split('#')[0] });
  };
  if (mode() === 'on') startDelivery();

  let page = { pid: newId(), href: '', url: '', path: '' };

  const deliver = (hit: Hit) => {
    if (debug) debugLog(hit.type, hit);
    consent.deliver(hit);
  };

  /**
   * The one path every hit takes: renew the session, let the engine turn the
   * signal into conversions, stamp ids and seq, hand the hits on.
   */
  function record(signal: Signal | undefined, primary?: (base: HitBase) => Hit, belongsTo?: string): void {
    if (destroyed || mode() === 'off') return;
    const t = now();
    const rec: SessionRecord = { ...session.current(t) };
    const base = (sid: string, seq: number): HitBase => ({ id: newId(), ts: t, cid: session.cid, sid, pid: page.pid, seq, url: page.url });
    // Only the timing hit says which session it belongs to (and it always has a primary hit).
    if (belongsTo && belongsTo !== rec.sid) {
      // The page's session timed out (a tab hidden an hour after it loaded): its timing
      // goes with that session and does not start a new one.
      return deliver(primary!(base(belongsTo, last.sid === belongsTo ? ++last.seq : 1)));
    }
    rec.engagedMs += clock.takeEngaged(t);
    const hits: Hit[] = [];
    if (primary) hits.push(primary(base(rec.sid, ++rec.seq)));
    const conversions: Conversion[] = [];
    const misses: string[] = [];
    const evaluate = (s: Signal) => {
      const result = engine.evaluate(rec.goals, s, debug);
      rec.goals = result.state;
      conversions.push(...result.conversions);
      misses.push(...result.misses);
    };
    if (signal) evaluate(signal);
    // The session clock's signal, only when a duration goal has reached its time (most hits: none has).
    const least = thresholdsOf(rec.goals);
    if (t - rec.start >= least[0] || rec.engagedMs >= least[1]) evaluate({ type: 'time', sessionMs: t - rec.start, engagedMs: rec.engagedMs });
    if (debug && (signal || conversions.length)) explain(signal, conversions, misses);
    const speed = !conversions.length || !config.timing ? {} : vitals ? vitals.speed() : navSpeed(win);
    for (const c of conversions) hits.push(goalHit(base(rec.sid, ++rec.seq), c, config.currency, speed));
    if (!hits.length) return;
    rec.last = t;
    session.commit(rec);
    last = { sid: rec.sid, seq: rec.seq };
    hits.forEach(deliver);
    armClock();
  }

  /** Debug mode, one line per signal: `page view "/x": no goal converted` and why near misses missed. */
  function explain(signal: Signal | undefined, conversions: Conversion[], misses: string[]): void {
    const what = !signal
      ? 'session clock'
      : signal.type === 'pageview'
        ? `page view ${JSON.stringify(signal.path)}`
        : signal.type === 'event'
          ? `event ${JSON.stringify(signal.action)}`
          : `goal(${JSON.stringify((signal as { id: string }).id)})`;
    const done = conversions.map((c) => `"${c.goal.id}" (${c.role})`).join(', ');
    debugLog(`${what}: ${done ? `converted ${done}` : 'no goal converted'}${misses.map((m) => `\n  ${m}`).join('')}`);
  }

  /** Of the duration goals still pending: the least session time and the least engaged time that converts one. Per done-list. */
  const thresholdsOf = perDoneList((goals): [session: number, engaged: number] => {
    const t: [number, number] = [Infinity, Infinity];
    for (const d of engine.pendingDurations(goals)) t[+d.engaged] = Math.min(t[+d.engaged], d.thresholdMs);
    return t;
  });

  const clock = createSessionClock(
    win,
    doc,
    now,
    () => {
      session.resync();
      armClock();
    },
    // The timer: a session that timed out while the page sat idle does not convert.
    () => session.current(now()).seq && record(undefined),
  );
  stops.push(clock.stop);

  /** One timer for the nearest duration goal, so it converts while the page is open. */
  function armClock(): void {
    if (mode() === 'off') return clock.disarm();
    const t = now();
    const rec = session.current(t);
    const least = thresholdsOf(rec.goals);
    const next = Math.min(rec.start + least[0] - t, clock.isEngaged() ? least[1] - rec.engagedMs : Infinity);
    if (next === Infinity) return clock.disarm();
    clock.arm(next + 5);
  }

  function pageview(nav: NavType, u: URL, ref: string): void {
    page = { pid: newId(), href: u.href, url: strip(u.href), path: u.pathname + u.search };
    const screen = screenClass(win);
    const hit = { type: 'pageview', nav, screen } as Omit<PageviewHit, keyof HitBase>;
    if (ref && (ref = strip(ref))) hit.ref = ref;
    record({ type: 'pageview', path: page.path }, (base) => ({ ...base, ...hit }));
    if (nav !== 'spa') measured = { pid: page.pid, url: page.url, nav, sid: last.sid };
  }

  function trackEvent(action: unknown, props: unknown, dom?: string): void {
    const { event, warnings } = normalizeEvent(action, props);
    if (warnings.length) warn(warnings.join('; '));
    if (!event) return;
    record({ type: 'event', action: event.action, category: event.category, label: event.label, value: event.value, dom }, (base) => ({ ...base, type: 'event', event }));
  }

  // Page views: the hard load (after prerender activation), then History API and bfcache.
  const firstPageview = () => pageview(hardNavType(win), new URL(win.location.href), doc.referrer);
  if ((doc as Document & { prerendering?: boolean }).prerendering) {
    const onActivate = guard(firstPageview, 'page view failed');
    stops.push(listen(doc, 'prerenderingchange', onActivate, { once: true }));
  } else firstPageview();
  stops.push(
    onPageChange(win, (nav) => {
      const u = new URL(win.location.href);
      if (nav === 'spa' && u.pathname + u.search === page.path) return;
      pageview(nav, u, nav === 'spa' ? page.href : doc.referrer);
    }),
  );

  stops.push(onDomEvents(doc, config.goals, trackEvent));

  const api: Tracker = {
    track: (action, props) => trackEvent(action, props),
    pageview(url) {
      let u: URL;
      try {
        u = new URL(url ?? win.location.href, win.location.href);
      } catch {
        return warn(`pageview(${JSON.stringify(url)}): not a URL; page view not sent`);
      }
      pageview('spa', u, page.href);
    },
    goal(id, value) {
      // Goal ids are strings: anything else is no key of the engine's map.
      if (!engine.goal(id)) return warn(`goal(${JSON.stringify(id)}): no goal with this id is declared; not sent`);
      if (value !== undefined && !Number.isFinite(value)) {
        return warn(`goal("${id}") value must be a finite number, got ${String(value)}; not sent`);
      }
      record({ type: 'manual', id, value });
    },
    consent(choice) {
      if (choice !== 'granted' && choice !== 'denied') return warn(`consent() takes "granted" or "denied", got ${String(choice)}`);
      consent.set(choice);
      if (debug) debugLog(`consent ${choice}`);
    },
    flush: () => delivery?.flush(),
    destroy() {
      stops.splice(0).forEach((stop) => guard(stop)());
      delivery?.stop();
      delivery = undefined;
      destroyed = true;
    },
  };
  return trackerOf(api);
}

/** navigate, reload or back_forward, from Navigation Timing. */
function hardNavType(win: Window): NavType {
  const type = readNavEntry(win)?.type;
  return type === 'reload' || type === 'back_forward' ? type : 'navigate';
}

/**
 * The public methods of `api`, each guarded (a throw becomes one warning);
 * without `api`, a tracker that does nothing: Do Not Track, or a config that failed validation.
 */
export function trackerOf(api?: Tracker): Tracker {
  const out = {} as Record<string, unknown>;
  // Spelt as script.ts spells its command list: gzip finds the two alike.
  for (const k of 'track pageview goal consent flush destroy'.split(' ') as (keyof Tracker)[]) {
    out[k] = api ? guard(api[k] as (...a: unknown[]) => unknown, `${k}() failed`) : () => undefined;
  }
  return out as unknown as Tracker;
}
