// goalpost never reads form field values; a GET form's secret fields, which
// the browser itself puts into the next URL, are stripped from it.
import { afterEach, describe, expect, it } from 'vitest';
import { CONSENT_KEY } from '../../src/consent';
import { FORM_KEY } from '../../src/privacy';
import type { Tracker } from '../../src/tracker';
import { recordingFetch, resetPage, settle, spyOnValues, startTracker, storageSnapshot } from './privacyHelpers';

let t: Tracker | undefined;
afterEach(() => {
  t?.destroy();
  t = undefined;
  resetPage();
  history.replaceState(null, '', '/');
});

const form = `<form method="get" action="/results" data-goalpost-event="search">
  <input name="q"><input type="password" name="PIN"><input name="card" autocomplete="cc-number"><button>Go</button></form>`;

function submitForm(): void {
  document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

describe('a tracked form', () => {
  it('sends only its declared event and never reads a value', async () => {
    const net = recordingFetch();
    t = startTracker({}, net);
    document.body.innerHTML = form;
    for (const el of document.querySelectorAll('input')) el.value = 'SECRET-4711';
    const [reads, restore] = spyOnValues();
    submitForm();
    restore();
    await t.flush();
    await settle();
    expect(reads()).toBe(0);
    expect(net.hits().map((h) => (h.type === 'event' ? h.event : h.type))).toEqual(['pageview', { action: 'search' }]);
    expect(JSON.stringify(net.sent)).not.toContain('SECRET');
  });
});

describe('GET form secrets', () => {
  it('are stripped from the next page URL and from later referrers in the tab; other fields stay', async () => {
    t = startTracker({}, recordingFetch());
    document.body.innerHTML = form;
    submitForm();
    await t.flush();
    t.destroy();
    expect(sessionStorage.getItem(FORM_KEY)).toBe('pin,card');

    // The next page: its URL carries the fields, as the browser put them there.
    history.replaceState(null, '', '/results?q=tea&PIN=4711&card=4111111111111111');
    const net = recordingFetch();
    t = startTracker({}, net);
    t.pageview('/later');
    await t.flush();
    await settle();
    const [first, later] = net.hits() as { url: string; ref?: string }[];
    expect(first.url).toBe('http://localhost:3000/results?q=tea');
    expect(later.ref).toBe('http://localhost:3000/results?q=tea');
    expect(JSON.stringify(net.sent)).not.toMatch(/4711|4111/);
  });

  it('are not remembered before consent, and forgotten on denial', async () => {
    t = startTracker({ privacy: { requireConsent: true } }, recordingFetch());
    document.body.innerHTML = form;
    submitForm();
    expect(sessionStorage.getItem(FORM_KEY)).toBeNull();
    t.consent('granted');
    submitForm();
    expect(sessionStorage.getItem(FORM_KEY)).toBe('pin,card');
    t.consent('denied');
    expect((await storageSnapshot()).session).toEqual({});
    expect((await storageSnapshot()).local).toEqual({ [CONSENT_KEY]: 'denied' });
  });
});
