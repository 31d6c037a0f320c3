/**
 * Turns validation issues into the lines a marketer reads
 * (`goals[2].supports: unknown macro goal "purchse" (known: purchase)`).
 * Shared by the zod validator (config.ts) and the compact one of the
 * script-tag build (parseWithPlan.ts): both produce zod-shaped issues.
 */

/** The part of a zod issue the words depend on. */
export interface ConfigIssue {
  /** Unset on the compact validator's check problems: their words are their message. */
  code?: string;
  path: PropertyKey[];
  message?: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  discriminator?: string;
  note?: string;
  /** Set on every union issue but a discriminated union's. */
  errors?: ConfigIssue[][];
}

/** One line per issue, `path: words`: top-level fields first, then goal by goal, as a marketer reads the JSON. */
export function describeIssues(issues: readonly ConfigIssue[], input: unknown): string[] {
  const rank = (i: ConfigIssue) => (i.path[0] === 'goals' && typeof i.path[1] === 'number' ? 1 + i.path[1] : 0);
  return [...issues]
    .sort((a, b) => rank(a) - rank(b))
    .map((issue) => {
      const inner = innermost(issue);
      return `${formatPath(inner.path) || 'config'}: ${issueWords(inner, input)}`;
    });
}

/** A value of a root type in a union option that did not fit at all. */
const atRoot = (e: ConfigIssue) => !e.path.length && (e.code === 'invalid_type' || e.code === 'invalid_value');

/** A union that failed on a shape it almost had (a Match object with an unknown key): report that shape's problem, at its path. */
function innermost(issue: ConfigIssue): ConfigIssue {
  if (issue.code !== 'invalid_union' || issue.discriminator) return issue;
  const inner = issue.errors!.flat().find((e) => !atRoot(e));
  return inner ? innermost({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

function issueWords(issue: ConfigIssue, input: unknown): string {
  const path = issue.path;
  const got = valueAt(input, path);
  // What the value should have been, for the shared "is required (...)" or "must be ..., got ..." words.
  let want: string;
  switch (issue.code) {
    case 'invalid_type':
    // A literal on its own (the config has none outside a union); a missing one would read "is required".
    case 'invalid_value':
      if (got === 'event' && path[path.length - 1] === 'value') return '"event" as a value works only on event goals; give a number';
      want = wanted(issue);
      break;
    case 'invalid_union':
      // The config's one discriminated union is the goal's kind.
      if (issue.discriminator) {
        return got === undefined
          ? 'a goal needs a "kind": destination, duration, pagesPerSession or event'
          : `unknown goal kind ${JSON.stringify(got)} (use destination, duration, pagesPerSession or event)`;
      }
      // No option got past its own type check (innermost() found none): list what the value could have been.
      want = issue.errors!.flat().map(wanted).join(' or ');
      break;
    case 'unrecognized_keys': {
      const keys = issue.keys!;
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    default:
      return issue.message ?? 'is not valid';
  }
  return got === undefined ? `is required (${want})` : `must be ${want}, got ${describeValue(got)}`;
}

/** What an invalid_type or invalid_value issue asked for. */
function wanted({ expected, values }: ConfigIssue): string {
  const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };
  return values ? values.map((v) => JSON.stringify(v)).join(' or ') : (words[expected!] ?? String(expected));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce((v: any, key) => (v && typeof v === 'object' ? v[key] : undefined), input);
}

/** `goals[2].supports`, the way a marketer reads the JSON. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : (out ? '.' : '') + String(key);
  return out;
}
