import { z } from './lib/zod';

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
      regex: z.optional(
        z.string().check(
          z.superRefine((re, ctx) => {
            if (!isValidRegex(re)) ctx.issues.push({ code: 'custom', input: re, message: `not a valid regular expression: ${JSON.stringify(re)}` });
          }),
        ),
      ),
      /** Compare with case. Default false. */
      caseSensitive: z.optional(z.boolean()),
    })
    .check(
      z.superRefine((m, ctx) => {
        const ops = ['equals', 'beginsWith', 'regex'].filter((k) => (m as Record<string, unknown>)[k] !== undefined);
        if (ops.length !== 1) ctx.issues.push({ code: 'custom', input: m, message: 'give exactly one of equals, beginsWith or regex' });
      }),
    ),
]);
export type Match = z.infer<typeof matchSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const goalId = z.string().check(z.minLength(1, 'a goal needs an id'), z.maxLength(100, 'goal ids are at most 100 characters'));
const finite = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));

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
  seconds: z.number().check(z.gt(0, 'must be more than 0 seconds'), z.refine(Number.isFinite, 'must be a finite number')),
  /** Count only time the page was visible and focused. Default false. */
  engaged: z.optional(z.boolean()),
});

/** The session reaches `pages` page views. */
export const pagesGoalSchema = z.strictObject({
  ...goalBase,
  kind: z.literal('pagesPerSession'),
  pages: z.int().check(z.gte(1, 'must be at least 1 page')),
});

const valueCondition = z.strictObject({
  gt: z.optional(finite),
  gte: z.optional(finite),
  lt: z.optional(finite),
  lte: z.optional(finite),
  eq: z.optional(finite),
});

const selector = z.string().check(
  z.refine((s) => isValidSelector(s), { message: 'not a valid CSS selector' }),
);

function isValidSelector(s: string): boolean {
  if (!s.trim()) return false;
  if (typeof document === 'undefined') return true;
  try {
    document.createDocumentFragment().querySelector(s);
    return true;
  } catch {
    return false;
  }
}

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
        .check(z.refine((o) => (o.click === undefined) !== (o.submit === undefined), 'give exactly one of click or submit')),
    ),
    /** A number, or "event" to take the matching event's value. */
    value: z.optional(z.union([finite, z.literal('event')])),
  })
  .check(
    z.refine((g) => (g.event === undefined) !== (g.on === undefined), {
      message: 'an event goal needs exactly one of "event" or "on"',
    }),
  );

export const goalSchema = z.discriminatedUnion('kind', [destinationGoalSchema, durationGoalSchema, pagesGoalSchema, eventGoalSchema]);
export type Goal = z.infer<typeof goalSchema>;
export type GoalKind = Goal['kind'];

const endpoint = z.string().check(
  z.minLength(1, 'the collector URL is missing'),
  z.refine((s) => !/^\s*(javascript|data|vbscript|blob|file):/i.test(s), 'must be an http(s) or relative URL'),
);

