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
  if (typeof action !== 'string' || !action.trim()) {
    return { warnings: [`track() needs an action name (a non-empty string), got ${describe(action)}; event not sent`] };
  }
  const event: EventFields = { action: cap(action.trim(), LIMITS.action, 'action', warnings) };
  if (props === undefined || props === null) return { event, warnings };
  const name = `track("${event.action.slice(0, 40)}")`;
  if (typeof props !== 'object' || Array.isArray(props)) {
    return { warnings: [`${name} props must be an object, got ${describe(props)}; event not sent`] };
  }
  // A null-prototype object: a key named "__proto__" stays a key, and setters a page put on Object.prototype never run.
  const custom: Record<string, PropValue> = Object.create(null);
  const budget: Budget = { bytes: LIMITS.propsBytes, bad: [], cut: false };
  let count = 0;
  let keys: string[] = [];
  try {
    keys = Object.keys(props);
  } catch {
    budget.bad.push('(all: they cannot be listed)');
  }
  for (const key of keys) {
    let v: unknown;
    try {
      v = (props as Record<string, unknown>)[key];
    } catch {
      budget.bad.push(key);
      continue;
    }
    if (key === 'value') {
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return { warnings: [`${name} value must be a finite number, got ${describe(v)}; event not sent`] };
      }
      event.value = v;
    } else if (key === 'category' || key === 'label') {
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) event[key] = cap(String(v), LIMITS[key], key, warnings);
      else if (v != null) budget.bad.push(key);
    } else if (++count > LIMITS.propKeys) {
      if (count === LIMITS.propKeys + 1) warnings.push(`${name} has more than ${LIMITS.propKeys} props; the rest are left out`);
    } else {
      const c = clean(v, LIMITS.propDepth, budget, key);
      if (c !== undefined) custom[key.slice(0, LIMITS.propKey)] = c;
      budget.bytes -= key.length + 3;
    }
  }
  if (budget.bytes < 0) warnings.push(`${name} props are over ${LIMITS.propsBytes} bytes; props left out`);
  else if (Object.keys(custom).length) event.props = custom;
  if (budget.cut) warnings.push(`${name} props texts longer than ${LIMITS.propString} characters were shortened`);
  if (budget.bad.length) {
    warnings.push(`${name} left out ${budget.bad.map((k) => `"${k.slice(0, 40)}"`).join(', ')}: props take text, finite numbers, true/false, null, lists of those and plain objects up to ${LIMITS.propDepth} levels deep`);
  }
  return { event, warnings };
}

interface Budget {
  /** Bytes left; below 0 the props are over the cap. */
  bytes: number;
  /** Paths left out. */
  bad: string[];
  /** A text was shortened. */
  cut: boolean;
}

/** Plain data from `v`, or undefined (noted in `budget.bad`). Bounded by depth and the byte budget, so cycles end. */
function clean(v: unknown, depth: number, budget: Budget, path: string): PropValue | undefined {
  if (budget.bytes < 0) return undefined;
  if (v === null || typeof v === 'boolean') {
    budget.bytes -= 5;
    return v;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    budget.bytes -= 8;
    return v;
  }
  if (typeof v === 'string') {
    const s = v.length > LIMITS.propString ? v.slice(0, LIMITS.propString) : v;
    if (s !== v) budget.cut = true;
    budget.bytes -= s.length + 3;
    return s;
  }
  if (depth > 0 && typeof v === 'object') {
    try {
      if (Array.isArray(v)) {
        if (v.length > LIMITS.propItems) throw 0;
        const out: Plain[] = [];
        for (let i = 0; i < v.length; i++) {
          // Lists hold plain values only (the wire format's props).
          const c = clean(v[i], 0, budget, `${path}[${i}]`);
          if (c !== undefined) out.push(c as Plain);
        }
        budget.bytes -= 2;
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      // Plain objects only: not DOM nodes, Dates, Maps or class instances.
      if (proto === Object.prototype || proto === null) {
        const out: Record<string, PropValue> = Object.create(null);
        const keys = Object.keys(v);
        if (keys.length > LIMITS.propKeys) throw 0;
        for (const k of keys) {
          const c = clean((v as Record<string, unknown>)[k], depth - 1, budget, `${path}.${k}`);
          if (c !== undefined) out[k.slice(0, LIMITS.propKey)] = c;
          budget.bytes -= k.length + 3;
        }
        return out;
      }
    } catch {
      /* a throwing getter or Proxy, or too many entries: left out below */
    }
  }
  budget.bad.push(path);
  return undefined;
}

function cap(s: string, max: number, what: string, warnings: string[]): string {
  if (s.length <= max) return s;
  warnings.push(`${what} longer than ${max} characters was shortened`);
  return s.slice(0, max);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.slice(0, 40)}"`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'function') return 'a function';
  return typeof v === 'bigint' ? `${v}n` : String(v);
}
