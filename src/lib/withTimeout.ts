/** `p`, or a rejection (no reason given: callers only need to know it failed) after `ms`: an IndexedDB open or transaction can hang forever (blocked upgrade, stuck disk). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, fail) => (timer = setTimeout(fail, ms)))]).finally(() => clearTimeout(timer));
}
