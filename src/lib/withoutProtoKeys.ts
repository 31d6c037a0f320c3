/**
 * Runs `fn` while enumerable properties a page added to Object.prototype are
 * made non-enumerable, then puts them back. zod walks schemas with for-in
 * loops, so `Object.prototype.x = 1` on the page would otherwise make every
 * config fail. Only enumerability changes, only for the synchronous call.
 */
export function withoutProtoKeys<T>(fn: () => T): T {
  const proto = Object.prototype as Record<string, unknown>;
  const hidden: string[] = [];
  for (const k in proto) {
    if (Object.getOwnPropertyDescriptor(proto, k)?.configurable) {
      Object.defineProperty(proto, k, { enumerable: false });
      hidden.push(k);
    }
  }
  try {
    return fn();
  } finally {
    for (const k of hidden) Object.defineProperty(proto, k, { enumerable: true });
  }
}
