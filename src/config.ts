import { describeIssues, type ConfigIssue } from './configProblems';
import { configRules, type ConfigRule, type RuleName } from './configRules';
import { z } from './lib/zod';
import { withoutProtoKeys } from './lib/withoutProtoKeys';

export { formatPath } from './configProblems';

/**
 * How a URL, action, category or label is compared. A plain string means
 * `equals`. Comparison ignores case unless `caseSensitive` is true.
 */
export const matchSchema = z.union([
  z.string(),
  z
    .strictObject({
      equals: z.optional(z.string()),
      beginsWith: z.optional(z.string()),
      regex: z.optional(z.string().check(rule('regex'))),
      /** Compare with case. Default false. */
      caseSensitive: z.optional(z.boolean()),
    })
    .check(rule('match')),
]);
export type Match = z.infer<typeof matchSchema>;

/**
 * A check from configRules.ts. The name on the check's def lets configPlan.ts
 * hand the same rule to the script-tag build's compact validator. Its issues
 * let later checks run (`continue`), so one pass lists every problem.
 */
function rule(name: RuleName): z.core.$ZodCheck<any> {
  const r: ConfigRule = configRules[name];
  const check = z.superRefine(
    (value: unknown, ctx) => r.check(value, (message, path) => ctx.issues.push({ code: 'custom', input: value, message, path, continue: true })),
    r.when ? { when: (payload) => r.when!(payload.value) } : undefined,
  );
  (check._zod.def as { rule?: RuleName }).rule = name;
  return check;
}

const goalId = z.string().check(z.minLength(1, 'a goal needs an id'), z.maxLength(100, 'goal ids are at most 100 characters'));
// z.number() refuses NaN and Infinity itself.
const finite = z.number();

/** Fields every goal kind has. */
const goalBase = {
  /** Unique id; appears in every goal hit. */
  id: goalId,
  /** Human name for reports. */
  name: z.optional(z.string()),
  /** Macro goal id(s) this micro goal supports. Without it the goal is a macro goal. */
  supports: z.optional(z.union([goalId, z.array(goalId)])),
  /** Monetary value of a conversion. */
  value: z.optional(finite),
};

const funnelStep = z.strictObject({
  /** The page that counts as this step (pathname + search). */
  url: matchSchema,
  /** Label for reports. */
  name: z.optional(z.string()),
});

/** A page view whose pathname + search matches `url`. */
export const destinationGoalSchema = z.strictObject({
  ...goalBase,
  kind: z.literal('destination'),
  url: matchSchema,
  /** Ordered steps before the destination; the goal hit reports which were seen. */
  funnel: z.optional(z.array(funnelStep)),
});

/** The session has lasted `seconds` (or, with `engaged`, the visitor spent that long on visible, focused pages). */
export const durationGoalSchema = z.strictObject({
  ...goalBase,
  kind: z.literal('duration'),
  seconds: z.number().check(z.gt(0, 'must be more than 0 seconds')),
  /** Count only time the page was visible and focused. Default false. */
  engaged: z.optional(z.boolean()),
});

/** The session reaches `pages` page views. */
export const pagesGoalSchema = z.strictObject({
  ...goalBase,
  kind: z.literal('pagesPerSession'),
  pages: z.int({ error: 'must be a whole number' }).check(z.gte(1, 'must be at least 1 page')),
});

const valueCondition = z.strictObject({
  gt: z.optional(finite),
  gte: z.optional(finite),
  lt: z.optional(finite),
  lte: z.optional(finite),
  eq: z.optional(finite),
});

const selector = z.string().check(rule('selector'));

/** An event matching `event`, or a click/submit on an element matching `on`. */
export const eventGoalSchema = z
  .strictObject({
    ...goalBase,
    kind: z.literal('event'),
    /** Conditions on a tracked event; every given field must match. */
    event: z.optional(
      z.strictObject({
        action: z.optional(matchSchema),
        category: z.optional(matchSchema),
        label: z.optional(matchSchema),
        value: z.optional(valueCondition),
      }),
    ),
    /** A DOM event on an element matching the CSS selector (or inside one). */
    on: z.optional(
      z
        .strictObject({ click: z.optional(selector), submit: z.optional(selector) })
        .check(rule('clickOrSubmit')),
    ),
    /** A number, or "event" to take the matching event's value. */
    value: z.optional(z.union([finite, z.literal('event')])),
  })
  .check(rule('eventOrOn'));

export const goalSchema = z.discriminatedUnion('kind', [destinationGoalSchema, durationGoalSchema, pagesGoalSchema, eventGoalSchema]);
export type Goal = z.infer<typeof goalSchema>;
export type GoalKind = Goal['kind'];

const endpoint = z.string().check(z.minLength(1, 'the collector URL is missing'), rule('endpoint'));

export const configSchema = z
  .strictObject({
    /** Collector URL (absolute, or relative to the page). */
    endpoint,
    /** Site id sent with every payload. Default: the page's host. */
    site: z.optional(z.string().check(z.maxLength(100, 'at most 100 characters'))),
    /** ISO 4217 code sent with goal values. */
    currency: z.optional(z.string().check(z.regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code such as "EUR"'))),
    goals: z._default(z.array(goalSchema), []),
    session: z._default(
      z.strictObject({
        /** Minutes without a hit after which a new session starts. Default 30. */
        timeoutMinutes: z._default(z.number().check(z.gt(0, 'must be more than 0 minutes')), 30),
      }),
      { timeoutMinutes: 30 },
    ),
    batch: z._default(
      z.strictObject({
        /** Send when this many hits wait. 1-10000, default 10. */
        maxHits: z._default(z.int({ error: 'must be a whole number' }).check(z.gte(1, 'must be at least 1'), z.lte(10000, 'must be at most 10000')), 10),
        /** Send at least this often, in ms. >= 100, default 5000. */
        flushIntervalMs: z._default(z.number().check(z.gte(100, 'must be at least 100 ms')), 5000),
      }),
      { maxHits: 10, flushIntervalMs: 5000 },
    ),
    privacy: z._default(
      z.strictObject({
        /** Send and store nothing under Do Not Track or Global Privacy Control. Default true. */
        respectDoNotTrack: z._default(z.boolean(), true),
        /** Store and send nothing until consent('granted'). Default false. */
        requireConsent: z._default(z.boolean(), false),
        /** More query parameters to remove from URLs. */
        stripQueryParams: z._default(z.array(z.string()), []),
      }),
      { respectDoNotTrack: true, requireConsent: false, stripQueryParams: [] },
    ),
    /** Record page-load timing (web-vitals). Default true. */
    timing: z._default(z.boolean(), true),
    /** Log every hit and goal decision to the console. Default false. */
    debug: z._default(z.boolean(), false),
  })
  .check(rule('goalGraph'));

/** The config a site writes. */
export type GoalpostConfig = z.input<typeof configSchema>;
/** The config with every default filled in. */
export type ResolvedConfig = z.output<typeof configSchema>;

export type ParseResult = { ok: true; config: ResolvedConfig } | { ok: false; problems: string[] };

/** Validates a config; every problem comes back as one line, `path: words`. */
export function parseConfig(input: unknown): ParseResult {
  // zod walks its schemas with for-in: a page's enumerable additions to Object.prototype would break every config.
  const result = withoutProtoKeys(() => configSchema.safeParse(input));
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: describeIssues(result.error.issues as ConfigIssue[], input) };
}
