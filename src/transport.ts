import { backoff } from './lib/backoff';
import { byteLength } from './lib/byteLength';
import { createId } from './lib/createId';
import { listen } from './lib/listen';
import { monotonicNow } from './lib/monotonicNow';
import { retryAfter } from './lib/retryAfter';
import { safeStorage, type KeyValue } from './lib/safeStorage';
import { warn } from './lib/log';
import { toJson } from './lib/toJson';
import { createQueue, deleteQueue, type Entry, type Queue } from './queue/createQueue';
import type { Hit } from './schema';

/** Where hits go once built: the tracker pushes, the transport drains. */
export interface Delivery {
  /** Queue a hit; never blocks, never throws. */
  push(hit: Hit): void;
  /** Send what is queued now (a Retry-After pause still holds); settles when that round is over. */
  flush(): Promise<void>;
  /** Drop everything waiting, in memory and in storage (consent withdrawn). */
  clear(): void;
  stop(): void;
}

export interface DeliveryOptions {
  endpoint: string;
  site: string;
  maxHits: number;
  flushIntervalMs: number;
  win: Window;
  fetchImpl?: typeof fetch;
  /** localStorage: the sender lease, the pause and the dropped count, shared by tabs. */
  storage?: KeyValue;
  queue?: Queue;
  /** Monotonic ms (leases, backoff); default `performance.timeOrigin + performance.now()`. */
  now?: () => number;
  /** The clock hits' `ts` come from: `sentAt` and the age bound use it too. Default Date.now. */
  epochNow?: () => number;
  random?: () => number;
  /**
   * False while the page URL holds what privacy stripping removes: a beacon
   * would carry it as the Referer, so what the page hands over as it goes
   * is sent by keepalive fetch without one. Default: always true.
   */
  beaconSafe?: () => boolean;
}

/** Request bodies stay under this; the browser allows 64 KiB of keepalive bodies in flight. */
export const MAX_BODY_BYTES = 60 * 1024;
/** The keepalive budget (fetch spec: 64 KiB in flight); sendBeacon draws on it too. */
const KEEPALIVE_BYTES = 64 * 1024;
const KEEPALIVE_REQUESTS = 9;
/**
 * Every request: no cookies, and no Referer, which would carry the page URL
 * before privacy stripping to a collector on the page's own origin (SPEC section 7).
 */
const PRIVATE: RequestInit = { method: 'POST', credentials: 'omit', referrerPolicy: 'no-referrer' };
/** A request that has not answered by then is aborted and retried. */
const TIMEOUT_MS = 10_000;
/** How long a sender may be silent before another tab takes its batch back. */
const LEASE_MS = TIMEOUT_MS + 5_000;
/** A pause read from another tab is believed up to this far ahead (a skewed clock cannot park the queue). */
const MAX_PAUSE_MS = 300_000;

/**
 * What the tabs of one origin share about sending, in localStorage. A field
 * may be absent: it reads as 0 (an absent one compares false with a time).
 */
interface Shared {
  /** The tab that sends, or last did. */
  t?: string;
  /** Until when its lease holds (monotonic ms); 0 once it let go. */
  e?: number;
  /** When it last read the stored queue. */
  r?: number;
  /** No request before this: backoff or Retry-After. */
  u?: number;
  /** `u` came from Retry-After: flush, online and visible do not cut it short. */
  a?: number;
  /** The status of the last failed attempt: an HTTP status, or 0 for a network error. */
  f?: number;
  /** Failed attempts in a row. */
  n?: number;
  /** Hits dropped and not yet reported in a payload. */
  d?: number;
}

const noop = () => {};

/** What delivery keeps its queue (IndexedDB) and shared record (localStorage) under. */
const storeName = (site: string, endpoint: string, win: Window) => `goalpost:${site}:${new URL(endpoint, win.location.href).href}`;

/** The page's IndexedDB; undefined where reading it throws (sandboxed frames, some privacy modes). */
const idbOf = (win: Window): IDBFactory | undefined => {
  try {
    return win.indexedDB;
  } catch {
    return undefined;
  }
};

