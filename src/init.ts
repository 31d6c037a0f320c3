import { parseConfig, type GoalpostConfig } from './config';
import { error, warn } from './lib/log';
import { createTracker, trackerOf, type Tracker, type TrackerEnv } from './tracker';

/** The goal ids a config literal declares, so `goal('purchse')` fails to compile. */
export type GoalIdsOf<C> = C extends { goals?: readonly (infer G)[] } ? (G extends { id: infer I extends string } ? I : never) : never;
type IdsOrString<C> = [GoalIdsOf<C>] extends [never] ? string : string extends GoalIdsOf<C> ? string : GoalIdsOf<C>;

let running: Tracker | undefined;

/**
 * Validates the config and starts goalpost, once per page. An invalid config
 * is reported in one console.error listing every problem; goalpost then stays
 * inert and the page runs on.
 */
export function init<const C extends GoalpostConfig>(config: C, env?: TrackerEnv): Tracker<IdsOrString<C>> {
  if (running) {
    warn('init() was called again; goalpost is already running and keeps its first config.');
    return running as Tracker<IdsOrString<C>>;
  }
  let tracker: Tracker;
  try {
    const parsed = parseConfig(config);
    if (!parsed.ok) {
      error(`invalid config, goalpost is not running:\n  - ${parsed.problems.join('\n  - ')}`);
      return trackerOf();
    }
    tracker = createTracker(parsed.config, env);
  } catch (e) {
    error('could not start', e);
    return trackerOf();
  }
  const destroy = tracker.destroy;
  running = { ...tracker, destroy: () => { destroy(); running = undefined; } };
  return running as Tracker<IdsOrString<C>>;
}
