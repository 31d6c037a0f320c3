/**
 * A `Retry-After` header (delta seconds or an HTTP-date) as ms from `now`,
 * capped at 5 min (a collector cannot park a visitor's hits for hours);
 * undefined when absent or unreadable. RFC 9110 section 10.2.3.
 */
export function retryAfter(value: string | null | undefined, now: number): number | undefined {
  const s = value?.trim();
  if (!s) return undefined;
  const ms = /^\d+$/.test(s) ? +s * 1000 : /[a-z]/i.test(s) ? Date.parse(s) - now : NaN;
  return isNaN(ms) ? undefined : Math.min(300_000, Math.max(0, ms));
}
