/**
 * Today at a glance, one row per person: who is working, on a break or
 * offline, how long they worked, their activity, when each device was last
 * heard from, and what should be distrusted.
 *
 * Status comes from the last clock event at or before `now`
 * (clock-in / break-end → working, break-start → on break, clock-out →
 * offline). Someone who never clocks (activity-only tracking) counts as
 * working while a device reported activity in the last `silentAfterMinutes`.
 * A device is *silent* when the person is working and the device has sent
 * nothing for longer than that: a closed laptop during a break is not.
 */
import { buildSessions } from '../attendance/sessions.js';
import { overlapMs, subtract } from '../attendance/intervals.js';
import { appSpansOf } from './app-spans.js';
import { attendanceEventsOf } from './attendance-events.js';
import { integrityAlertsIn, type IntegrityAlertView } from './integrity-alerts.js';
import { mergeActivity, totalActivity } from './merged-activity.js';
import { intactOfKind, isIntact, type OpenedRecord, type ViewPerson } from './opened-record.js';
import { dayBounds, dayGrid } from './slot-grid.js';

export type PresenceStatus = 'working' | 'on-break' | 'offline';

export type DeviceSeen = {
  deviceId: string;
  lastSeen: number;
  /** now − lastSeen */
  silentMs: number;
  silent: boolean;
};

export type DashboardRow = {
  employeeId: string;
  name: string;
  teamId?: string;
  timeZone: string;
  status: PresenceStatus;
  /** what the status rests on */
  statusFrom: 'attendance' | 'activity' | 'none';
  /** the event or activity the status starts from */
  statusSince?: number;
  /** clocked in (or on a break) since before this local day began: probably a forgotten clock-out */
  staleSession: boolean;
  workedMs: number;
  activityPercent: number | null;
  activeSeconds: number;
  trackedSeconds: number;
  lastSeen?: number;
  devices: DeviceSeen[];
  silentDevices: string[];
  alerts: IntegrityAlertView[];
};

export type DashboardTotals = {
  people: number;
  working: number;
  onBreak: number;
  offline: number;
  workedMs: number;
  activityPercent: number | null;
  alerts: number;
  criticalAlerts: number;
  silentDevices: number;
};

export type Dashboard = { date: string; now: number; rows: DashboardRow[]; totals: DashboardTotals };

export type DashboardInput = {
  date: string;
  people: readonly ViewPerson[];
  recordsByPerson: Readonly<Record<string, readonly OpenedRecord[]>>;
  now: number;
  /** default 30 */
  silentAfterMinutes?: number;
};

const STATUS_AFTER = {
  'clock-in': 'working',
  'break-end': 'working',
  'break-start': 'on-break',
  'clock-out': 'offline',
} as const;

/** End of the last activity a device reported (activity slots and app spans), or -Infinity. */
function lastActivityEnd(records: readonly OpenedRecord[], now: number): number {
  let last = -Infinity;
  for (const r of intactOfKind(records, 'activity-slot'))
    if (r.payload.activeSeconds > 0) last = Math.max(last, r.payload.start + r.payload.slotSeconds * 1000);
  for (const s of appSpansOf(records)) last = Math.max(last, s.end);
  return Math.min(last, now);
}

function rowFor(
  person: ViewPerson,
  records: readonly OpenedRecord[],
  date: string,
  now: number,
  silentMs: number,
): DashboardRow {
  const mine = records.filter((r) => r.employeeId === person.id);
  const bounds = dayBounds(date, person.timeZone);
  const events = attendanceEventsOf(mine).filter((e) => e.at <= now);
  const last = events.at(-1);

  let status: PresenceStatus = 'offline';
  let statusFrom: DashboardRow['statusFrom'] = 'none';
  let statusSince: number | undefined;
  if (last) {
    status = STATUS_AFTER[last.type];
    statusFrom = 'attendance';
    statusSince = last.at;
  } else {
    const activeUntil = lastActivityEnd(mine, now);
    if (now - activeUntil <= silentMs) {
      status = 'working';
      statusFrom = 'activity';
      statusSince = activeUntil;
    }
  }

  const seen = new Map<string, number>();
  for (const r of mine)
    if (isIntact(r) && r.createdAt <= now)
      seen.set(r.deviceId, Math.max(seen.get(r.deviceId) ?? -Infinity, r.createdAt));
  const devices: DeviceSeen[] = [...seen]
    .map(([deviceId, lastSeen]) => ({
      deviceId,
      lastSeen,
      silentMs: now - lastSeen,
      silent: status === 'working' && now - lastSeen > silentMs,
    }))
    .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  const lastSeen = devices.reduce<number | undefined>(
    (m, d) => (m === undefined || d.lastSeen > m ? d.lastSeen : m),
    undefined,
  );

  // what computeDay's workedMs is, without its second localDayBounds (the costly part for hundreds of rows)
  const sessions = buildSessions(events, now).sessions;
  const workedMs = overlapMs(
    sessions.flatMap((x) => subtract(x, x.breaks)),
    bounds,
  );
  const activity = totalActivity(
    mergeActivity(dayGrid(date, person.timeZone, 10, false), intactOfKind(mine, 'activity-slot')),
  );

  return {
    employeeId: person.id,
    name: person.name,
    ...(person.teamId !== undefined ? { teamId: person.teamId } : {}),
    timeZone: person.timeZone,
    status,
    statusFrom,
    ...(statusSince !== undefined ? { statusSince } : {}),
    staleSession:
      statusFrom === 'attendance' && status !== 'offline' && statusSince !== undefined && statusSince < bounds.start,
    workedMs,
    activityPercent: activity.percent,
    activeSeconds: activity.activeSeconds,
    trackedSeconds: activity.trackedSeconds,
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    devices,
    silentDevices: devices.filter((d) => d.silent).map((d) => d.deviceId),
    alerts: integrityAlertsIn(mine, bounds),
  };
}

export function buildDashboard(input: DashboardInput): Dashboard {
  const { date, people, recordsByPerson, now } = input;
  const silentMs = (input.silentAfterMinutes ?? 30) * 60_000;
  const rows = people.map((p) => rowFor(p, recordsByPerson[p.id] ?? [], date, now, silentMs));

  // activity of the team: summed seconds over everyone, rounded once
  const active = rows.reduce((s, r) => s + r.activeSeconds, 0);
  const tracked = rows.reduce((s, r) => s + r.trackedSeconds, 0);
  const count = (s: PresenceStatus) => rows.filter((r) => r.status === s).length;
  return {
    date,
    now,
    rows,
    totals: {
      people: rows.length,
      working: count('working'),
      onBreak: count('on-break'),
      offline: count('offline'),
      workedMs: rows.reduce((s, r) => s + r.workedMs, 0),
      activityPercent: tracked > 0 ? Math.round((active / tracked) * 100) : null,
      alerts: rows.reduce((s, r) => s + r.alerts.length, 0),
      criticalAlerts: rows.reduce((s, r) => s + r.alerts.filter((a) => a.severity === 'critical').length, 0),
      silentDevices: rows.reduce((s, r) => s + r.silentDevices.length, 0),
    },
  };
}
