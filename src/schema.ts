/**
 * The wire format, version 1 (docs/spec.md section 5), and the config schema:
 * exported as `goalpost/schema` for collectors and tooling.
 */
import { z } from './lib/zod';

export { configSchema, goalSchema, matchSchema, parseConfig, formatPath } from './config';
export type { GoalpostConfig, ResolvedConfig, Goal, GoalKind, Match } from './config';

const ms = z.number().check(z.gte(0), z.refine(Number.isFinite, 'must be finite'));
const text = z.string().check(z.maxLength(2048));

const hitBase = {
  /** Unique per hit, the same on every retry: collectors dedup on it. */
  id: z.string().check(z.minLength(8), z.maxLength(64)),
  /** Epoch ms on the client clock when the hit happened. */
  ts: ms,
  /** Client, session and page-view ids. */
  cid: z.string().check(z.minLength(1), z.maxLength(64)),
  sid: z.string().check(z.minLength(1), z.maxLength(64)),
  pid: z.string().check(z.minLength(1), z.maxLength(64)),
  /** 1, 2, 3 ... within the session as one tab sees it. */
  seq: z.int().check(z.gte(1)),
  /** Absolute page URL after privacy stripping. */
  url: text,
};

export const navTypes = ['navigate', 'reload', 'back_forward', 'back-forward-cache', 'spa'] as const;
export const screenClasses = ['mobile', 'tablet', 'desktop'] as const;

export const pageviewHitSchema = z.object({
  ...hitBase,
  type: z.literal('pageview'),
  ref: z.optional(text),
  nav: z.enum(navTypes),
  screen: z.enum(screenClasses),
});

const propValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const eventHitSchema = z.object({
  ...hitBase,
  type: z.literal('event'),
  event: z.object({
    action: z.string().check(z.minLength(1), z.maxLength(256)),
    category: z.optional(z.string().check(z.maxLength(256))),
    label: z.optional(z.string().check(z.maxLength(1024))),
    value: z.optional(z.number()),
    props: z.optional(z.record(z.string(), z.union([propValue, z.array(propValue), z.record(z.string(), z.unknown())]))),
  }),
});

export const speedSchema = z.object({ ttfb: z.optional(ms), fcp: z.optional(ms), lcp: z.optional(ms) });

export const goalHitSchema = z.object({
  ...hitBase,
  type: z.literal('goal'),
  goal: z.object({
    id: z.string(),
    kind: z.enum(['destination', 'duration', 'pagesPerSession', 'event']),
    role: z.enum(['macro', 'micro']),
    /** Macro goals this one supports; [] on a macro goal. */
    supports: z.array(z.string()),
    value: z.optional(z.number()),
    currency: z.optional(z.string()),
    /** On a macro goal: its micro goals reached earlier in the session. */
    assists: z.optional(z.array(z.string())),
    /** On a macro goal with a funnel: one boolean per step, seen or not. */
    funnel: z.optional(z.array(z.boolean())),
  }),
  /** The current document's TTFB, FCP and LCP known when the goal converted (on an SPA view: its hard load's). */
  speed: speedSchema,
});

/**
 * One per hard load or back/forward-cache restore, `pid` that page view's.
 * Sent at the first hide, or after 60 s while visible, and again at a later
 * hide with new values: a collector keeps the latest per `pid` (by `ts`, then `seq`).
 */
export const timingHitSchema = z.object({
  ...hitBase,
  type: z.literal('timing'),
  /** ms from navigation start (activation if prerendered, the restore after bfcache); `cls` unitless; only what was measured. */
  timing: z.object({
    ttfb: z.optional(ms),
    fcp: z.optional(ms),
    lcp: z.optional(ms),
    inp: z.optional(ms),
    cls: z.optional(z.number().check(z.gte(0))),
    dcl: z.optional(ms),
    load: z.optional(ms),
    nav: z.optional(z.enum(navTypes)),
  }),
});

export const hitSchema = z.discriminatedUnion('type', [pageviewHitSchema, eventHitSchema, goalHitSchema, timingHitSchema]);

export const payloadSchema = z.object({
  v: z.literal(1),
  site: z.string().check(z.maxLength(100)),
  /** Epoch ms when this request was made: lets a collector correct clock skew. */
  sentAt: ms,
  /** Hits dropped by the client's queue since the last payload. */
  dropped: z.int().check(z.gte(0)),
  hits: z.array(hitSchema).check(z.minLength(1)),
});

export type PageviewHit = z.infer<typeof pageviewHitSchema>;
export type EventHit = z.infer<typeof eventHitSchema>;
export type GoalHit = z.infer<typeof goalHitSchema>;
export type TimingHit = z.infer<typeof timingHitSchema>;
export type Hit = z.infer<typeof hitSchema>;
export type HitType = Hit['type'];
export type Payload = z.infer<typeof payloadSchema>;
export type Speed = z.infer<typeof speedSchema>;
export type NavType = (typeof navTypes)[number];
export type ScreenClass = (typeof screenClasses)[number];
