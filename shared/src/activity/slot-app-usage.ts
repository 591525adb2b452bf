/**
 * A slot's app usage, carried inside its activity-slot record (payload v2)
 * instead of one app-event record per focus change. Pure: the agent hands in
 * focus spans as the window tracker closes them and takes a slot's usage when
 * the slot is sealed.
 *
 * - Spans are clipped to the slot; one crossing a boundary counts on each side.
 * - Entries are per app, plus title and URL host only where the policy allows
 *   them (anything else is dropped here, whatever the caller passed), in order
 *   of first use within the slot.
 * - At most MAX_SLOT_APPS entries: the longest are kept, the rest summed into
 *   appsOtherSeconds; titles and hosts are cut to MAX_SLOT_TEXT characters.
 *   A slot record therefore stays a few hundred bytes in the usual case.
 * - Seconds are rounded cumulatively, so the entries add up to the rounded
 *   total and never pass the slot's length.
 */
import { MAX_SLOT_APPS, MAX_SLOT_TEXT } from '../records/payload-shapes.js';
import type { SlotAppUsage } from '../records/payload-types.js';

export interface AppFocus {
  app: string;
  title?: string;
  url?: string;
}

export interface FocusSpan extends AppFocus {
  start: number;
  end: number;
}

export interface AppUsagePolicy {
  titles: boolean;
  urls: boolean;
}

export interface SlotAppUsageResult {
  apps: SlotAppUsage[];
  appsOtherSeconds?: number;
}

const cut = (s: string): string => (s.length > MAX_SLOT_TEXT ? `${s.slice(0, MAX_SLOT_TEXT - 1)}…` : s);

/** The host of a URL, or undefined when it does not parse (a slot keeps hosts, never paths). */
export function urlHost(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/** What of a focus the policy lets into a slot record. */
export function redactFocus(focus: AppFocus, policy: AppUsagePolicy): AppFocus {
  const out: AppFocus = { app: focus.app.slice(0, 256) };
  if (policy.titles && focus.title) out.title = cut(focus.title);
  const host = policy.urls && focus.url ? urlHost(focus.url) : undefined;
  if (host) out.url = cut(host);
  return out;
}

/** Folds clipped focus time of one slot into its usage entries. */
export function slotAppUsage(
  spans: readonly FocusSpan[],
  slotStart: number,
  slotSeconds: number,
  policy: AppUsagePolicy,
): SlotAppUsageResult {
  return tally(
    spans.map((s) => ({ ...redactFocus(s, policy), start: s.start, end: s.end })),
    slotStart,
    slotSeconds,
  );
}

/** Drops what a (narrower) policy no longer allows from an already redacted focus. */
function narrow(focus: AppFocus, policy: AppUsagePolicy): AppFocus {
  const out: AppFocus = { app: focus.app };
  if (policy.titles && focus.title !== undefined) out.title = focus.title;
  if (policy.urls && focus.url !== undefined) out.url = focus.url;
  return out;
}

function tally(spans: readonly FocusSpan[], slotStart: number, slotSeconds: number): SlotAppUsageResult {
  const slotEnd = slotStart + slotSeconds * 1000;
  const byKey = new Map<string, { focus: AppFocus; ms: number; first: number }>();
  let coveredUntil = slotStart;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    // overlapping spans count once: focus is one window at a time
    const from = Math.max(s.start, slotStart, coveredUntil);
    const to = Math.min(s.end, slotEnd);
    if (!(to > from)) continue;
    coveredUntil = to;
    const focus: AppFocus = {
      app: s.app,
      ...(s.title !== undefined ? { title: s.title } : {}),
      ...(s.url !== undefined ? { url: s.url } : {}),
    };
    const key = `${focus.app}\u0000${focus.title ?? ''}\u0000${focus.url ?? ''}`;
    const entry = byKey.get(key) ?? { focus, ms: 0, first: byKey.size };
    entry.ms += to - from;
    byKey.set(key, entry);
  }
  const all = [...byKey.values()];
  const totalMs = all.reduce((sum, e) => sum + e.ms, 0);
  const kept = [...all]
    .sort((a, b) => b.ms - a.ms || a.first - b.first)
    .slice(0, MAX_SLOT_APPS)
    .sort((a, b) => a.first - b.first);
  const apps: SlotAppUsage[] = [];
  let cumulativeMs = 0;
  let given = 0;
  for (const e of kept) {
    cumulativeMs += e.ms;
    const seconds = Math.round(cumulativeMs / 1000) - given;
    if (seconds <= 0) continue;
    given += seconds;
    apps.push({ ...e.focus, seconds });
  }
  const other = Math.min(Math.round(totalMs / 1000), slotSeconds) - given;
  return other > 0 ? { apps, appsOtherSeconds: other } : { apps };
}

/**
 * Focus spans waiting for their slot to be sealed. Spans are stored as given
 * (not per slot), so a slot-length change between two slots needs nothing.
 */
export class SlotAppBook {
  private spans: FocusSpan[] = [];

  constructor(private policy: AppUsagePolicy) {}

  setPolicy(policy: AppUsagePolicy): void {
    this.policy = { titles: policy.titles, urls: policy.urls };
  }

  add(span: FocusSpan): void {
    if (!(span.end > span.start) || !Number.isFinite(span.start) || !Number.isFinite(span.end)) return;
    // redacted at once: what the policy forbids is not kept even in memory
    this.spans.push({ ...redactFocus(span, this.policy), start: span.start, end: span.end });
  }

  get pending(): number {
    return this.spans.length;
  }

  /**
   * The usage of [slotStart, until) (until: the slot's end, or earlier for a
   * partial slot handed out on stop); time before `until` is consumed, later
   * time stays for the next take.
   */
  take(slotStart: number, slotSeconds: number, until = slotStart + slotSeconds * 1000): SlotAppUsageResult {
    const end = Math.min(until, slotStart + slotSeconds * 1000);
    // redacted in add; a policy narrowed since then drops more, never adds
    const within = this.spans.map((s) => ({ ...narrow(s, this.policy), start: s.start, end: Math.min(s.end, end) }));
    const usage = tally(within, slotStart, slotSeconds);
    this.spans = this.spans.filter((s) => s.end > end).map((s) => (s.start < end ? { ...s, start: end } : s));
    return usage;
  }
}
