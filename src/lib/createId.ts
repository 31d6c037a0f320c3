/** A random UUID v4. Ids never come from the clock, so order and dedup survive clock changes. */
export function createId(cryptoImpl: Crypto | undefined = globalThis.crypto): string {
  try {
    // Missing crypto or randomUUID throws too (randomUUID exists only in secure contexts): fall through.
    return cryptoImpl!.randomUUID();
  } catch {
    /* below */
  }
  const bytes = new Uint8Array(16);
  try {
    cryptoImpl!.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < 16; i++) bytes[i] = (Math.random() * 256) | 0;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let hex = '';
  // A dash before bytes 4, 6, 8 and 10 (bits of 0x550): 8-4-4-4-12 hex digits.
  for (let i = 0; i < 16; i++) hex += ((0x550 >> i) & 1 ? '-' : '') + (bytes[i] + 0x100).toString(16).slice(1);
  return hex;
}
