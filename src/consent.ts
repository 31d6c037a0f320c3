import { createMemoryStore, removeKeys, type KeyValue } from './lib/safeStorage';
import type { Hit } from './schema';

export type ConsentChoice = 'granted' | 'denied';

/**
 * `on`: ids in localStorage, hits sent. `held`: waiting for consent('granted'):
 * ids and hits in memory only. `off`: denied: nothing kept, nothing sent.
 */
export type ConsentMode = 'on' | 'held' | 'off';

/** The one key goalpost keeps under a denial: the denial itself. */
export const CONSENT_KEY = 'goalpost.consent';

/** Hits held while waiting for consent; later ones are dropped, so a page that never asks does not grow. */
export const MAX_HELD = 1000;

export interface ConsentHooks {
  /** Tracking may store and send: start delivery. `fresh`: after a denial, so the session needs new ids. */
  start(fresh: boolean): void;
  /** Send one hit (mode `on`). */
  send(hit: Hit): void;
  /** Denied: stop delivery, delete the stored queue, abort what waits. */
  stop(): void;
}

export interface Consent {
  mode(): ConsentMode;
  /** Where ids live: memory until consent allows localStorage. */
  readonly store: KeyValue;
  /** Sends the hit when on, holds it in memory while waiting, drops it when off. */
  deliver(hit: Hit): void;
  /** Applies a choice and remembers it (`remember: false` when another tab already did). */
  set(choice: ConsentChoice, remember?: boolean): void;
}

/**
 * Consent as SPEC section 7 has it. A remembered denial wins over
 * everything; with `requireConsent`, nothing is stored or sent until a grant.
 * `ids` are the keys forgotten on denial. Call `hooks.start` yourself when
 * the first `mode()` is `on`.
 */
export function createConsent(persistent: KeyValue, requireConsent: boolean, ids: readonly string[], hooks: ConsentHooks): Consent {
  const remembered = persistent.get(CONSENT_KEY);
  let mode: ConsentMode = remembered === 'denied' ? 'off' : requireConsent && remembered !== 'granted' ? 'held' : 'on';
  let current = mode === 'on' ? persistent : createMemoryStore();
  // Ids an earlier page left before the visitor denied (or before this site required consent).
  if (mode !== 'on') removeKeys(persistent, ids);
  const held: Hit[] = [];

  return {
    mode: () => mode,
    store: { get: (k) => current.get(k), set: (k, v) => current.set(k, v), remove: (k) => current.remove(k) },
    deliver(hit) {
      if (mode === 'on') hooks.send(hit);
      else if (mode === 'held' && held.length < MAX_HELD) held.push(hit);
    },
    set(choice, remember = true) {
      if (remember) persistent.set(CONSENT_KEY, choice);
      if (choice === 'denied') {
        if (mode === 'off') return;
        mode = 'off';
        held.length = 0;
        hooks.stop();
        // The memory store (if that was current) is dropped whole.
        removeKeys(persistent, ids);
        current = createMemoryStore();
      } else if (mode !== 'on') {
        const fresh = mode === 'off';
        // Held hits carry the memory ids: keep them.
        if (!fresh) for (const k of ids) {
          const v = current.get(k);
          if (v !== null) persistent.set(k, v);
        }
        current = persistent;
        mode = 'on';
        hooks.start(fresh);
        held.splice(0).forEach(hooks.send);
      }
    },
  };
}
