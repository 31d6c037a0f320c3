import { describe, expect, it } from 'vitest';
import { LIMITS, normalizeEvent } from '../../src/eventInput';
import { toJson } from '../../src/lib/toJson';

describe('normalizeEvent: refusals', () => {
  it.each([undefined, null, '', '   ', 42, {}])('refuses action %j', (action) => {
    const r = normalizeEvent(action, undefined);
    expect(r.event).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/needs an action name/);
  });

  it.each([NaN, Infinity, -Infinity, '12', 10n, null])('refuses value %s', (value) => {
    const r = normalizeEvent('buy', { value });
    expect(r.event).toBeUndefined();
    expect(r.warnings[0]).toMatch(/value must be a finite number/);
  });

  it('refuses props that are not an object', () => {
    for (const props of ['x', 1, [1, 2], () => 1]) {
      expect(normalizeEvent('a', props).event).toBeUndefined();
    }
  });
});

describe('normalizeEvent: fields and caps', () => {
  it('takes action, category, label, value and custom props', () => {
    const r = normalizeEvent(' add_to_cart ', { category: 'shop', label: 7, value: 12.5, sku: 'A1', qty: 2, gift: false, note: null });
    expect(r.warnings).toEqual([]);
    expect(r.event).toEqual({ action: 'add_to_cart', category: 'shop', label: '7', value: 12.5, props: { sku: 'A1', qty: 2, gift: false, note: null } });
  });

  it('caps action, category and label lengths with a warning', () => {
    const r = normalizeEvent('a'.repeat(300), { category: 'c'.repeat(300), label: 'l'.repeat(2000) });
    expect(r.event!.action).toHaveLength(LIMITS.action);
    expect(r.event!.category).toHaveLength(LIMITS.category);
    expect(r.event!.label).toHaveLength(LIMITS.label);
    expect(r.warnings).toHaveLength(3);
  });

  it('caps the number of props and says so once', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const r = normalizeEvent('a', { ...many, value: 3 });
    expect(Object.keys(r.event!.props!)).toHaveLength(LIMITS.propKeys);
    expect(r.event!.value).toBe(3);
    expect(r.warnings.filter((w) => w.includes('more than'))).toHaveLength(1);
  });

  it('caps prop texts and key names', () => {
    const r = normalizeEvent('a', { ['k'.repeat(100)]: 'v'.repeat(2000) });
    const [[key, v]] = Object.entries(r.event!.props!);
    expect(key).toHaveLength(LIMITS.propKey);
    expect(v).toHaveLength(LIMITS.propString);
    expect(r.warnings.join()).toMatch(/shortened/);
  });

  it('holds the code to LIMITS: list entries, nested keys, depth and the messages', () => {
    const list = (n: number) => Array.from({ length: n }, () => 1);
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
    const r = normalizeEvent('a', { ok: list(LIMITS.propItems), long: list(LIMITS.propItems + 1), flat: keys(LIMITS.propKeys), wide: keys(LIMITS.propKeys + 1) });
    expect(r.event!.props!.ok).toHaveLength(LIMITS.propItems);
    expect(Object.keys(r.event!.props!.flat as object)).toHaveLength(LIMITS.propKeys);
    expect(r.event!.props!.long).toBeUndefined();
    expect(r.event!.props!.wide).toBeUndefined();
    expect(r.warnings.join()).toContain(`plain objects up to ${LIMITS.propDepth} levels deep`);
    let deep: unknown = 1;
    for (let i = 0; i < LIMITS.propDepth; i++) deep = { d: deep };
    expect(normalizeEvent('a', { x: deep }).warnings).toEqual([]);
    expect(normalizeEvent('a', { x: { d: deep } }).warnings).toHaveLength(1);
    const many = normalizeEvent('a', keys(LIMITS.propKeys + 1)).warnings.join();
    expect(many).toContain(`more than ${LIMITS.propKeys} props`);
    expect(normalizeEvent('a', { s: 'x'.repeat(LIMITS.propString + 1) }).warnings.join()).toContain(`longer than ${LIMITS.propString} characters`);
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    expect(normalizeEvent('a', big).warnings.join()).toContain(`over ${LIMITS.propsBytes} bytes`);
  });

  it('refuses props over the byte cap but still sends the event', () => {
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    const r = normalizeEvent('a', big);
    expect(r.event).toEqual({ action: 'a' });
    expect(r.warnings.join()).toMatch(/over 4096 bytes/);
  });

  it('keeps nested plain objects up to the depth cap, lists of plain values only', () => {
    const r = normalizeEvent('a', { cart: { items: 2, meta: { tier: 'gold', deep: { x: 1, deeper: { y: 1 } } } }, tags: ['a', 1, true, null, { no: 1 }] });
    expect(r.event!.props).toEqual({ cart: { items: 2, meta: { tier: 'gold', deep: { x: 1 } } }, tags: ['a', 1, true, null] });
    expect(r.warnings.join()).toMatch(/"cart\.meta\.deep\.deeper", "tags\[4\]"/);
  });
});

