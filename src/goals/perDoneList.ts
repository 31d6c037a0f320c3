import type { GoalState } from './types';

/**
 * `make(state)`, worked out once per `done` list: a session's list is
 * replaced, never changed in place, so what is derived from it is kept
 * beside it until the list is dropped (the engine's flags, the tracker's
 * duration thresholds; both are asked on every hit).
 */
export function perDoneList<V extends object>(make: (state: GoalState) => V): (state: GoalState) => V {
  const cache = new WeakMap<readonly string[], V>();
  return (state) => {
    let v = cache.get(state.done);
    if (!v) cache.set(state.done, (v = make(state)));
    return v;
  };
}
