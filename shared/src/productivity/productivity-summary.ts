/**
 * Time per class, from the app spans the views already compute
 * (views/app-spans.ts: app-events and the activity slots' `apps`). Nothing
 * here is stored: every figure is computed when a view is built, so a
 * changed rule shows at once on all history.
 *
 * Spans are clipped to the window asked for (a day, a slot), so a span across
 * midnight counts on each side for its part there.
 */
import type { TimeInterval } from '../attendance/types.js';
import { classify, hostOf, type ClassifiableSpan } from './classify.js';
import type { ClassOrUnclassified, Classification, ProductivityRuleSet } from './productivity-types.js';

export type ProductivityTotals = Record<ClassOrUnclassified, number>;
export const CLASS_ORDER: readonly ClassOrUnclassified[] = ['productive', 'neutral', 'unproductive', 'unclassified'];

export const emptyTotals = (): ProductivityTotals => ({ productive: 0, neutral: 0, unproductive: 0, unclassified: 0 });

export type ClassifiedSpan<S> = S & { classification: Classification };

export function classifySpans<S extends ClassifiableSpan>(
  spans: readonly S[],
  chain: readonly ProductivityRuleSet[],
): Array<ClassifiedSpan<S>> {
  return spans.map((s) => ({ ...s, classification: classify(s, chain) }));
}

const clipped = (s: TimeInterval, w: TimeInterval): number =>
  Math.max(0, Math.min(s.end, w.end) - Math.max(s.start, w.start));

/** Milliseconds per class inside `window`. */
export function productivityTotals(
  spans: ReadonlyArray<ClassifiedSpan<TimeInterval>>,
  window: TimeInterval,
): ProductivityTotals {
  const t = emptyTotals();
  for (const s of spans) t[s.classification.class] += clipped(s, window);
  return t;
}

/** Totals per window (slots of a day, days of a report), one pass over sorted windows. */
export function productivityPerWindow(
  spans: ReadonlyArray<ClassifiedSpan<TimeInterval>>,
  windows: readonly TimeInterval[],
): ProductivityTotals[] {
  return windows.map((w) =>
    productivityTotals(
      spans.filter((s) => s.end > w.start && s.start < w.end),
      w,
    ),
  );
}

export type AppClassRow = {
  app: string;
  /** the host, when the span came from a browser that reported one */
  host: string | null;
  class: ClassOrUnclassified;
  /** "team ops · rule r1", or null when unclassified */
  rule: Classification['rule'];
  ms: number;
};

/** Time per app (and host) and the class it got, longest first: what a reviewer checks a rule set against. */
export function productivityByApp(
  spans: ReadonlyArray<ClassifiedSpan<TimeInterval & { app: string; url?: string }>>,
  window: TimeInterval,
): AppClassRow[] {
  const rows = new Map<string, AppClassRow>();
  for (const s of spans) {
    const ms = clipped(s, window);
    if (ms <= 0) continue;
    const host = hostOf(s.url) || null;
    const key = JSON.stringify([s.app, host, s.classification.class, s.classification.rule]);
    const row = rows.get(key) ?? {
      app: s.app,
      host,
      class: s.classification.class,
      rule: s.classification.rule,
      ms: 0,
    };
    row.ms += ms;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.ms - a.ms || a.app.localeCompare(b.app));
}

/** Productive time over all app time, 0–100 rounded; null when there is no app time. */
export function productiveShare(t: ProductivityTotals): number | null {
  const all = t.productive + t.neutral + t.unproductive + t.unclassified;
  return all > 0 ? Math.round((t.productive / all) * 100) : null;
}
