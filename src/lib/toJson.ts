// Taken when goalpost loads, so a page that replaces JSON.stringify later
// does not change what goalpost sends.
const stringify = JSON.stringify;

/**
 * JSON.stringify for goalpost's own plain data, immune to `toJSON` methods a
 * page added to Array.prototype or Object.prototype (Prototype.js 1.6 did:
 * arrays came out as strings). The replacer sees the raw value as `this[key]`
 * and returns it in place of what toJSON made; our data holds no Dates.
 */
export function toJson(value: unknown): string {
  // The replacer costs a call per value: only on a page that needs it ('in' also sees Object.prototype).
  return stringify(value, 'toJSON' in Array.prototype ? unpolluted : undefined);
}

function unpolluted(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  return raw !== null && typeof raw === 'object' ? raw : v;
}
