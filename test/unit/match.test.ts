import { describe, expect, test } from 'vitest';
import { compileMatch } from '../../src/goals/match';

describe('compileMatch', () => {
  test('a plain string equals, ignoring case', () => {
    const m = compileMatch('/Cart');
    expect(m('/cart')).toBe(true);
    expect(m('/CART')).toBe(true);
    expect(m('/cart/')).toBe(false);
    expect(m(undefined)).toBe(false);
  });
  test('equals with caseSensitive', () => {
    const m = compileMatch({ equals: '/Cart', caseSensitive: true });
    expect(m('/Cart')).toBe(true);
    expect(m('/cart')).toBe(false);
  });
  test('beginsWith, with and without case', () => {
    expect(compileMatch({ beginsWith: '/checkout' })('/Checkout/thanks?id=1')).toBe(true);
    expect(compileMatch({ beginsWith: '/checkout' })('/cart')).toBe(false);
    expect(compileMatch({ beginsWith: '/checkout', caseSensitive: true })('/Checkout/thanks')).toBe(false);
  });
  test('regex, with and without case', () => {
    expect(compileMatch({ regex: '^/product/\\d+$' })('/product/42')).toBe(true);
    expect(compileMatch({ regex: '^/product/\\d+$' })('/product/x')).toBe(false);
    expect(compileMatch({ regex: 'THANKS' })('/checkout/thanks')).toBe(true);
    expect(compileMatch({ regex: 'THANKS', caseSensitive: true })('/checkout/thanks')).toBe(false);
  });
  test('describes itself for debug messages', () => {
    expect(compileMatch({ beginsWith: '/checkout/thank-you' }).describe).toBe('beginsWith "/checkout/thank-you"');
    expect(compileMatch('/a').describe).toBe('equals "/a"');
  });
});
