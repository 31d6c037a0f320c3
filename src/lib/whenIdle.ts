/**
 * Runs `fn` when the page is idle, within a second at the latest:
 * requestIdleCallback, or a timer where there is none (Safari). Work the
 * first page view does not need waits here, off the task that loads the page.
 */
export function whenIdle(win: Window, fn: () => void): void {
  if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(fn, { timeout: 1000 });
  else win.setTimeout(fn, 1);
}
