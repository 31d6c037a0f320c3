import { guard } from '../lib/guard';
import { listen } from '../lib/listen';

/**
 * The page's share of engaged time (visible and focused), and one timer for
 * the next duration goal. Engaged time counts only while this page is visible
 * and has focus, as Plausible's engagement tracking does.
 */
export interface SessionClock {
  /** Engaged ms on this page since the last call (the caller adds it to the session). */
  takeEngaged(now: number): number;
  /** This page is visible and focused now. */
  isEngaged(): boolean;
  /** Run `onTime` once after `ms`, replacing any earlier arming. */
  arm(ms: number): void;
  /** Cancel the timer: no duration goal is pending. */
  disarm(): void;
  stop(): void;
}

export function createSessionClock(win: Window, doc: Document, now: () => number, onChange: () => void, onTime: () => void): SessionClock {
  const engagedNow = () => doc.visibilityState === 'visible' && safeHasFocus(doc);
  let engaged = engagedNow();
  let since = now();
  let banked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedAt = 0;
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const fire = guard(() => {
    disarm();
    onTime();
  }, 'duration goal failed');

  const update = guard(() => {
    const t = now();
    if (engaged) banked += Math.max(0, t - since);
    since = t;
    engaged = engagedNow();
    onChange();
  }, 'session clock failed');
  const offDoc = listen(doc, 'visibilitychange', update);
  const offWin = listen(win, 'focus blur pageshow pagehide', update);

  return {
    takeEngaged(t) {
      if (engaged) banked += Math.max(0, t - since);
      since = t;
      const out = banked;
      banked = 0;
      return out;
    },
    isEngaged: () => engaged,
    arm(ms) {
      // Every hit re-arms for the same deadline: keep the timer that is already set for it.
      const at = now() + ms;
      if (timer !== undefined && Math.abs(at - armedAt) < 50) return;
      clearTimeout(timer);
      armedAt = at;
      // setTimeout clamps delays above 2^31-1 ms to 0; cap well below.
      timer = setTimeout(fire, Math.min(Math.max(0, ms), 2 ** 30));
    },
    disarm,
    stop() {
      disarm();
      offDoc();
      offWin();
    },
  };
}

function safeHasFocus(doc: Document): boolean {
  try {
    return doc.hasFocus();
  } catch {
    return true;
  }
}
