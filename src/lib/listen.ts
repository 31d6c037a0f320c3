/**
 * Adds `fn` for each of the space-separated event `types` on `target`;
 * returns what removes them again (with the same capture flag).
 */
export function listen(target: EventTarget, types: string, fn: (e: never) => void, opts?: boolean | AddEventListenerOptions): () => void {
  const each = (add?: boolean) => {
    for (const type of types.split(' ')) target[add ? 'addEventListener' : 'removeEventListener'](type, fn as EventListener, opts);
  };
  each(true);
  return () => each();
}
