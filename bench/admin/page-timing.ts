/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The one in-page timer of the admin bench's UI figures: an action (a click,
 * or a date typed into an input), then the in-page milliseconds until every
 * condition holds, the shown images are decoded (when asked) and a frame has
 * been painted after it (requestAnimationFrame, then a task).
 */
import type { Page } from 'playwright-core';

/** One condition on the page: the elements `sel` matches, and what must hold of them. */
export interface Check {
  sel: string;
  /** at least this many matches (default 1; 0 lets a view with none pass) */
  minCount?: number;
  /** one match's text contains it */
  text?: string;
  /** one match's text is exactly it */
  equals?: string;
  /** one match's text ends with it */
  endsWith?: string;
  /** some match's text differs from it (a header that must change) */
  notText?: string;
  /** as many matches as this selector has (e.g. every thumbnail shown as an image) */
  countOf?: string;
  /** as many matches as the number the first match of `sel` shows, read with the regex's first group */
  countFromText?: { sel: string; pattern: string };
  /** every match is an image that finished loading (`complete`); `'pixels'`: and has a width */
  loaded?: true | 'pixels';
}

/** What starts the timed navigation: the `index`th match of `sel` (with that text, when given) clicked, or a date input set. */
export type Action = { click: string; text?: string; index?: number } | { input: string; value: string };

export interface TimeOptions {
  /** images decoded (img.decode()) before the frame is awaited */
  decode?: string;
  /** a line of where the time went (API messages, image requests) kept under this label (pageBreakdown) */
  breakdown?: string;
  /** give up after this long (default 120 s) */
  timeoutMs?: number;
}

/** Resolves with the in-page ms from the action until `ready` holds and a frame was painted. */
export function timeInPage(page: Page, action: Action, ready: Check[], opts: TimeOptions = {}): Promise<number> {
  return page.evaluate(
    async ({ action, ready, opts }) => {
      const holds = (c: Check): boolean => {
        const els = [...document.querySelectorAll(c.sel)];
        if (els.length < (c.minCount ?? 1)) return false;
        const texts = els.map((e) => e.textContent ?? '');
        if (c.text !== undefined && !texts.some((t) => t.includes(c.text!))) return false;
        if (c.equals !== undefined && !texts.some((t) => t === c.equals)) return false;
        if (c.endsWith !== undefined && !texts.some((t) => t.endsWith(c.endsWith!))) return false;
        if (c.notText !== undefined && texts.every((t) => t === c.notText)) return false;
        if (c.countOf !== undefined && els.length !== document.querySelectorAll(c.countOf).length) return false;
        if (c.countFromText) {
          const shown = document.querySelector(c.countFromText.sel)?.textContent ?? '';
          const m = new RegExp(c.countFromText.pattern).exec(shown);
          if (!m || els.length !== Number(m[1])) return false;
        }
        if (c.loaded) {
          const imgs = els as HTMLImageElement[];
          if (!imgs.every((i) => i.complete && (c.loaded !== 'pixels' || i.naturalWidth > 0))) return false;
        }
        return true;
      };
      const t0 = performance.now();
      if ('input' in action) {
        const el = document.querySelector<HTMLInputElement>(action.input);
        if (!el) throw new Error(`no input ${action.input}`);
        // React's onChange listens to 'input': set the value as a user's typing would
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, action.value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      } else {
        const all = [...document.querySelectorAll<HTMLElement>(action.click)].filter(
          (e) => action.text === undefined || e.textContent?.trim() === action.text,
        );
        const target = all[action.index ?? 0];
        if (!target) throw new Error(`nothing to click at ${action.click} ${action.text ?? ''} [${action.index ?? 0}]`);
        target.click();
      }
      const timeoutMs = opts.timeoutMs ?? 120_000;
      await new Promise<void>((resolve, reject) => {
        let done = false;
        const finish = (err?: Error) => {
          if (done) return;
          done = true;
          obs.disconnect();
          clearInterval(poll);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (ready.every(holds)) finish();
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        // an image finishing its load changes no DOM: look again now and then
        const poll = setInterval(check, 5);
        const timer = setTimeout(
          () => finish(new Error(`not ready after ${timeoutMs / 1000} s: ${JSON.stringify(ready)}`)),
          timeoutMs,
        );
      });
      const inDom = performance.now() - t0;
      if (opts.decode)
        await Promise.all(
          [...document.querySelectorAll<HTMLImageElement>(opts.decode)].map((i) => i.decode().catch(() => undefined)),
        );
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const total = performance.now() - t0;
      if (opts.breakdown) {
        const g = globalThis as unknown as {
          __breakdown?: string[];
          __msgs?: Array<{ t: number; bytes: number }>;
        };
        // every API message of this navigation (when it arrived, ms after the action, and its size) and the image requests
        const msgs = (g.__msgs ?? []).filter((m) => m.t > t0 && m.t - t0 <= total);
        const last = msgs.at(-1);
        const fetched = performance
          .getEntriesByType('resource')
          .filter((e): e is PerformanceResourceTiming => e.startTime > t0 && /\/img/.test(e.name))
          .map((e) => `${(e.startTime - t0).toFixed(0)}-${(e.responseEnd - t0).toFixed(0)}`);
        (g.__breakdown ??= []).push(
          `${opts.breakdown}: ${total.toFixed(0)} ms (last message at ${last ? (last.t - t0).toFixed(0) : '-'} ms, ${last?.bytes ?? 0} B; in the DOM at ${inDom.toFixed(0)} ms; messages ${msgs.map((m) => `${(m.t - t0).toFixed(0)}:${(m.bytes / 1024).toFixed(0)}k`).join(' ')}; images ${fetched.length > 6 ? `${fetched.length} from ${fetched[0]} to ${fetched.at(-1)}` : fetched.join(' ')})`,
        );
      }
      return total;
    },
    { action, ready, opts },
  );
}

/** The breakdown lines timeInPage kept, oldest first (and forgets them). */
export function pageBreakdown(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __breakdown?: string[] };
    const lines = g.__breakdown ?? [];
    g.__breakdown = [];
    return lines;
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
