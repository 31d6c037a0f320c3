import { describe, expect, it } from 'vitest';
import { createId } from '../../src/lib/createId';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createId without crypto.randomUUID (insecure contexts)', () => {
  it('formats getRandomValues bytes as a UUID v4', () => {
    const fill = (b: Uint8Array) => b.forEach((_, i) => (b[i] = i * 17));
    expect(createId({ getRandomValues: fill } as unknown as Crypto)).toBe('00112233-4455-4677-8899-aabbccddeeff');
  });

  it('falls back to Math.random without crypto', () => {
    for (let i = 0; i < 50; i++) expect(createId(null as unknown as Crypto)).toMatch(UUID4);
  });
});
