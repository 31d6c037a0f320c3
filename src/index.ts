/** goalpost as an ES module: `import { init } from 'goalpost'`. No effects until init(). */
export { init } from './init';
export type { GoalIdsOf } from './init';
export { parseConfig } from './config';
export type { GoalpostConfig, ResolvedConfig, Goal, GoalKind, Match, ParseResult } from './config';
export type { Tracker, TrackerEnv, TrackProps, ConsentChoice } from './tracker';
export type { Hit, HitType, PageviewHit, EventHit, GoalHit, TimingHit, Payload, Speed, NavType, ScreenClass } from './schema';
