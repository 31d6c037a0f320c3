import { guard } from './lib/guard';
import { toJson } from './lib/toJson';
import { createMemoryQueue, type Queue } from './queue/memoryQueue';
import type { Hit } from './schema';

/** Where hits go once built: the tracker pushes, the transport drains. */
export interface Delivery {
  /** Queue a hit; never blocks, never throws. */
  push(hit: Hit): void;
  /** Send what is queued now. */
  flush(): void;
  /** Drop everything waiting (consent withdrawn). */
  clear(): void;
  stop(): void;
}

export interface DeliveryOptions {
  endpoint: string;
  site: string;
  maxHits: number;
  flushIntervalMs: number;
  win: Window;
  queue?: Queue;
  fetchImpl?: typeof fetch;
  random?: () => number;
}

/** Request bodies stay under this: keepalive fetch and sendBeacon refuse more than 64 KiB in flight. */
export const MAX_BODY_BYTES = 60 * 1024;
const KEEPALIVE_BYTES = 64 * 1024;

/** Every request: no preflight, no cookies, no Referer (it would carry the page URL before stripping). */
const REQUEST: RequestInit = {
  method: 'POST',
  headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  credentials: 'omit',
  referrerPolicy: 'no-referrer',
};

const encoder = /* @__PURE__ */ (() => (typeof TextEncoder === 'function' ? new TextEncoder() : undefined))();
const byteLength = (s: string) => (encoder ? encoder.encode(s).length : s.length * 3);

/** Serialises hits into bodies of at most `maxHits` hits and MAX_BODY_BYTES bytes. */
export function packBodies(hits: Hit[], site: string, dropped: number, maxHits: number, now: number): { body: string; ids: Set<string> }[] {
  const head = (d: number) => `{"v":1,"site":${toJson(site)},"sentAt":${now},"dropped":${d},"hits":[`;
  const out: { body: string; ids: Set<string> }[] = [];
  let parts: string[] = [];
  let ids = new Set<string>();
  let bytes = 0;
  const close = () => {
    if (!parts.length) return;
    out.push({ body: head(out.length ? 0 : dropped) + parts.join(',') + ']}', ids });
    parts = [];
    ids = new Set();
    bytes = 0;
  };
  const budget = MAX_BODY_BYTES - byteLength(head(dropped)) - 2;
  for (const hit of hits) {
    const json = toJson(hit);
    const size = byteLength(json) + 1;
    if (size > budget) {
      // A hit this large can never be sent; it is removed with the batch it would block.
      ids.add(hit.id);
      continue;
    }
    if (parts.length >= maxHits || bytes + size > budget) close();
    parts.push(json);
    ids.add(hit.id);
    bytes += size;
  }
  close();
  return out;
}

/**
 * A batched sender: by count, by time, and on page hide by sendBeacon.
 * Failed requests are retried with exponential backoff and jitter.
 */
export function createDelivery(opts: DeliveryOptions): Delivery {
  const { site, maxHits, flushIntervalMs, win } = opts;
  const queue = opts.queue ?? createMemoryQueue();
  const doFetch = opts.fetchImpl ?? win.fetch.bind(win);
  const random = opts.random ?? Math.random;
  const endpoint = new URL(opts.endpoint, win.location.href).href;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let attempt = 0;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(
      guard(() => {
        timer = undefined;
        void send();
      }, 'send failed'),
      ms,
    );
  };

  async function send(): Promise<void> {
    if (sending || stopped || !queue.size()) return;
    sending = true;
    try {
      while (queue.size() && !stopped) {
        const batch = packBodies(queue.peek(maxHits), site, 0, maxHits, Date.now())[0];
        if (!batch) break;
        const payload = withDropped(batch.body, queue.takeDropped());
        let status = 0;
        try {
          const res = await doFetch(endpoint, { ...REQUEST, body: payload });
          status = res.status;
        } catch {
          status = 0;
        }
        if ((status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
          queue.remove(batch.ids);
          attempt = 0;
        } else {
          attempt++;
          const delay = Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.5 + random() / 2);
          timer = undefined;
          schedule(delay);
          return;
        }
      }
    } finally {
      sending = false;
    }
  }

  const withDropped = (body: string, dropped: number) => (dropped ? body.replace('"dropped":0', `"dropped":${dropped}`) : body);

  /** Page is going away: hand everything to sendBeacon; what it refuses stays queued. */
  const beaconAll = guard(() => {
    if (!queue.size()) return;
    let budget = KEEPALIVE_BYTES;
    for (const { body, ids } of packBodies(queue.peek(queue.size()), site, queue.takeDropped(), maxHits, Date.now())) {
      if (!handOff(body, (budget -= byteLength(body)) >= 0)) break;
      queue.remove(ids);
    }
  }, 'beacon failed');

  /**
   * Gives a body to the browser to send after the page is gone: a keepalive
   * fetch, which unlike sendBeacon omits cookies and the Referer (the page
   * URL before stripping, SPEC section 7); sendBeacon when fetch fails at once
   * (a page's broken fetch) or the keepalive quota is used up. True when taken.
   */
  function handOff(body: string, fits: boolean): boolean {
    if (fits) {
      try {
        Promise.resolve(doFetch(endpoint, { ...REQUEST, body, keepalive: true })).catch(() => {});
        return true;
      } catch {
        /* fall back to a beacon */
      }
    }
    try {
      return win.navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    } catch {
      return false;
    }
  }

  const onHide = () => {
    if (win.document.visibilityState === 'hidden') beaconAll();
  };
  win.document.addEventListener('visibilitychange', onHide);
  win.addEventListener('pagehide', beaconAll);

  return {
    push(hit) {
      if (stopped) return;
      queue.add(hit);
      if (queue.size() >= maxHits) {
        // Let a burst of calls finish first, then send full batches.
        clearTimeout(timer);
        timer = undefined;
        schedule(0);
      } else schedule(flushIntervalMs);
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      attempt = 0;
      void send();
    },
    clear() {
      queue.clear();
      clearTimeout(timer);
      timer = undefined;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      win.document.removeEventListener('visibilitychange', onHide);
      win.removeEventListener('pagehide', beaconAll);
    },
  };
}
