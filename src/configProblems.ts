/**
 * Turns validation issues into the lines a marketer reads
 * (`goals[2].supports: unknown macro goal "purchse" (known: purchase)`).
 * Shared by the zod validator (config.ts) and the compact one of the
 * script-tag build (parseWithPlan.ts): both produce zod-shaped issues.
 */

/** The part of a zod issue the words depend on. */
export interface ConfigIssue {
  code: string;
  path: PropertyKey[];
  message?: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  discriminator?: string;
  note?: string;
  errors?: ConfigIssue[][];
}

/** One line per issue, `path: words`. */
export function describeIssues(issues: readonly ConfigIssue[], input: unknown): string[] {
  return issues.map((issue) => `${formatPath(issue.path) || 'config'}: ${issueWords(issue, input)}`);
}

function issueWords(issue: ConfigIssue, input: unknown): string {
  const path = issue.path;
  switch (issue.code) {
    case 'invalid_type': {
      const got = valueAt(input, path);
      if (got === 'event' && path[path.length - 1] === 'value') return '"event" as a value works only on event goals; give a number';
      if (got === undefined) return `is required (${expected(issue.expected)})`;
      return `must be ${expected(issue.expected)}, got ${describeValue(got)}`;
    }
    case 'invalid_union': {
      if (issue.discriminator === 'kind') {
        const kind = valueAt(input, path);
        return kind === undefined
          ? 'a goal needs a "kind": destination, duration, pagesPerSession or event'
          : `unknown goal kind ${JSON.stringify(kind)} (use destination, duration, pagesPerSession or event)`;
      }
      // An option that got past its own type check says what is wrong inside it;
      // otherwise list what the value could have been.
      const errors = issue.errors ?? [];
      const atRoot = (e: ConfigIssue) => !e.path.length && (e.code === 'invalid_type' || e.code === 'invalid_value');
      const inner = errors.flat().find((e) => !atRoot(e));
      if (inner) return issueWords({ ...inner, path: [...path, ...inner.path] }, input);
      const alternatives = errors.flat().map((e) => (e.values ? e.values.map((v) => JSON.stringify(v)).join(' or ') : expected(e.expected)));
      const got = valueAt(input, path);
      return got === undefined ? `is required (${alternatives.join(' or ')})` : `must be ${alternatives.join(' or ')}, got ${describeValue(got)}`;
    }
    case 'unrecognized_keys': {
      const keys = issue.keys ?? [];
      return `unknown ${keys.length > 1 ? 'keys' : 'key'} ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    case 'invalid_value':
      return `must be ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(valueAt(input, path))}`;
    default:
      return issue.message ?? 'is not valid';
  }
}

function expected(type: string | undefined): string {
  const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };
  return (type && words[type]) ?? String(type);
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
