import type { NavType } from '../schema';
import { guard } from '../lib/guard';

/**
 * Calls `onPage(nav)` after every History API navigation (pushState,
 * replaceState, popstate) and every back/forward-cache restore. The caller
 * decides whether the URL really changed. Returns stop().
 */
export function onPageChange(win: Window, onPage: (nav: NavType) => void): () => void {
  const history = win.history;
  const notify = guard(onPage, 'page view failed');
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const wrappers = {} as typeof originals;
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = originals[name];
    // The page's own call must behave exactly as before, whatever we do after it.
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      notify('spa');
      return result;
    };
    wrappers[name] = wrapper;
    history[name] = wrapper;
  }
  const onPop = () => notify('spa');
  const onShow = (e: PageTransitionEvent) => {
    if (e.persisted) notify('back-forward-cache');
  };
  win.addEventListener('popstate', onPop);
  win.addEventListener('pageshow', onShow);
  return () => {
    win.removeEventListener('popstate', onPop);
    win.removeEventListener('pageshow', onShow);
    // Unwrap only if nobody wrapped on top of us since; otherwise theirs would be lost.
    for (const name of ['pushState', 'replaceState'] as const) {
      if (history[name] === wrappers[name]) history[name] = originals[name];
    }
  };
}
