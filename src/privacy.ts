/**
 * What leaves the browser: URLs without fragments, without query parameters
 * that can carry personal data, and with e-mail addresses and JWTs redacted
 * (SPEC section 7). Plus Do Not Track / Global Privacy Control.
 */
import { listen } from './lib/listen';

// SPEC's exact names, less those CONTAINS catches anyway (email, token, access_token,
// id_token, password, secret).
const EXACT =
  'mail code state pwd pass session sessionid auth key apikey api_key signature sig jwt phone ' +
  // Not in SPEC's list, but session ids all the same (Java servlets, PHP).
  'jsessionid phpsessid';
const CONTAINS = /token|secret|password|email/i;
// The leading group makes a match start only where a run of address characters
// starts: without it a long URL with no "@" costs quadratic backtracking.
// (No lookbehind: Safari before 16.4 cannot even parse it.)
const EMAIL = /(^|[^\w.%+-])[\w.%+-]+(?:@|%40)[a-z\d.-]+\.[a-z]{2,}/gi;
// header.payload.signature in base64url, the signature possibly empty (alg "none").
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
// Path parameters such as /cart;jsessionid=ABC (Java servlets) carry sessions too.
const PATH_PARAM = /;([^;/=]*)=[^;/]*/g;
/** The wire format's limit for `url` and `ref`. */
export const MAX_URL = 2048;

/** A predicate for query parameter names to remove: the built-in list plus `extra`, ignoring case. */
export function createParamFilter(extra: readonly string[] = []): (name: string) => boolean {
  const exact = new Set(EXACT.split(' ').concat(extra.map((n) => n.toLowerCase())));
  return (name) => {
    const n = name.trim().toLowerCase();
    return exact.has(n) || CONTAINS.test(n);
  };
}

/**
 * The URL as goalpost sends it: absolute, no hash, no user:password, no
 * personal query or path parameters, e-mail addresses and JWTs redacted,
 * capped at MAX_URL. Never throws: a URL that cannot be parsed becomes ''.
 */
export function stripUrl(url: string, base: string | undefined, isPersonal: (name: string) => boolean): string {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    return '';
  }
  // Each setter re-serialises the URL: only when there is something to remove.
  if (u.hash) u.hash = '';
  if (u.username || u.password) u.username = u.password = '';
  const drop = (part: string, name: string) => (isPersonal(safeDecode(name)) ? '' : part);
  if (u.pathname.includes(';')) u.pathname = u.pathname.replace(PATH_PARAM, drop);
  if (u.search) {
    // Split by hand, not URLSearchParams: re-encoding would change the parameters we keep.
    const kept = u.search.slice(1).split('&').filter((part) => part && drop(part, part.split('=')[0]));
    u.search = kept.length ? `?${kept.join('&')}` : '';
  }
  let out = u.href;
  // The regexes only where they can match: their first run compiles them (~0.2 ms of start-up, measured).
  if (/@|%40/.test(out)) out = out.replace(EMAIL, '$1redacted');
  if (out.includes('eyJ')) out = out.replace(JWT, 'redacted');
  // Cut at the cap, and never in the middle of a %XX escape.
  return out.length > MAX_URL ? out.slice(0, MAX_URL).replace(/%[\da-f]?$/i, '') : out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Do Not Track or Global Privacy Control is on. */
export function isDoNotTrack(nav: Navigator | undefined = globalThis.navigator): boolean {
  if (!nav) return false;
  const n = nav as Navigator & { globalPrivacyControl?: boolean; msDoNotTrack?: string };
  const dnt = n.doNotTrack ?? (globalThis as { doNotTrack?: string }).doNotTrack ?? n.msDoNotTrack;
  return dnt === '1' || dnt === 'yes' || n.globalPrivacyControl === true;
}

/**
 * Where the secret field names of GET forms submitted in this tab are kept
 * (sessionStorage), so later URLs and referrers of the tab drop them too.
 */
export const FORM_KEY = 'goalpost.strip';
// Fields whose value is a secret by declaration, whatever their name.
const SECRET_FIELDS = 'input[type=password],[autocomplete*=password],[autocomplete*=cc-],[autocomplete=one-time-code]';

/** The names kept under FORM_KEY, lower case. */
export function secretFieldNames(stored: string | null): string[] {
  return (stored || '').toLowerCase().split(',').filter(Boolean);
}

/**
 * A GET form puts its fields into the next page's URL. On submit, hands
 * `save` the names (never the values) of the form's password, card-number
 * and one-time-code fields, so that page and later ones strip them.
 * Returns stop().
 */
export function onSecretFormFields(doc: Document, save: (names: string[]) => void): () => void {
  const onSubmit = (e: Event) => {
    try {
      const form = e.target as HTMLFormElement;
      // getAttribute, not form.method: a field named "method" shadows the property.
      if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') return;
      const names = Array.from(form.querySelectorAll(SECRET_FIELDS), (el) => el.getAttribute('name')).filter(Boolean) as string[];
      if (names.length) save(names);
    } catch {
      /* not a form we can read: nothing to remember */
    }
  };
  return listen(doc, 'submit', onSubmit, true);
}
