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
  for (let i = 0; i < 16; i++) hex += (bytes[i] + 0x100).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
