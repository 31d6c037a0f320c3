/** UTF-8 length of a string (this runs once per hit). */
export function byteLength(s: string): number {
  // Most hits are ASCII: one native regex scan; the rare others are measured by encoding them.
  return /[^\x00-\x7f]/.test(s) ? new Blob([s]).size : s.length;
}