export const configSchema = z
  .strictObject({
    /** Collector URL (absolute, or relative to the page). */
    endpoint,
    /** Site id sent with every payload. Default: the page's host. */
    site: z.optional(z.string().check(z.maxLength(100))),
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
        maxHits: z._default(z.int().check(z.gte(1, 'must be at least 1'), z.lte(10000, 'must be at most 10000')), 10),
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
  .check(
    z.superRefine(
      (config, ctx) => {
        checkGoalGraph(config.goals, (path, message) => ctx.issues.push({ code: 'custom', input: config, path, message }));
      },
      // Run even when other fields failed, so one pass lists every problem.
      { when: (payload) => Array.isArray((payload.value as { goals?: unknown })?.goals) },
    ),
  );

/** The config a site writes. */
export type GoalpostConfig = z.input<typeof configSchema>;
/** The config with every default filled in. */
export type ResolvedConfig = z.output<typeof configSchema>;

/** Micro goals must support existing macro goals; ids are unique; "value": "event" only on event goals. */
function checkGoalGraph(input: readonly unknown[], report: (path: (string | number)[], message: string) => void): void {
  // May run on a config that failed elsewhere: look only at goals with a usable id.
  const goals = input.map((g) => (g && typeof g === 'object' && typeof (g as Goal).id === 'string' ? (g as Goal) : undefined));
  const seen = new Map<string, number>();
  goals.forEach((g, i) => {
    if (!g) return;
    const first = seen.get(g.id);
    if (first !== undefined) report(['goals', i, 'id'], `duplicate goal id "${g.id}" (also goals[${first}])`);
    else seen.set(g.id, i);
  });
  const macros = [...new Set(goals.flatMap((g) => (g && g.supports === undefined ? [g.id] : [])))];
  const known = `(known: ${macros.join(', ') || 'none'})`;
  goals.forEach((g, i) => {
    if (!g || g.supports === undefined) return;
    const list = typeof g.supports === 'string' ? [g.supports] : Array.isArray(g.supports) ? g.supports.filter((s) => typeof s === 'string') : [];
    const path = ['goals', i, 'supports'];
    if (list.length === 0) report(path, 'name at least one macro goal, or leave "supports" out to make this a macro goal');
    for (const id of list) {
      if (id === g.id) report(path, `a goal cannot support itself ("${id}")`);
      else if (macros.includes(id)) continue;
      else if (seen.has(id)) report(path, `"${id}" is a micro goal; micro goals support macro goals only ${known}`);
      else report(path, `unknown macro goal "${id}" ${known}`);
    }
  });
}

export type ParseResult = { ok: true; config: ResolvedConfig } | { ok: false; problems: string[] };

/** Validates a config; every problem comes back as one line, `path: words`. */
export function parseConfig(input: unknown): ParseResult {
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  // Top-level fields first, then goal by goal, as a marketer reads the JSON.
  const rank = (i: Issue) => (i.path[0] === 'goals' && typeof i.path[1] === 'number' ? 1 + i.path[1] : 0);
  const issues = [...result.error.issues].sort((a, b) => rank(a) - rank(b));
  return { ok: false, problems: issues.map((issue) => describeIssue(issue, input)) };
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, input: unknown): string {
  const inner = innermost(issue);
  return `${formatPath(inner.path) || 'config'}: ${issueWords(inner, input)}`;
}

/** A union that failed on a shape it almost had (a Match object with a bad regex): report that shape's problem. */
function innermost(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const inner = ((issue as { errors?: Issue[][] }).errors ?? []).flat().find((e) => e.code !== 'invalid_type');
  return inner ? innermost({ ...inner, path: [...issue.path, ...inner.path] } as Issue) : issue;
}

function issueWords(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const got = valueAt(input, issue.path);
      if (got === 'event' && issue.path[issue.path.length - 1] === 'value') return '"event" as a value works only on event goals; give a number';
      if (got === undefined) return `is required (${expected(issue.expected)})`;
      return `must be ${expected(issue.expected)}, got ${describeValue(got)}`;
    }
    case 'invalid_union': {
      if ((issue as { discriminator?: string }).discriminator === 'kind' || (issue as { note?: string }).note === 'No matching discriminator') {
        const at = issue.path[issue.path.length - 1] === 'kind' ? issue.path : [...issue.path, 'kind'];
        const kind = valueAt(input, at);
        return kind === undefined
          ? 'a goal needs a "kind": destination, duration, pagesPerSession or event'
          : `unknown goal kind ${JSON.stringify(kind)} (use destination, duration, pagesPerSession or event)`;
      }
      return `has the wrong form, got ${describeValue(valueAt(input, issue.path))}`;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(valueAt(input, issue.path))}`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

function expected(type: string): string {
  const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };
  return words[type] ?? type;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** `goals[2].supports`, the way a marketer reads the JSON. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}
