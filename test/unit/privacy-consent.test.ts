import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONSENT_KEY, MAX_HELD } from '../../src/consent';
import { CLIENT_KEY, SESSION_KEY } from '../../src/session';
import type { Tracker } from '../../src/tracker';
import { privacySignals, recordingFetch, resetPage, settle, startTracker, storageSnapshot } from './privacyHelpers';

const onlyDenial = { local: { [CONSENT_KEY]: 'denied' }, session: {}, cookies: '', idb: [] };
const nothing = { local: {}, session: {}, cookies: '', idb: [] };

let trackers: Tracker[] = [];
const start = (...args: Parameters<typeof startTracker>) => {
  const t = startTracker(...args);
  trackers.push(t);
  return t;
};
afterEach(() => {
  trackers.forEach((t) => t.destroy());
  trackers = [];
  resetPage();
});

describe('requireConsent', () => {
  it('stores and sends nothing before a grant, then sends the held hits with the ids it stores', async () => {
    const net = recordingFetch();
    const t = start({ privacy: { requireConsent: true } }, net);
    t.track('before', { label: 'x' });
    await t.flush();
    await settle();
    expect(net.sent).toEqual([]);
    expect(await storageSnapshot()).toEqual(nothing);

    t.consent('granted');
    await t.flush();
    await settle();
    const hits = net.hits();
    expect(hits.map((h) => h.type)).toEqual(['pageview', 'event']);
    const local = (await storageSnapshot()).local;
    expect(local[CONSENT_KEY]).toBe('granted');
    expect(hits.every((h) => h.cid === local[CLIENT_KEY])).toBe(true);
    expect(net.sent[0].init.credentials).toBe('omit');
  });

  it('a grant is remembered: the next page tracks at once', async () => {
    const first = start({ privacy: { requireConsent: true } }, recordingFetch());
    first.consent('granted');
    await first.flush();
    trackers.pop()!.destroy();
    const net = recordingFetch();
    await start({ privacy: { requireConsent: true } }, net).flush();
    await settle();
    expect(net.hits().map((h) => h.type)).toEqual(['pageview']);
  });

  it('holds at most MAX_HELD hits in memory', async () => {
    const net = recordingFetch();
    const t = start({ privacy: { requireConsent: true }, batch: { maxHits: 10000 } }, net);
    for (let i = 0; i < MAX_HELD + 50; i++) t.track('e');
    t.consent('granted');
    await t.flush();
    await settle();
    expect(net.hits()).toHaveLength(MAX_HELD);
  });

  it('a denial while waiting drops the held hits and keeps only the denial', async () => {
    const net = recordingFetch();
    const t = start({ privacy: { requireConsent: true } }, net);
    t.track('before');
    // Ids another tab (say, an older goalpost) stored meanwhile go too: the denial is for the origin.
    localStorage.setItem(CLIENT_KEY, 'other-tab-client-id');
    t.consent('denied');
    t.track('after');
    await t.flush();
    await settle();
    expect(net.sent).toEqual([]);
    expect(await storageSnapshot()).toEqual(onlyDenial);
  });
});

describe('consent("denied")', () => {
  it('after a grant: drops what waits, forgets the ids, sends nothing more; later hits stay unsent after a new grant', async () => {
    const net = recordingFetch();
    const t = start({}, net);
    t.track('one');
    await t.flush();
    await settle();
    const firstCid = net.hits()[0].cid;
    t.track('queued, never sent');
    t.consent('denied');
    // Deleting the IndexedDB queue completes asynchronously.
    await vi.waitFor(async () => expect(await storageSnapshot()).toEqual(onlyDenial));
    t.track('between');
    t.goal('nope');
    t.pageview('/between');
    await t.flush();
    await settle();
    expect(net.hits().map((h) => h.type === 'event' && h.event.action)).toEqual([false, 'one']);

    t.consent('granted');
    t.track('after grant');
    await t.flush();
    await settle();
    // A fresh start: new ids, the current page counted again, nothing from between.
    const last = net.hits().slice(2);
    expect(last.map((h) => (h.type === 'event' ? h.event.action : h.type))).toEqual(['pageview', 'after grant']);
    expect(last[0].cid).not.toBe(firstCid);
    expect(last[0].sid).not.toBe(net.hits()[0].sid);
    expect(JSON.stringify(net.sent)).not.toMatch(/"between"|never sent/);
  });

  it('is remembered: the next page sends and stores nothing, and removes ids an earlier page left', async () => {
    localStorage.setItem(CLIENT_KEY, 'left-over-client-id');
    localStorage.setItem(SESSION_KEY, '{}');
    localStorage.setItem(CONSENT_KEY, 'denied');
    const net = recordingFetch();
    const t = start({}, net);
    t.track('x');
    await t.flush();
    await settle();
    expect(net.sent).toEqual([]);
    expect(await storageSnapshot()).toEqual(onlyDenial);
  });

  it('made in another tab applies here too', async () => {
    const net = recordingFetch();
    const t = start({}, net);
    localStorage.setItem(CONSENT_KEY, 'denied');
    window.dispatchEvent(new StorageEvent('storage', { key: CONSENT_KEY, newValue: 'denied' }));
    t.track('x');
    await t.flush();
    await settle();
    expect(net.sent).toEqual([]);
    expect(await storageSnapshot()).toEqual(onlyDenial);
  });

  it('refuses anything but "granted" or "denied" with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    start({}).consent('yes' as 'granted');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(CONSENT_KEY)).toBeNull();
  });
});

describe.each([
  ['Do Not Track', { doNotTrack: '1' }],
  ['Global Privacy Control', { globalPrivacyControl: true }],
])('%s', (_, signal) => {
  it('stores and sends nothing, removes what an earlier page stored, says why once in debug', async () => {
    const undo = privacySignals(signal);
    try {
      localStorage.setItem(CLIENT_KEY, 'left-over-client-id');
      sessionStorage.setItem('goalpost.strip', 'pin');
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const net = recordingFetch();
      const t = start({ debug: true, goals: [{ id: 'g', kind: 'event', event: { action: 'x' } }] }, net);
      t.track('x');
      t.consent('granted');
      t.track('x');
      await t.flush();
      await settle();
      expect(net.sent).toEqual([]);
      expect(await storageSnapshot()).toEqual(nothing);
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0])).toMatch(/Do Not Track or Global Privacy Control is on/);
    } finally {
      undo();
    }
  });

  it('is ignored with respectDoNotTrack: false', async () => {
    const undo = privacySignals(signal);
    try {
      const net = recordingFetch();
      await start({ privacy: { respectDoNotTrack: false } }, net).flush();
      await settle();
      expect(net.hits()).toHaveLength(1);
    } finally {
      undo();
    }
  });
});
