// Console output with one prefix. console itself may be stubbed or broken by
// the host page; logging must never be the thing that throws.
const PREFIX = '[goalpost]';

export function warn(...args: unknown[]): void {
  try {
    console.warn(PREFIX, ...args);
  } catch {
    /* console unavailable */
  }
}

export function error(...args: unknown[]): void {
  try {
    console.error(PREFIX, ...args);
  } catch {
    /* console unavailable */
  }
}

export function debugLog(...args: unknown[]): void {
  try {
    console.log(PREFIX, ...args);
  } catch {
    /* console unavailable */
  }
}
