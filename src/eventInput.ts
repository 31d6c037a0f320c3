import type { EventFields } from './hits';

/** What `track` accepts: category, label, value, and any custom keys (sent as `props`). */
export interface TrackProps {
  category?: string;
  label?: string;
  value?: number;
  [key: string]: unknown;
}

export const LIMITS = { action: 256, category: 256, label: 1024, propKeys: 25, propKey: 64, propString: 1024, propsBytes: 4096 } as const;

type PropValue = string | number | boolean | null | (string | number | boolean | null)[];

/**
 * Turns `track(action, props)` into an event, or explains why it cannot.
 * Problems that lose only part of the input come back as warnings.
 */
export function normalizeEvent(action: unknown, props: unknown): { event?: EventFields; warnings: string[] } {
  const warnings: string[] = [];
  if (typeof action !== 'string' || !action.trim()) {
    return { warnings: [`track() needs an action name (a non-empty string), got ${describe(action)}; event not sent`] };
  }
  const event: EventFields = { action: cap(action.trim(), LIMITS.action, 'action', warnings) };
  if (props === undefined || props === null) return { event, warnings };
  if (typeof props !== 'object' || Array.isArray(props)) {
    return { warnings: [`track("${event.action}") props must be an object, got ${describe(props)}; event not sent`] };
  }
  const p = props as Record<string, unknown>;
  if (p.value !== undefined) {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
      return { warnings: [`track("${event.action}") value must be a finite number, got ${describe(p.value)}; event not sent`] };
    }
    event.value = p.value;
  }
  for (const key of ['category', 'label'] as const) {
    const v = p[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number') event[key] = cap(String(v), LIMITS[key], key, warnings);
    else warnings.push(`track("${event.action}") ${key} must be text, got ${describe(v)}; left out`);
  }
  const custom: Record<string, PropValue> = {};
  let count = 0;
  for (const key of Object.keys(p)) {
    if (key === 'value' || key === 'category' || key === 'label') continue;
    const v = clean(p[key]);
    if (v === undefined) {
      warnings.push(`track("${event.action}") prop "${key}" must be text, a number, true/false, null or a list of those; left out`);
      continue;
    }
    if (++count > LIMITS.propKeys) {
      warnings.push(`track("${event.action}") has more than ${LIMITS.propKeys} props; the rest are left out`);
      break;
    }
    custom[key.slice(0, LIMITS.propKey)] = v;
  }
  if (count) {
    let size = LIMITS.propsBytes + 1;
    try {
      size = JSON.stringify(custom).length;
    } catch {
      /* counted as too big */
    }
    if (size > LIMITS.propsBytes) warnings.push(`track("${event.action}") props are over ${LIMITS.propsBytes} bytes; props left out`);
    else event.props = custom;
  }
  return { event, warnings };
}

function clean(v: unknown): PropValue | undefined {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return v.slice(0, LIMITS.propString);
  if (Array.isArray(v) && v.length <= 50) {
    const out: (string | number | boolean | null)[] = [];
    for (const item of v) {
      const c = clean(item);
      if (c === undefined || Array.isArray(c)) return undefined;
      out.push(c);
    }
    return out;
  }
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
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  if (typeof v === 'object') return 'an object';
  return String(v);
}
