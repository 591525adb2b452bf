/**
 * App usage as time spans, from both record models:
 *
 * - app-event records (sealed by agents before activity slots carried app
 *   usage, and still when activity slots are off): one span each, as sealed;
 * - activity-slot records of version 2 with `apps`: the slot's entries, laid
 *   one after the other in order of first use into the part of the slot that
 *   the same device's app-events (and earlier slots) do not already cover.
 *
 * This is the migration between the models. Records already sealed are never
 * rewritten: each is signed by its device and linked into its hash chain, so
 * a rewritten record would fail verification and break the chain after it.
 * Readers take both instead, and a device's minute counts once: where an
 * app-event covers time, a slot's usage fills only what is left (an agent
 * updated mid-slot has sealed app-events for the first minutes and carries the
 * rest in the slot). A slot tells how long each app was in focus, not exactly
 * when within the 10 minutes: positions inside a slot are nominal, totals exact.
 */
import { subtract } from '../attendance/intervals.js';
import type { TimeInterval } from '../attendance/types.js';
import { intactOfKind, type OpenedRecord } from './opened-record.js';

/** The app name shown for a slot's entries past the cap, summed. */
export const OTHER_APPS = '(other apps)';

export type AppSpan = TimeInterval & {
  recordId: string;
  deviceId: string;
  app: string;
  title?: string;
  url?: string;
  source: 'app-event' | 'activity-slot';
};

const byStart = (a: TimeInterval, b: TimeInterval): number => a.start - b.start || a.end - b.end;

/** Every app span of the given records (any devices), sorted by start. */
export function appSpansOf(records: readonly OpenedRecord[]): AppSpan[] {
  const out: AppSpan[] = [];
  const occupied = new Map<string, TimeInterval[]>();
  for (const r of intactOfKind(records, 'app-event')) {
    const p = r.payload;
    if (!Number.isFinite(p.start) || !(p.durationMs > 0)) continue;
    const s: AppSpan = {
      recordId: r.id,
      deviceId: r.deviceId,
      start: p.start,
      end: p.start + p.durationMs,
      app: p.app,
      source: 'app-event',
    };
    if (p.title !== undefined) s.title = p.title;
    if (p.url !== undefined) s.url = p.url;
    out.push(s);
    const list = occupied.get(r.deviceId) ?? [];
    list.push({ start: s.start, end: s.end });
    occupied.set(r.deviceId, list);
  }
  const slots = intactOfKind(records, 'activity-slot')
    .filter((r) => r.payload.apps !== undefined && Number.isFinite(r.payload.start) && r.payload.slotSeconds > 0)
    .sort((a, b) => a.payload.start - b.payload.start || a.createdAt - b.createdAt || a.seq - b.seq);
  for (const r of slots) {
    const p = r.payload;
    const window = { start: p.start, end: p.start + p.slotSeconds * 1000 };
    const taken = occupied.get(r.deviceId) ?? [];
    const free = subtract(
      window,
      taken.filter((t) => t.end > window.start && t.start < window.end),
    ).sort(byStart);
    const entries = [
      ...(p.apps ?? []).map((a) => ({ ...a, ms: a.seconds * 1000 })),
      ...(p.appsOtherSeconds ? [{ app: OTHER_APPS, ms: p.appsOtherSeconds * 1000 }] : []),
    ];
    let gap = 0;
    let at = free[0]?.start ?? window.end;
    for (const e of entries) {
      let left = e.ms;
      // more usage than free time: the rest is time already shown, dropped
      while (left > 0 && gap < free.length) {
        const g = free[gap]!;
        at = Math.max(at, g.start);
        const end = Math.min(g.end, at + left);
        if (end > at) {
          const s: AppSpan = {
            recordId: r.id,
            deviceId: r.deviceId,
            start: at,
            end,
            app: e.app,
            source: 'activity-slot',
          };
          if ('title' in e && e.title !== undefined) s.title = e.title;
          if ('url' in e && e.url !== undefined) s.url = e.url;
          out.push(s);
          taken.push({ start: at, end });
          left -= end - at;
          at = end;
        }
        if (at >= g.end) gap += 1;
      }
    }
    occupied.set(r.deviceId, taken);
  }
  return out.sort(byStart);
}