/**
 * Deletes everything delivery stored for this site and endpoint, without
 * opening anything: Do Not Track, or a denial remembered from an earlier page.
 */
export function forgetDelivery(o: Pick<DeliveryOptions, 'endpoint' | 'site' | 'win' | 'storage'>): void {
  const kv = o.storage ?? safeStorage(() => o.win.localStorage);
  const name = storeName(o.site, o.endpoint, o.win);
  kv.remove(name);
  deleteQueue(name, idbOf(o.win), kv);
}

/** Picks entries for one body: oldest first, at most `max` hits and `room` bytes. */
function pick(entries: Iterable<Entry>, max: number, room: number, skipBusy?: boolean): Entry[] {
  const out: Entry[] = [];
  for (const e of entries) {
    if (skipBusy && e.busy) continue;
    if (out.length >= max || (room -= e.bytes + 1) < 0) break;
    out.push(e);
  }
  return out;
}

/**
 * Delivery per SPEC section 6. Hits go to the queue (IndexedDB, memory when
 * storage fails) and leave it only on a 2xx, a refusal for good, or a beacon
 * the browser took. One tab of an origin sends at a time: the one holding the
 * Web Lock (or, without Web Locks, the localStorage lease). Failures back off
 * for every tab through the shared record; a page going away hands what it can
 * to sendBeacon and leaves the rest to the next page.
 */
