/**
 * Page code is .mts: agent/tsconfig.json includes every src .ts file without the DOM
 * library (Node code must not see `window`, `close`, `name`…), so the pages
 * are checked by tsconfig.renderer.json instead, with it.
 *
 * The few DOM steps both pages use. Text goes in through textContent only,
 * never parsed as HTML: record payloads and server messages are data, not markup.
 */
import type { AgentBridge } from '../ipc/channels.js';
import type { Row } from './privacy-view.js';

declare global {
  interface Window {
    sealtimeAgent: AgentBridge;
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page element #${id} is missing`);
  return el as T;
}

export function el(tag: string, text?: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

export function fillRows(dl: HTMLElement, rows: readonly Row[]): void {
  dl.replaceChildren(...rows.flatMap((r) => [el('dt', r.label), el('dd', r.value)]));
}

export const bridge = (): AgentBridge => window.sealtimeAgent;
