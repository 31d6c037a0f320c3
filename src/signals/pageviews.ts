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
  const names = ['pushState', 'replaceState'] as const;
  const originals = names.map((name) => history[name]);
  // The page's own call must behave exactly as before, whatever we do after it.
  const wrappers = originals.map((original) => function (this: History, ...args: Parameters<History['pushState']>) {
    const result = original.apply(this, args);
    notify('spa');
    return result;
  });
  names.forEach((name, i) => (history[name] = wrappers[i]));
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
    names.forEach((name, i) => {
      if (history[name] === wrappers[i]) history[name] = originals[i];
    });
  };
}