export function createDelivery(opts: DeliveryOptions): Delivery {
  const { win, maxHits, flushIntervalMs } = opts;
  const nav = win.navigator;
  const doc = win.document;
  const now = opts.now ?? monotonicNow;
  const random = opts.random ?? Math.random;
  const epochNow = opts.epochNow ?? Date.now;
  const endpoint = new URL(opts.endpoint, win.location.href).href;
  const name = storeName(opts.site, endpoint, win);
  const kv = opts.storage ?? safeStorage(() => win.localStorage);
  const beaconSafe = opts.beaconSafe ?? (() => true);
  const rawFetch = opts.fetchImpl ?? ((url: string, init: RequestInit) => win.fetch(url, init));
  /**
   * The native fetch never throws (it rejects); a page's broken wrapper may.
   * Then sendBeacon carries the batch, when its Referer leaks nothing, and
   * counts as a 204: the browser took it.
   */
  const doFetch = (init: RequestInit): Promise<Response> => {
    try {
      return rawFetch(endpoint, init);
    } catch (e) {
      const taken = typeof nav.sendBeacon === 'function' && beaconSafe() && nav.sendBeacon(endpoint, init.body as string);
      return taken ? Promise.resolve(new Response(null, { status: 204 })) : Promise.reject(e);
    }
  };
  const tab = createId();
  const site = JSON.stringify(opts.site);
  const head = (dropped: number) => `{"v":1,"site":${site},"sentAt":${epochNow()},"dropped":${dropped},"hits":[`;
  // Room for the hits in a body: the limit less the longest head.
  const headBytes = byteLength(head(1e9)) + 2;
  const room = MAX_BODY_BYTES - headBytes;
  /** The body of one request (sentAt stamped now) and its size in bytes. */
  const pack = (batch: Entry[], dropped: number): [string, number] => [
    head(dropped) + batch.map((e) => e.json).join(',') + ']}',
    batch.reduce((n, e) => n + e.bytes + 1, headBytes),
  ];

  const read = (): Shared => {
    try {
      // JSON.parse(null) is null: no record reads as {}.
      const s: unknown = JSON.parse(kv.get(name) as string);
      return s && typeof s === 'object' ? s : {};
    } catch {
      return {};
    }
  };
  const write = (s: Shared) => {
    until = s.u || 0;
    // After stop (consent withdrawn) a round still finishing must not write the record back.
    if (!stopped) kv.set(name, toJson(s));
  };
  const update = (change: (s: Shared) => void) => {
    const s = read();
    change(s);
    write(s);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When `timer` fires; Infinity when none is armed (a spent id may stay in `timer`: clearing it is harmless). */
  let due = Infinity;
  let until = read().u || 0;
  /** The rounds running, if any; `again`: one more was asked for meanwhile. */
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let unloading = false;
  /** Bumped when the page goes away or stops: a round of an older generation ends at its next step. */
  let gen = 0;
  /**
   * Hits per request. `maxHits` says when to send (config: "send when this many hits wait"); what
   * waits then goes in as few bodies as fit MAX_BODY_BYTES: each request costs the page ~1 ms of main
   * thread, and a collector takes one body as easily as ten. Halved by 413 (and by a batch that keeps
   * failing) to isolate what the collector refuses, doubled back by success.
   */
  let limit = Infinity;
  /** Keepalive requests and bytes in flight: our fetches, and our beacons since the page was last shown. */
  let kaCount = 0;
  let kaBytes = 0;
  let beacons = 0;
  let beaconBytes = 0;
  const fits = (bytes: number) => kaCount + beacons < KEEPALIVE_REQUESTS && kaBytes + beaconBytes + bytes <= KEEPALIVE_BYTES;
  const flights = new Map<Entry[], boolean>();
  /** Lets go of the Web Lock, or stops waiting for it: a page holding one is kept out of the back/forward cache. */
  let letGo = noop;

  const queue =
    opts.queue ??
    createQueue({
      name, idb: idbOf(win), kv, now, wallNow: epochNow, writeAfterMs: flushIntervalMs,
      onDrop: (n) => update((s) => void (s.d = (s.d || 0) + n)),
      onRefuse: (hit) => warn(`a ${hit.type} hit is too large to send; dropped`),
    });

  /** One timer at most: the earliest asked for, never before a pause ends. */
  function arm(ms: number): void {
    if (stopped) return;
    const at = Math.max(now() + ms, until);
    if (due <= at) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      due = Infinity;
      void run();
    }, at - now());
  }

  /** Starts a round, or another after the one running; resolves when no round is left to run. */
  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    return (running = (async () => {
      do {
        again = false;
        await cycle().catch(noop);
      } while (again && !unloading && !stopped);
      running = undefined;
      if (!queue.size()) {
        // Nothing left: no timer keeps running.
        clearTimeout(timer);
        due = Infinity;
      }
    })());
  }

  async function cycle(): Promise<void> {
    const g = gen;
    // Every hit is in IndexedDB before any attempt to send it.
    await queue.persist();
    if (g !== gen) return;
    const locks = nav.locks;
    if (locks?.request) {
      // Wait in line (not ifAvailable): a tab whose hits land just after the sender's last read still gets its turn.
      // Never steal: two senders would send the same hits. A holder that dies releases the lock, and
      // its lease (in round) keeps its batch for LEASE_MS, in case its request still arrives.
      const ac = new AbortController();
      letGo = () => ac.abort();
      await locks
        .request(name, { signal: ac.signal }, () => new Promise<void>((done) => {
          letGo = done;
          round(g).then(done, done);
        }))
        .catch(noop);
      letGo = noop;
      return;
    }
    // No Web Locks (http: pages, older browsers): a lease in localStorage. Claim it when free or expired,
    // then look again a moment later: of two tabs claiming together, the last writer wins.
    const s = read();
    if (s.t !== tab && s.e! > now()) return arm(s.e! - now());
    update((s) => {
      s.t = tab;
      s.e = now() + LEASE_MS;
    });
    await new Promise((ok) => setTimeout(ok, 100 + 100 * random()));
    if (read().t !== tab) return arm(LEASE_MS);
    await round(g);
  }

  /** Sends everything queued, batch after batch, holding the sender role. */
  async function round(g: number): Promise<void> {
    if (g !== gen) return;
    const s = read();
    const t = now();
    if (s.t !== tab && s.e! > t) {
      // The last sender's lease still runs, yet we hold the lock: it died mid-send. Its batch is taken back when the lease ends.
      return arm(Math.min(LEASE_MS, s.e! - t));
    }
    until = Math.min(s.u || 0, t + MAX_PAUSE_MS);
    if (until > t) return arm(0);
    s.t = tab;
    s.e = t + LEASE_MS;
    s.r = t;
    write(s);
    await queue.load();
    while (g === gen && nav.onLine !== false) {
      const batch = pick(queue.entries(), limit, room, true);
      if (!batch.length) break;
      if (!(await send(batch, g))) break;
    }
    // What was sent leaves storage before another tab may send (the lock or lease is let go after this).
    await queue.persist();
    if (g === gen) update((s) => void (s.t === tab && (s.e = 0)));
  }

  /** One request; true to go on with the next batch. */
  async function send(batch: Entry[], g: number): Promise<boolean> {
    const s = read();
    // The lease (no Web Locks) is only as good as localStorage, which other processes see late:
    // two tabs can both believe they claimed it. The one that finds it lost stops here.
    if (s.t !== tab) {
      arm(LEASE_MS);
      return false;
    }
    // Renewed only when it would not outlast this request: one localStorage write every few requests.
    if (!(s.e! >= now() + TIMEOUT_MS + 1000)) {
      s.e = now() + LEASE_MS;
      write(s);
    }
    const dropped = s.d || 0;
    const [body, bytes] = pack(batch, dropped);
    // keepalive lets the request outlive the page; it must fit the browser's budget, else a plain fetch.
    const keepalive = fits(bytes);
    if (keepalive) {
      kaCount++;
      kaBytes += bytes;
    }
    batch.forEach((e) => (e.busy = true));
    flights.set(batch, keepalive);
    const ac = new AbortController();
    const abort = setTimeout(() => ac.abort(), TIMEOUT_MS);
    let status = 0;
    let wait: string | null = null;
    try {
      const res = await doFetch({ ...PRIVATE, body, keepalive, signal: ac.signal });
      status = res.status;
      wait = res.headers.get('Retry-After');
      // A keepalive request holds its share of the browser's budget until its response has loaded:
      // read it out, or the next request, sent at once, finds the budget still taken and fails.
      if (keepalive) await res.arrayBuffer();
    } catch {
      // Network error, offline, or aborted after TIMEOUT_MS: retried.
    }
    clearTimeout(abort);
    flights.delete(batch);
    batch.forEach((e) => (e.busy = false));
    if (keepalive) {
      kaCount--;
      kaBytes -= bytes;
    }
    const ok = status >= 200 && status < 300;
    // Other 4xx: the collector will never take this batch; a lone hit too large (413) neither.
    const refused = status >= 400 && status < 500 && status !== 408 && status !== 429 && (status !== 413 || batch.length < 2);
    if (ok || refused) {
      // Out of storage with the persist that ends the round.
      queue.sent(batch);
      if ((ok && dropped) || s.n || s.u)
        update((s) => {
          if (ok && dropped) s.d = Math.max(0, (s.d || 0) - dropped);
          s.n = s.u = s.a = s.f = 0;
        });
      limit *= 2;
      return true;
    }
    if (status === 413) {
      // Split and resend at once.
      limit = Math.ceil(batch.length / 2);
      return true;
    }
    if (g !== gen) return false;
    // Network error, timeout, 408, 429, 5xx: the whole queue pauses, for every tab.
    queue.retry(batch);
    // The same hits failing again and again: split, so one bad hit cannot hold back the others.
    if (batch.every((e) => e.tries > 2)) limit = Math.ceil(batch.length / 2);
    const after = retryAfter(wait, epochNow());
    update((s) => {
      s.n = (s.n || 0) + 1;
      s.u = now() + (after ?? backoff(s.n, random));
      s.a = after === undefined ? 0 : 1;
      s.f = status;
    });
    arm(0);
    return false;
  }

  /**
   * Gives a body to the browser to send even if the page goes away: sendBeacon,
   * or, when the page URL holds what privacy stripping removes (a beacon would
   * send it as the Referer), a keepalive fetch without Referer. True when taken.
   */
  function handOff(body: string): boolean {
    try {
      if (typeof nav.sendBeacon === 'function' && beaconSafe()) return nav.sendBeacon(endpoint, body);
      Promise.resolve(rawFetch(endpoint, { ...PRIVATE, body, keepalive: true })).catch(noop);
      return true;
    } catch {
      // Taken as false: it stays queued for later or for the next page.
      return false;
    }
  }

  /**
   * The page is hidden or going away: hand what is queued to the browser
   * (handOff), within the keepalive budget. What it refuses stays queued (in
   * IndexedDB) for later or for the next page; `false` is never taken as sent.
   */
  function hide(away: boolean): void {
    if (stopped) return;
    // Written before the beacon goes; the delete of what the beacon took follows it.
    void queue.persist();
    const s = read();
    if (away) {
      unloading = true;
      gen++;
      letGo();
      // A keepalive request in flight outlives the page: it counts as sent, like a beacon.
      for (const [batch, keepalive] of flights) if (keepalive) void queue.remove(batch, true);
    }
    // The collector answered with a failure and we are backing off: a beacon would most likely be lost
    // the same way, so the next page sends instead. (After a network error the collector may be fine and
    // only fetch broken, by the page or a proxy: then a beacon is the way out.) Offline: no beacon either.
    if (!(s.u! > now() && s.f) && nav.onLine !== false) {
      // Another tab read the stored queue at s.r: what was stored before that is its to send.
      const seen = s.t === tab ? 0 : s.r!;
      let dropped = s.d || 0;
      let list = [...queue.entries()].filter((e) => (away || !e.busy) && !(e.stored && e.stored <= seen));
      while (list.length) {
        const batch = pick(list, Infinity, Math.min(room, KEEPALIVE_BYTES - kaBytes - beaconBytes - headBytes));
        const [body, bytes] = pack(batch, dropped);
        if (!batch.length || !fits(bytes)) break;
        if (!handOff(body)) break;
        beacons++;
        beaconBytes += bytes;
        if (dropped) update((s) => void (s.d = Math.max(0, (s.d || 0) - dropped)));
        dropped = 0;
        void queue.remove(batch, true);
        list = list.slice(batch.length);
      }
    }
    if (away) {
      update((s) => void (s.t === tab && (s.e = 0)));
      queue.leave();
      clearTimeout(timer);
      due = Infinity;
    } else if (queue.size()) void run();
  }

  /** Back online, visible again, or flush(): try now, unless the collector asked for a pause. */
  function resume(always?: boolean): Promise<void> | undefined {
    const s = read();
    if (!s.a && s.u) {
      s.u = s.n = 0;
      write(s);
    }
    if (always || queue.size()) return run();
  }

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') return hide(false);
    beacons = beaconBytes = 0;
    void resume();
  };
  const onPagehide = () => hide(true);
  const onPageshow = (e: PageTransitionEvent) => {
    if (!e.persisted) return;
    // Restored from the back/forward cache: the beacons of the last hide are long gone; start again.
    unloading = false;
    beacons = beaconBytes = 0;
    arm(0);
  };
  const onOnline = () => void resume();
  const unlisten = [
    listen(doc, 'visibilitychange', onVisibility),
    listen(win, 'pagehide', onPagehide),
    listen(win, 'pageshow', onPageshow),
    listen(win, 'online', onOnline),
  ];
  // An earlier page may have left hits: look once the first batch interval has passed.
  arm(flushIntervalMs);

  return {
    push(hit) {
      if (stopped) return;
      // False only for an id already queued.
      if (!queue.add(hit)) return;
      if (unloading) hide(true);
      else arm(queue.size() >= maxHits ? 0 : flushIntervalMs);
    },
    flush: () => resume(true) as Promise<void>,
    clear() {
      queue.clear();
      kv.remove(name);
    },
    stop() {
      stopped = true;
      gen++;
      letGo();
      clearTimeout(timer);
      unlisten.forEach((f) => f());
      queue.close();
    },
  };
}
