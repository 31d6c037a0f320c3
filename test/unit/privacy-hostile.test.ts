// A host page that does odd things must not break goalpost, and goalpost
// must never throw into it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { init } from '../../src/init';
import type { Tracker } from '../../src/tracker';
import { recordingFetch, resetPage, settle, startTracker } from './privacyHelpers';

const goals = [
  { id: 'purchase', kind: 'destination', url: { beginsWith: '/' } },
  { id: 'cart', kind: 'event', supports: 'purchase', event: { action: 'add' } },
] as const;

let tracker: Tracker | undefined;
afterEach(() => {
  tracker?.destroy();
  tracker = undefined;
  resetPage();
});

describe('a polluted page', () => {
  it('Object.prototype with an enumerable property and Array.prototype.toJSON: config still valid, hits and session intact', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const arr = Array.prototype as unknown as Record<string, unknown>;
    proto.polluted = 'yes';
    arr.toJSON = function () {
      return 'broken';
    };
    try {
      const net = recordingFetch();
      tracker = startTracker({ goals: goals as never, currency: 'EUR' }, net);
      tracker.track('add', { tags: ['a', 'b'] });
      tracker.track('other');
      await tracker.flush();
      await settle();
      const hits = net.hits();
      expect(hits.map((h) => h.type)).toEqual(['pageview', 'goal', 'event', 'goal', 'event']);
      const macro = hits.find((h) => h.type === 'goal' && h.goal.id === 'purchase');
      expect(macro && macro.type === 'goal' && macro.goal.supports).toEqual([]);
      const event = hits.find((h) => h.type === 'event');
      expect(event && event.type === 'event' && event.event.props).toEqual({ tags: ['a', 'b'] });
      // The session record survives a round trip through localStorage: one sid, seq 1..5.
      expect(new Set(hits.map((h) => h.sid)).size).toBe(1);
      expect(hits.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      delete proto.polluted;
      delete arr.toJSON;
    }
  });

  it('a fetch that throws, or rejects, reaches neither window.onerror nor unhandledrejection', async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    window.addEventListener('error', onError);
    process.on('unhandledRejection', onError);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const fetchImpl of [
        (() => {
          throw new TypeError('page broke fetch');
        }) as unknown as typeof fetch,
        (() => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch,
      ]) {
        const t = startTracker({}, { fetchImpl });
        t.track('x');
        expect(() => t.flush()).not.toThrow();
        await settle();
        t.destroy();
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual([]);
    } finally {
      window.removeEventListener('error', onError);
      process.off('unhandledRejection', onError);
      warn.mockRestore();
    }
  });
});

describe('every public call survives bad input', () => {
  it('refuses with a warning, never throws', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = startTracker({ goals: goals as never }, recordingFetch());
    tracker = t;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    const calls: (() => unknown)[] = [
      () => t.track(undefined as never),
      () => t.track('a', { value: NaN }),
      () => t.track('a', { value: 10n as never }),
      () => t.track('a', cyclic),
      () => t.track('a', hostile),
      () => t.track(hostile as never),
      () => t.track('a', { el: document.body, fn: () => 1 }),
      () => t.pageview('http://[bad'),
      () => t.pageview(hostile as never),
      () => t.goal('nope'),
      () => t.goal('purchase', Infinity),
      () => t.goal(hostile as never),
      () => t.consent('maybe' as never),
      () => t.consent(hostile as never),
    ];
    for (const call of calls) expect(call).not.toThrow();
    expect(warn.mock.calls.length).toBeGreaterThanOrEqual(calls.length);
  });

  it('init() with a broken config stays inert, with one console.error', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const endpoint of ['javascript:alert(1)', ' data:text/plain,x', 'JAVASCRIPT:void(0)']) {
      const t = init({ endpoint } as never);
      expect(() => t.track('x')).not.toThrow();
      t.destroy();
    }
    expect(error).toHaveBeenCalledTimes(3);
    expect(String(error.mock.calls[0])).toMatch(/endpoint: must be an http\(s\) or relative URL/);
  });
});

describe('init() on a page that polluted Object.prototype', () => {
  it('still accepts a valid config, and leaves the pollution as it found it', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const net = recordingFetch();
      const t = init({ endpoint: '/c', timing: false, goals: goals as never }, net);
      await t.flush();
      t.destroy();
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      expect(net.sent).toHaveLength(1);
      expect(Object.getOwnPropertyDescriptor(proto, 'polluted')).toEqual({ value: 'yes', writable: true, enumerable: true, configurable: true });
    } finally {
      delete proto.polluted;
    }
  });
});
