// Console output with one prefix. console itself may be stubbed or broken by
// the host page; logging must never be the thing that throws.
const say =
  (method: 'warn' | 'error' | 'log') =>
  (...args: unknown[]): void => {
    try {
      console[method]('[goalpost]', ...args);
    } catch {
      /* console unavailable */
    }
  };

export const warn = /* @__PURE__ */ say('warn');
export const error = /* @__PURE__ */ say('error');
export const debugLog = /* @__PURE__ */ say('log');
