/**
 * The tray's tracking section: what is tracked now (or "pick a project"
 * when the policy asks for one), the recent projects to switch to in one
 * click, "Other project…" for the rest, and stop.
 */
import type { TrayTracking } from './agent-port.js';

/** The actions this section's items carry (part of the tray's TrayAction). */
export type TrackingAction = 'stop-tracking' | 'open-projects' | { track: { projectId: string; taskId?: string } };

/** A menu entry as tray-model.ts types it, narrowed to this section's actions. */
export type TrackingMenuItem =
  { type: 'separator' } | { type: 'item'; label: string; enabled: boolean; action: TrackingAction | null };

const MAX_RECENT = 5;

export function trackingItems(t: TrayTracking | undefined): TrackingMenuItem[] {
  if (!t) return [];
  const line = (label: string): TrackingMenuItem => ({ type: 'item', label, enabled: false, action: null });
  const items: TrackingMenuItem[] = [
    line(
      t.current
        ? `Tracking: ${t.current.label}`
        : t.needsProject
          ? 'Pick a project: your organisation asks for one'
          : 'Not tracking a project',
    ),
  ];
  const isCurrent = (r: { projectId: string; taskId?: string }) =>
    t.current !== null && r.projectId === t.current.projectId && r.taskId === t.current.taskId;
  for (const r of t.recent.filter((x) => !isCurrent(x)).slice(0, MAX_RECENT))
    items.push({
      type: 'item',
      label: r.label.slice(0, 80),
      enabled: true,
      action: { track: { projectId: r.projectId, ...(r.taskId ? { taskId: r.taskId } : {}) } },
    });
  items.push({ type: 'item', label: 'Other project…', enabled: true, action: 'open-projects' });
  if (t.current) items.push({ type: 'item', label: 'Stop tracking', enabled: true, action: 'stop-tracking' });
  items.push({ type: 'separator' });
  return items;
}
