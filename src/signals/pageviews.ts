import type { NavType } from '../schema';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';

/**
 * Calls `onPage(nav)` after every History API navigation (pushState,
 * replaceState, popstate) and every back/forward-cache restore. The caller
 * decides whether the URL really changed. Returns stop().
 */
export function onPageChange(win: Window, onPage: (nav: NavType) => void): () => void {
  const history = win.history;
  const notify = guard(onPage, 'page view failed');
  const unwrap = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name];
    // The page's own call must behave exactly as before, whatever we do after it.
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      notify('spa');
      return result;
    };
    history[name] = wrapper;
    // Unwrap only if nobody wrapped on top of us since; otherwise theirs would be lost.
    return () => {
      if (history[name] === wrapper) history[name] = original;
    };
  });
  const off = listen(win, 'popstate pageshow', (e: PageTransitionEvent) => {
    if (e.type === 'popstate') notify('spa');
    else if (e.persisted) notify('back-forward-cache');
  });
  return () => {
    off();
    unwrap.forEach((f) => f());
  };
}
