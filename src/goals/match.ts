import type { Match } from '../config';

/**
 * A compiled Match: tests a string. Regexes are built once, here.
 * `describe` and `near` are for debug mode's explanations.
 */
export type Matcher = ((s: string | undefined) => boolean) & {
  describe: string;
  /** `s` looks like what this Match wants (a typo, a longer path): worth explaining why it missed. */
  near(s: string | undefined): boolean;
};

// Letters and digits only, lower case: "/Checkout/thank-you" and "checkout_thankyou" compare alike.
const squash = (s: string) => s.toLowerCase().replace(/[^a-z\d]/g, '');

/** Compiles a Match (SPEC section 3): equals, beginsWith or regex, case-insensitive unless caseSensitive. */
export function compileMatch(match: Match): Matcher {
  const m = typeof match === 'string' ? { equals: match } : match;
  const cs = m.caseSensitive === true;
  const kind = m.regex !== undefined ? 'regex' : m.beginsWith !== undefined ? 'beginsWith' : 'equals';
  const raw = m[kind] ?? '';
  const fold = cs ? (s: string) => s : lowerCase;
  const target = cs ? raw : raw.toLowerCase();
  const re = kind === 'regex' && new RegExp(raw, cs ? '' : 'i');
  const test: (s: string) => boolean = re
    ? (s) => re.test(s)
    : kind === 'beginsWith'
      ? (s) => fold(s).startsWith(target)
      : (s) => s.length === raw.length && fold(s) === target;
  const matcher = ((s: string | undefined) => s !== undefined && test(s)) as Matcher;
  matcher.describe = `${kind} ${JSON.stringify(raw)}${cs ? ' (case-sensitive)' : ''}`;
  // Near: the squashed forms share their first 4 characters (or all of the shorter one).
  const want = squash(raw);
  matcher.near = (s) => {
    // Nothing given or nothing wanted: n is 0.
    const got = squash(s ?? '');
    const n = Math.min(4, want.length, got.length);
    return n > 0 && got.slice(0, n) === want.slice(0, n);
  };
  return matcher;
}

// A signal meets many matchers in a row with the same string: lower-case it
// once, not once per goal (issue 7's engine benchmark; pure, so safe to share).
let lastRaw: string | undefined;
let lastLower = '';
function lowerCase(s: string): string {
  if (s !== lastRaw) {
    lastRaw = s;
    lastLower = s.toLowerCase();
  }
  return lastLower;
}
