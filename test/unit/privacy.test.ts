import { describe, expect, it } from 'vitest';
import { createParamFilter, isDoNotTrack, MAX_URL, onSecretFormFields, stripUrl } from '../../src/privacy';
import { spyOnValues } from './privacyHelpers';

const strip = (url: string, extra: string[] = []) => stripUrl(url, 'https://shop.example/', createParamFilter(extra));

describe('stripUrl', () => {
  it('drops the fragment and user:password', () => {
    expect(strip('https://bob:hunter2@shop.example/a?x=1#section')).toBe('https://shop.example/a?x=1');
  });

  it('drops every listed parameter, ignoring case, and keeps the rest in order', () => {
    const listed = ['email', 'mail', 'token', 'access_token', 'id_token', 'code', 'state', 'password', 'pwd', 'pass', 'secret',
      'session', 'sessionid', 'auth', 'key', 'apikey', 'api_key', 'signature', 'sig', 'jwt', 'phone'];
    const query = listed.map((n, i) => `${i % 2 ? n.toUpperCase() : n}=v${i}`).join('&');
    expect(strip(`/p?a=1&${query}&b=2`)).toBe('https://shop.example/p?a=1&b=2');
  });

  it('drops names containing token, secret, password or email, but not near-misses of exact names', () => {
    expect(strip('/p?csrfToken=1&client_secret=2&new_password=3&user_email=4&EmailAddress=5&keep=6')).toBe('https://shop.example/p?keep=6');
    // Exact names only: "codec", "keyword", "passage" and "stateful" stay.
    expect(strip('/p?codec=h264&keyword=tea&passage=3&stateful=1')).toBe('https://shop.example/p?codec=h264&keyword=tea&passage=3&stateful=1');
  });

  it('matches encoded names and drops valueless ones', () => {
    expect(strip('/p?e%6Dail=x&TOKEN&a=1&pass+=2')).toBe('https://shop.example/p?a=1');
  });

  it('removes stripQueryParams, ignoring case', () => {
    expect(strip('/p?Coupon=SAVE10&ref=tw', ['coupon'])).toBe('https://shop.example/p?ref=tw');
  });

  it('keeps utm_* parameters and their encoding as written', () => {
    expect(strip('/p?utm_source=news%20letter&utm_medium=email&utm_campaign=spring')).toBe(
      'https://shop.example/p?utm_source=news%20letter&utm_medium=email&utm_campaign=spring',
    );
  });

  it('redacts e-mail addresses anywhere: path, values of kept parameters, encoded @', () => {
    expect(strip('/users/Jane.Doe+shop@mail.example.com/orders?q=jane%40example.org&n=2')).toBe(
      'https://shop.example/users/redacted/orders?q=redacted&n=2',
    );
  });

  it('redacts JWT-looking values anywhere, also unsigned ones', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    expect(strip(`/a/${jwt}/b?x=${jwt}`)).toBe('https://shop.example/a/redacted/b?x=redacted');
    expect(strip('/a?x=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toBe('https://shop.example/a?x=redacted');
  });

  it('drops personal path parameters such as ;jsessionid=', () => {
    expect(strip('/cart;jsessionid=ABC123;lang=en/item')).toBe('https://shop.example/cart;lang=en/item');
  });

  it('never throws on malformed encodings and keeps them as written', () => {
    expect(() => strip('/p?%%=1&a=%%&%E0%A4%A=2#%%')).not.toThrow();
    expect(strip('/p?%%=1&a=%%')).toBe('https://shop.example/p?%%=1&a=%%');
    expect(strip('/p?%E0%A4%A=1&token%%=2')).toBe('https://shop.example/p?%E0%A4%A=1');
  });

  it('returns "" for what cannot be parsed', () => {
    expect(stripUrl('http://[bad', undefined, createParamFilter())).toBe('');
  });

  it('caps the length without cutting a %XX escape', () => {
    const long = strip(`/p?q=${'a'.repeat(3000)}`);
    expect(long.length).toBe(MAX_URL);
    for (let pad = 0; pad < 3; pad++) {
      const out = strip(`/p?q=${'b'.repeat(2000 + pad)}${'%20'.repeat(200)}`);
      expect(out.length).toBeLessThanOrEqual(MAX_URL);
      expect(out).toMatch(/(%20|b)$/);
    }
  });

  it('stays fast on long URLs without an @ (no quadratic backtracking)', () => {
    const url = `/p?q=${'a.b-c_d%2'.repeat(3_000)}`;
    const t = performance.now();
    strip(url);
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe('isDoNotTrack', () => {
  const nav = (o: object) => o as Navigator;
  it('is on for DNT "1" or "yes", msDoNotTrack, and GPC', () => {
    expect(isDoNotTrack(nav({ doNotTrack: '1' }))).toBe(true);
    expect(isDoNotTrack(nav({ doNotTrack: 'yes' }))).toBe(true);
    expect(isDoNotTrack(nav({ msDoNotTrack: '1' }))).toBe(true);
    expect(isDoNotTrack(nav({ globalPrivacyControl: true }))).toBe(true);
  });
  it('is off otherwise', () => {
    expect(isDoNotTrack(nav({ doNotTrack: '0' }))).toBe(false);
    expect(isDoNotTrack(nav({ doNotTrack: 'unspecified', globalPrivacyControl: false }))).toBe(false);
    expect(isDoNotTrack(undefined)).toBe(false);
  });
});

describe('onSecretFormFields', () => {
  function submit(html: string): string[] {
    document.body.innerHTML = html;
    const saved: string[] = [];
    const stop = onSecretFormFields(document, (names) => saved.push(names.join()));
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    stop();
    return saved;
  }

  it('hands over the names of password, card and one-time-code fields of a GET form', () => {
    const saved = submit(`<form method="GET"><input name="q"><input type="password" name="pin">
      <input name="cardno" autocomplete="cc-number"><input name="otp" autocomplete="one-time-code"><input type="password"></form>`);
    expect(saved).toEqual(['pin,cardno,otp']);
  });

  it('ignores POST forms (their fields never reach a URL) and forms without secret fields', () => {
    expect(submit('<form method="post"><input type="password" name="pin"></form>')).toEqual([]);
    expect(submit('<form><input name="q"></form>')).toEqual([]);
  });

  it('never reads a field value', () => {
    const [reads, restore] = spyOnValues();
    submit('<form><input type="password" name="pin" value="1234"><textarea name="t">x</textarea></form>');
    restore();
    expect(reads()).toBe(0);
  });
});
