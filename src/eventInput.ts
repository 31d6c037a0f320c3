import type { EventFields } from './hits';

/** What `track` accepts: category, label, value, and any custom keys (sent as `props`). */
export interface TrackProps {
  category?: string;
  label?: string;
  value?: number;
  [key: string]: unknown;
}

/**
 * Caps on what one event may carry. `propDepth`: levels of nested plain
 * objects (1 = flat); `propItems`: entries of a list; `propsBytes`: the props'
 * JSON size, counted as the walk goes, so the work per call stays bounded.
 * The code below writes these numbers in place (a name would cost bytes in the
 * script-tag file); test/unit/eventInput.test.ts holds the two to each other.
 */
export const LIMITS = {
  action: 256, category: 256, label: 1024,
  propKeys: 25, propKey: 64, propString: 1024, propItems: 50, propDepth: 3, propsBytes: 4096,
} as const;

type Plain = string | number | boolean | null;
/** Plain data a prop may hold (the wire format's `props`): lists hold plain values only. */
export type PropValue = Plain | Plain[] | { [key: string]: PropValue };

/**
 * Turns `track(action, props)` into an event, or explains why it cannot.
 * Reads each own key of `props` once; never follows prototypes, getters that
 * throw, cycles, DOM nodes or class instances. Problems that lose only part
 * of the input come back as warnings (the caller logs them in one line).
 */
export function normalizeEvent(action: unknown, props: unknown): { event?: EventFields; warnings: string[] } {
  const warnings: string[] = [];
  const cap = (s: string, max: number, what: string): string => {
    if (s.length <= max) return s;
    warnings.push(`${what} longer than ${max} characters was shortened`);
    return s.slice(0, max);
  };
  if (typeof action !== 'string' || !action.trim()) return refuse('track() needs an action name (a non-empty string)', action);
  const event: EventFields = { action: cap(action.trim(), 256, 'action') };
  if (props === undefined || props === null) return { event, warnings };
  const name = `track("${event.action.slice(0, 40)}")`;
  if (typeof props !== 'object' || Array.isArray(props)) return refuse(`${name} props must be an object`, props);
  // A null-prototype object: a key named "__proto__" stays a key, and setters a page put on Object.prototype never run.
  const custom: Record<string, PropValue> = Object.create(null);
  /** Bytes left; below 0 the props are over the cap. */
  let bytes = 4096;
  /** Paths left out. */
  const bad: string[] = [];
  /** A text was shortened. */
  let cut = false;

  /** Plain data from `v`, or undefined (noted in `bad`). Bounded by depth and the byte budget, so cycles end. */
  const clean = (v: unknown, depth: number, path: string): PropValue | undefined => {
    if (bytes < 0) return undefined;
    if (v === null || typeof v === 'boolean') {
      bytes -= 5;
      return v;
    }
    // Number.isFinite is false for anything but a number.
    if (Number.isFinite(v)) {
      bytes -= 8;
      return v as number;
    }
    if (typeof v === 'string') {
      if (v.length > 1024) {
        v = v.slice(0, 1024);
        cut = true;
      }
      bytes -= (v as string).length + 3;
      return v as string;
    }
    if (depth > 0 && typeof v === 'object') {
      try {
        if (Array.isArray(v)) {
          if (v.length > 50) throw 0;
          const out: Plain[] = [];
          for (let i = 0; i < v.length; i++) {
            // Lists hold plain values only (the wire format's props).
            const c = clean(v[i], 0, `${path}[${i}]`);
            if (c !== undefined) out.push(c as Plain);
          }
          bytes -= 2;
          return out;
        }
        const proto = Object.getPrototypeOf(v);
        // Plain objects only: not DOM nodes, Dates, Maps or class instances.
        if (proto === Object.prototype || proto === null) {
          const out: Record<string, PropValue> = Object.create(null);
          const keys = Object.keys(v);
          if (keys.length > 25) throw 0;
          for (const k of keys) put(out, k, clean((v as Record<string, unknown>)[k], depth - 1, `${path}.${k}`));
          return out;
        }
      } catch {
        /* a throwing getter or Proxy, or too many entries: left out below */
      }
    }
    bad.push(path);
    return undefined;
  };
  const put = (out: Record<string, PropValue>, k: string, c: PropValue | undefined) => {
    if (c !== undefined) out[k.slice(0, 64)] = c;
    bytes -= k.length + 3;
  };

  let count = 0;
  let keys: string[] = [];
  try {
    keys = Object.keys(props);
  } catch {
    bad.push('(all: they cannot be listed)');
  }
  for (const key of keys) {
    let v: unknown;
    try {
      v = (props as Record<string, unknown>)[key];
    } catch {
      bad.push(key);
      continue;
    }
    if (key === 'value') {
      if (v === undefined) continue;
      if (!Number.isFinite(v)) return refuse(`${name} value must be a finite number`, v);
      event.value = v as number;
    } else if (key === 'category' || key === 'label') {
      if (typeof v === 'string' || Number.isFinite(v)) event[key] = cap(String(v), key === 'label' ? 1024 : 256, key);
      else if (v != null) bad.push(key);
    } else if (++count > 25) {
      if (count === 26) warnings.push(`${name} has more than 25 props; the rest are left out`);
    } else put(custom, key, clean(v, 3, key));
  }
  if (bytes < 0) warnings.push(`${name} props are over 4096 bytes; props left out`);
  else if (Object.keys(custom).length) event.props = custom;
  if (cut) warnings.push(`${name} props texts longer than 1024 characters were shortened`);
  if (bad.length) {
    warnings.push(`${name} left out ${bad.map((k) => `"${k.slice(0, 40)}"`).join(', ')}: props take text, finite numbers, true/false, null, lists of those and plain objects up to 3 levels deep`);
  }
  return { event, warnings };
}

/** No event: `what` was wrong with the input, and what it got instead. */
function refuse(what: string, v: unknown): { warnings: string[] } {
  return { warnings: [`${what}, got ${describe(v)}; event not sent`] };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.slice(0, 40)}"`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'function') return 'a function';
  return typeof v === 'bigint' ? `${v}n` : String(v);
}
