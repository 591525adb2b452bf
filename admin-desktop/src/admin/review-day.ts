/**
 * `review <employee> [--date]`: one employee's day as the signed-in role may
 * see it — attendance (computeDay), activity % (time-weighted over the slots),
 * apps by time, screenshots taken, integrity alerts, and each device's chain.
 * The role decides the database and the key (see record-reader.ts); records
 * sealed to other roles only are counted, not opened.
 */
import {
  aggregateActivity,
  appSpansOf,
  computeDay,
  localDateOf,
  localDayBounds,
  type ActivityAggregate,
  type ActivitySlotPayload,
  type AttendanceDay,
  type AttendanceEvent,
  type AttendancePayload,
  type IntegrityAlertPayload,
  type OpenedRecord as ViewRecord,
  type ScreenshotPayload,
} from '@sealtime/shared';
import { AdminError } from './admin-error.js';
import { checkId } from './directory-docs.js';
import type { Deps } from './people-setup.js';
import { deletedLinks } from './privacy-requests.js';
import {
  chainStatus,
  deviceKeys,
  openRecords,
  readRecords,
  scopeOf,
  unlockScopeRing,
  type ChainStatus,
} from './record-reader.js';

export interface ReviewInput {
  employeeId: string;
  /** YYYY-MM-DD in `timeZone`; default today. */
  date?: string;
  timeZone?: string;
  team?: string;
  passphrase: string;
  keyringFile?: string;
}

export interface DayReview {
  employeeId: string;
  date: string;
  timeZone: string;
  role: string;
  db: string;
  attendance: (AttendanceDay & { events: AttendanceEvent[] }) | null;
  activity: ActivityAggregate | null;
  apps: Array<{ app: string; ms: number }>;
  screenshots: number;
  alerts: IntegrityAlertPayload[];
  chains: ChainStatus[];
  records: {
    total: number;
    opened: number;
    notForThisRole: number;
    failed: Array<{ id: string; reason: string }>;
    unverified: number;
  };
}

export async function reviewDay(deps: Deps, input: ReviewInput): Promise<DayReview> {
  const employeeId = checkId('employee', input.employeeId);
  const timeZone = input.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const now = (deps.now ?? Date.now)();
  const date = input.date ?? localDateOf(now, timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new AdminError('bad-input', `--date must be YYYY-MM-DD, not '${date}'`);
  let bounds: { start: number; end: number };
  try {
    bounds = localDayBounds(date, timeZone);
  } catch {
    throw new AdminError('bad-input', `cannot place ${date} in time zone ${timeZone}`);
  }
  const me = await deps.client.me();
  const scope = scopeOf(me, input.team ? { team: input.team } : {});
  const ring = await unlockScopeRing(deps, scope, input.passphrase, input.keyringFile);
  const docs = await readRecords(deps.client, scope.db, employeeId);
  const keys = await deviceKeys(deps.client, employeeId);
  const opened = openRecords(docs, ring, keys);
  // records deleted on request (screenshots) leave a hole the organisation signed for: bridged, not a gap
  const deleted =
    scope.keyRole === 'organisation'
      ? await deletedLinks(deps.client, employeeId, (await deps.custody.orgRing()).signPublicKey)
      : [];

  const within = (t: number) => t >= bounds.start && t < bounds.end;
  const events: AttendanceEvent[] = [];
  const slots: ActivitySlotPayload[] = [];
  const apps = new Map<string, number>();
  let screenshots = 0;
  const alerts: IntegrityAlertPayload[] = [];
  for (const r of opened.records) {
    switch (r.kind) {
      case 'attendance': {
        const p = r.payload as AttendancePayload;
        events.push({ at: p.at, type: p.type, source: p.source }); // every event: sessions may cross midnight
        break;
      }
      case 'activity-slot': {
        const p = r.payload as ActivitySlotPayload;
        if (within(p.start)) slots.push(p);
        break;
      }
      case 'screenshot':
        if (within((r.payload as ScreenshotPayload).takenAt)) screenshots++;
        break;
      case 'integrity-alert':
        if (within((r.payload as IntegrityAlertPayload).at)) alerts.push(r.payload as IntegrityAlertPayload);
        break;
      default:
        break;
    }
  }
  // app-event records and the app usage inside activity slots (v2), each minute once
  const appRecords = opened.records
    .filter((r) => r.kind === 'app-event' || r.kind === 'activity-slot')
    .map((r) => ({ ...r, employeeId, integrity: 'ok' }) as unknown as ViewRecord);
  for (const s of appSpansOf(appRecords))
    if (within(s.start)) apps.set(s.app, (apps.get(s.app) ?? 0) + (s.end - s.start));
  const attendance =
    events.length > 0
      ? {
          ...computeDay(events, { timeZone, days: {}, graceMinutes: 0 }, date, now),
          events: events.filter((e) => within(e.at)).sort((a, b) => a.at - b.at),
        }
      : null;
  return {
    employeeId,
    date,
    timeZone,
    role: scope.role,
    db: scope.db,
    attendance,
    activity: slots.length > 0 ? aggregateActivity(slots) : null,
    apps: [...apps].map(([app, ms]) => ({ app, ms })).sort((a, b) => b.ms - a.ms),
    screenshots,
    alerts,
    chains: chainStatus(docs, keys, scope.keyRole === 'organisation', deleted),
    records: {
      total: docs.length,
      opened: opened.records.length,
      notForThisRole: opened.notForUs,
      failed: opened.failed,
      unverified: opened.records.filter((r) => !r.verified).length,
    },
  };
}
