/**
 * What leaves the browser: URLs without fragments and without query
 * parameters that can carry personal data (SPEC section 7).
 */

const EXACT = new Set([
  'email', 'mail', 'token', 'access_token', 'id_token', 'code', 'state', 'password', 'pwd', 'pass', 'secret',
  'session', 'sessionid', 'auth', 'key', 'apikey', 'api_key', 'signature', 'sig', 'jwt', 'phone',
]);
const CONTAINS = /token|secret|password|email/i;
const EMAIL = /[a-z0-9._%+-]+(@|%40)[a-z0-9.-]+\.[a-z]{2,}/gi;
// header.payload.signature, base64url: a JWT anywhere in a path or value.
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;
const MAX_URL = 2048;

/** A predicate for query parameter names to remove: the built-in list plus `extra`, ignoring case. */
export function createParamFilter(extra: readonly string[] = []): (name: string) => boolean {
  const extraSet = new Set(extra.map((n) => n.toLowerCase()));
  return (name) => {
    const n = name.toLowerCase();
    return EXACT.has(n) || extraSet.has(n) || CONTAINS.test(n);
  };
}

/**
 * The URL as goalpost sends it: absolute, no hash, no personal query
 * parameters, e-mail addresses and JWTs redacted, capped in length. Never throws.
 */
export function stripUrl(url: string, base: string | undefined, isPersonal: (name: string) => boolean): string {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    return '';
  }
  u.hash = '';
  if (u.search) {
    const kept: string[] = [];
    for (const part of u.search.slice(1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      if (!isPersonal(safeDecode(rawName))) kept.push(part);
    }
    u.search = kept.length ? `?${kept.join('&')}` : '';
  }
  // Only the username/password part of an absolute URL could carry credentials.
  u.username = '';
  u.password = '';
  const out = u.href.replace(EMAIL, 'redacted').replace(JWT, 'redacted');
  return out.length > MAX_URL ? out.slice(0, MAX_URL) : out;
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
