import type { Goal } from '../config';
import { guard } from '../lib/guard';
import { listen } from '../lib/listen';
import { warn } from '../lib/log';

/** An event seen in the DOM: from `data-goalpost-*` attributes, or from an `on` goal (`dom` = its id). */
export interface DomEvent {
  action: string;
  category?: string;
  label?: string;
  value?: number;
  dom?: string;
}


const ATTR = 'data-goalpost-event';

/**
 * One delegated listener per DOM event type on the document, so elements added
 * later count too. Capture phase: a page that stops propagation still counts.
 * Reads only `data-goalpost-*` attributes, never a form field's value.
 */
export function onDomEvents(doc: Document, goals: readonly Goal[], emit: (e: DomEvent) => void): () => void {
  const handle = guard((event: Event) => {
    const type = event.type as 'click' | 'submit';
    const target = event.target as Node | null;
    const el = target && (target.nodeType === 1 ? (target as Element) : target.parentElement);
    if (!el || typeof el.closest !== 'function') return;
    const declared = el.closest(`[${ATTR}]`);
    // A form with data-goalpost-event tracks its submit, not the clicks inside it.
    if (declared && (type === 'submit' ? declared === el : declared.tagName !== 'FORM')) emit(fromAttributes(declared));
    // `on: { click | submit: selector }` goals, in config order.
    for (const g of goals) {
      const selector = g.kind === 'event' && g.on?.[type];
      if (selector && el.closest(selector)) emit({ action: g.id, dom: g.id });
    }
  }, 'DOM event failed');
  return listen(doc, 'click submit', handle, true);
}

function fromAttributes(el: Element): DomEvent {
  const e: DomEvent = { action: el.getAttribute(ATTR) || '' };
  for (const k of ['category', 'label'] as const) {
    const v = el.getAttribute(`data-goalpost-${k}`);
    if (v) e[k] = v;
  }
  const value = el.getAttribute('data-goalpost-value');
  if (value?.trim()) {
    const n = Number(value);
    if (Number.isFinite(n)) e.value = n;
    else warn(`data-goalpost-value ${JSON.stringify(value)} on "${e.action}" is not a number; sent without a value`);
  }
  return e;
}
