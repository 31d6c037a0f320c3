import { onCLS, onFCP, onINP, onLCP } from 'web-vitals';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { toJson } from '../lib/toJson';
import type { Speed } from '../schema';
import { navTiming, readNavEntry } from './navTiming';
import { toSpeed, toTiming, type Timing, type TimingName } from './toTiming';

/** What we read of a web-vitals metric. */
export interface MetricReport {
  name: string;
  value: number;
}
/** The shape of web-vitals' `onFCP`, `onLCP`, ...: tests pass their own. */
export type OnMetric = (report: (metric: MetricReport) => void, opts?: { reportAllChanges?: boolean }) => void;
/**
 * TTFB is not among them: Navigation Timing's responseStart (less activation) is
 * what web-vitals' onTTFB reports too, and a restore's TTFB is 0 in both. Leaving
 * it out saves 151 B gzip and a load listener at start-up.
 */
export interface Reporters {
  onFCP: OnMetric;
  onLCP: OnMetric;
  onINP: OnMetric;
  onCLS: OnMetric;
}

export interface VitalsOptions {
  win: Window;
  /**
   * Hands the measured page's timing on: when the page is first hidden, after
   * `sendAfterMs` if it has not been hidden by then, and at any later hide that
   * has new values. Each call replaces the one before (same page view).
   */
  send: (timing: Timing) => void;
  reporters?: Reporters;
  navEntry?: () => PerformanceNavigationTiming | undefined;
  sendAfterMs?: number;
}

export interface Vitals {
  /** TTFB, FCP and LCP of the page being measured, known so far (for goal hits). */
  speed(): Speed;
  /** Everything measured so far for the page being measured. */
  timing(): Timing;
  stop(): void;
}

/** The speed known before web-vitals has started (it starts at idle): Navigation Timing's TTFB. */
export const navSpeed = (win: Window): Speed => toSpeed(navTiming(readNavEntry(win)));

/** A page still visible this long sends what it has. */
export const SEND_AFTER_MS = 60_000;

/**
 * Measures the hard load, then each back/forward-cache restore, with
 * web-vitals (registered once) and Navigation Timing, and decides when the
 * timing is due. Listeners only store numbers: no work on the main thread
 * until a hide or the timer.
 */
export function createVitals({
  win,
  send,
  reporters = { onFCP, onLCP, onINP, onCLS },
  navEntry = () => readNavEntry(win),
  sendAfterMs = SEND_AFTER_MS,
}: VitalsOptions): Vitals {
  const doc = win.document;
  let reported: Timing = {};
  // A restored page has no Navigation Timing of its own: its dcl and load stay absent.
  let restored = false;
  let sent: string | undefined;
  let timer: number | undefined;
  let stopped = false;

  const timing = (): Timing => toTiming(reported, restored ? {} : navTiming(navEntry()));

  // (Not after stop(): that clears the timer and removes the listeners, its only callers.)
  const due = guard(() => {
    const t = timing();
    const json = toJson(t);
    if (json === '{}' || json === sent) return;
    sent = json;
    send(t);
  }, 'timing failed');

  const arm = guard(() => {
    win.clearTimeout(timer);
    timer = win.setTimeout(due, sendAfterMs);
  });

  // Capture on the document runs after every capture listener on window, where
  // web-vitals reports the final CLS, INP and LCP on hide (window comes first
  // on the event path), and before the non-capture listeners on the document,
  // where delivery beacons the queue. So the timing hit is queued before that.
  const onVisibility = () => {
    if (doc.visibilityState !== 'hidden') return;
    win.clearTimeout(timer);
    due();
  };
  // Registered before web-vitals' own pageshow listeners, so the restored page
  // starts empty. A restore fetches nothing: its TTFB is 0, as web-vitals has it.
  const onShow = (e: PageTransitionEvent) => {
    if (!e.persisted) return;
    reported = { ttfb: 0 };
    restored = true;
    sent = undefined;
    arm();
  };
  const offs = [listen(win, 'pageshow', onShow, true), listen(doc, 'visibilitychange', onVisibility, true)];

  // web-vitals' names are the timing fields in upper case; toTiming reads only the fields it knows.
  const keep = (m: MetricReport) => {
    if (!stopped) reported[m.name.toLowerCase() as TimingName] = m.value;
  };
  // Every change, not only the final value: goal hits get the LCP so far, and
  // the hidden-time snapshot has the latest INP and CLS whatever order
  // web-vitals' own hide listeners ran in.
  for (const on of Object.values(reporters)) {
    try {
      on(keep, { reportAllChanges: true });
    } catch {
      // No PerformanceObserver or a browser web-vitals cannot read: that metric stays absent.
    }
  }

  // A prerendered page counts its 60 s from activation.
  const prerendering = (doc as Document & { prerendering?: boolean }).prerendering;
  if (prerendering) offs.push(listen(doc, 'prerenderingchange', arm, { once: true }));
  else arm();

  return {
    speed: () => toSpeed(timing()),
    timing,
    stop() {
      stopped = true;
      win.clearTimeout(timer);
      for (const off of offs) off();
    },
  };
}