describe('normalizeEvent: hostile props never break serialisation', () => {
  it('drops functions, symbols, BigInt, NaN, DOM nodes, Dates, Maps and class instances with one warning', () => {
    class Thing {
      x = 1;
    }
    const r = normalizeEvent('a', {
      ok: 1, fn: () => 1, sym: Symbol('s'), big: 10n, nan: NaN, node: document.body, when: new Date(), map: new Map(), thing: new Thing(),
    });
    expect(r.event!.props).toEqual({ ok: 1 });
    expect(r.warnings).toHaveLength(1);
    expect(() => toJson(r.event)).not.toThrow();
  });

  it('cuts cycles at the depth cap', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    const list: unknown[] = [1];
    list.push(list);
    const r = normalizeEvent('a', { a, list });
    expect(() => toJson(r.event)).not.toThrow();
    expect(r.event!.props).toEqual({ a: { n: 1, self: { n: 1, self: { n: 1 } } }, list: [1] });
  });

  it('survives getters that throw, Proxies and a "__proto__" key', () => {
    const props = JSON.parse('{"__proto__": {"polluted": 1}, "ok": 2}');
    Object.defineProperty(props, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    props.proxy = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    const r = normalizeEvent('a', props);
    expect(toJson(r.event!.props)).toBe('{"__proto__":{"polluted":1},"ok":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.warnings.join()).toMatch(/"boom", "proxy"/);
  });

  it('sends the event without props when the props object itself cannot be listed', () => {
    const r = normalizeEvent('a', new Proxy({}, { ownKeys: () => { throw new Error('no'); } }));
    expect(r.event).toEqual({ action: 'a' });
    expect(r.warnings).toHaveLength(1);
  });

  it('reads only own keys: enumerable properties on Object.prototype are ignored', () => {
    // (Not "value": that one breaks Object.defineProperty for the whole realm, test runner included.)
    const proto = Object.prototype as Record<string, unknown>;
    proto.category = 7;
    proto.label = { evil: 1 };
    proto.extra = 'evil';
    try {
      const r = normalizeEvent('a', { value: 1 });
      expect(r.event).toEqual({ action: 'a', value: 1 });
      expect(r.warnings).toEqual([]);
    } finally {
      delete proto.category;
      delete proto.label;
      delete proto.extra;
    }
  });
});

describe('toJson', () => {
  it('ignores toJSON a page put on Array.prototype and Object.prototype', () => {
    const arr = Array.prototype as unknown as { toJSON?: () => unknown };
    const obj = Object.prototype as { toJSON?: () => unknown };
    arr.toJSON = () => 'broken';
    obj.toJSON = () => 'broken';
    try {
      expect(JSON.stringify({ a: [1, { b: 2 }] })).toBe('"broken"');
      expect(toJson({ a: [1, { b: 2 }], s: 'x' })).toBe('{"a":[1,{"b":2}],"s":"x"}');
    } finally {
      delete arr.toJSON;
      delete obj.toJSON;
    }
  });

  it('also with only Object.prototype.toJSON', () => {
    const obj = Object.prototype as { toJSON?: () => unknown };
    obj.toJSON = () => 'broken';
    try {
      expect(toJson({ a: [1, { b: 2 }] })).toBe('{"a":[1,{"b":2}]}');
    } finally {
      delete obj.toJSON;
    }
  });

  it('keeps working when the page replaces JSON.stringify later', () => {
    const original = JSON.stringify;
    JSON.stringify = () => {
      throw new Error('page broke it');
    };
    try {
      expect(toJson({ a: 1 })).toBe('{"a":1}');
    } finally {
      JSON.stringify = original;
    }
  });
});

describe('normalizeEvent: cost', () => {
  it('handles 1,000 typical calls in well under 20 ms', () => {
    const props = { category: 'shop', label: 'hero', value: 3, sku: 'A1', qty: 2, tags: ['x', 'y'], meta: { a: 1 } };
    // Best of 5: the first runs pay for JIT warm-up and GC on a busy machine.
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const t = performance.now();
      for (let i = 0; i < 1000; i++) normalizeEvent('add_to_cart', props);
      best = Math.min(best, performance.now() - t);
    }
    expect(best).toBeLessThan(10);
  });
});
