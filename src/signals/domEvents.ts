import type { Goal } from '../config';
import type { TrackProps } from '../eventInput';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { warn } from '../lib/log';

/** Tracks an event seen in the DOM, as track(action, props) would; `dom`: the `on` goal whose click/submit it was. */
export type DomEmit = (action: string, props?: TrackProps, dom?: string) => void;

const ATTR = 'data-goalpost-event';

/**
 * One delegated listener per DOM event type on the document, so elements added
 * later count too. Capture phase: a page that stops propagation still counts.
 * Reads only `data-goalpost-*` attributes, never a form field's value.
 */
export function onDomEvents(doc: Document, goals: readonly Goal[], emit: DomEmit): () => void {
  const handle = guard((event: Event) => {
    const type = event.type as 'click' | 'submit';
    const target = event.target as Node | null;
    const el = target && (target.nodeType === 1 ? (target as Element) : target.parentElement);
    // Every browser that parses this file (ES2020) has Element.closest.
    if (!el) return;
    const declared = el.closest(`[${ATTR}]`);
    // A form with data-goalpost-event tracks its submit, not the clicks inside it.
    if (declared && (type === 'submit' ? declared === el : declared.tagName !== 'FORM')) fromAttributes(declared, emit);
    // `on: { click | submit: selector }` goals, in config order.
    for (const g of goals) {
      const selector = g.kind === 'event' && g.on?.[type];
      if (selector && el.closest(selector)) emit(g.id, undefined, g.id);
    }
  }, 'DOM event failed');
  return listen(doc, 'click submit', handle, true);
}

function fromAttributes(el: Element, emit: DomEmit): void {
  const action = el.getAttribute(ATTR) || '';
  const props: TrackProps = {};
  for (const k of ['category', 'label'] as const) {
    const v = el.getAttribute(`data-goalpost-${k}`);
    if (v) props[k] = v;
  }
  const value = el.getAttribute('data-goalpost-value');
  if (value?.trim()) {
    const n = Number(value);
    if (Number.isFinite(n)) props.value = n;
    else warn(`data-goalpost-value ${JSON.stringify(value)} on "${action}" is not a number; sent without a value`);
  }
  emit(action, props);
}
