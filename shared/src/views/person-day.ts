/**
 * One person's local day: the timeline a reviewer (and later the employee's
 * own privacy centre) reads. Every figure comes from intact records only;
 * records that failed verification appear as alerts and nowhere else.
 *
 * The day is [local midnight, next local midnight) in the given zone, so it
 * has 23, 24 or 25 hours; spans crossing midnight count on each side for
 * the part that fell there.
 */
import { buildSessions } from '../attendance/sessions.js';
import { computeDay } from '../attendance/worked-time.js';
import { subtract } from '../attendance/intervals.js';
import { addDays } from '../attendance/local-date.js';
import { localDateOf } from '../attendance/time-zone.js';
import type { IdlePeriodPayload } from '../records/payload-types.js';
import type { AttendanceAnomalyKind } from '../attendance/sessions.js';
import { activityLevel, type ActivityLevel } from './activity-level.js';
import { appSpansOf } from './app-spans.js';
import { attendanceEventsOf, type AttendanceEventView } from './attendance-events.js';
import { integrityAlertsIn, type IntegrityAlertView } from './integrity-alerts.js';
import { mergeActivity, totalActivity, type SlotActivity } from './merged-activity.js';
import { intactOfKind, type OpenedRecord, type ScreenshotWithThumb, type ViewPerson } from './opened-record.js';
import { dayBounds, dayGrid, overlap, slotIndicesOf, type GridSlot } from './slot-grid.js';
import { thumbnailSrc } from './thumbnail.js';
import { wallTimeOf } from './wall-clock.js';

export type AppDuration = { app: string; ms: number };
export type TitleDuration = { app: string; title: string; ms: number };
export type AppTotal = AppDuration & { titles: { title: string; ms: number }[] };

export type ScreenshotThumb = {
  recordId: string;
  deviceId: string;
  takenAt: number;
  /** 'HH:mm' local */
  label: string;
  screen: number;
  width: number;
  height: number;
  blurred: boolean;
  app?: string;
  blobId: string;
  /**
   * The thumbnail sealed in with the metadata, when the agent sent one: a
   * data:image/ URL from this builder; the admin app puts a link to it here
   */
  thumb?: string;
  /** A link to the full image the app handed out with the view (admin app), so opening it needs no request. */
  fullUrl?: string;
};

/** Time of the slot tracked on a project (sealed in the activity slots), longest first. */
export type SlotProject = {
  projectId: string;
  taskId: string | null;
  label: string;
  colour: string | null;
  ms: number;
};

/** What the timeline needs to name a project: from the signed project documents the reviewer holds. */
export type ProjectName = {
  id: string;
  name: string;
  colour: string;
  tasks: ReadonlyArray<{ id: string; name: string }>;
};

export type PersonDaySlot = GridSlot & {
  /** projects tracked in the slot (empty: none, or nothing tracked) */
  projects: SlotProject[];
  activity: SlotActivity;
  level: ActivityLevel;
  /** longest first */
  apps: AppDuration[];
  titles: TitleDuration[];
  idleMs: number;
  /** clocked in and not on a break */
  workedMs: number;
  screenshots: ScreenshotThumb[];
};

export type IdleView = {
  recordId: string;
  deviceId: string;
  start: number;
  end: number;
  /** the part inside this day */
  ms: number;
  startLabel: string;
  endLabel: string;
  cause: IdlePeriodPayload['cause'];
  decision: IdlePeriodPayload['decision'];
};

export type PersonDay = {
  employeeId: string;
  employeeName: string;
  date: string;
  timeZone: string;
  start: number;
  end: number;
  /** 23, 24 or 25 */
  hours: number;
  prevDate: string;
  /** null when the next date has not begun yet */
  nextDate: string | null;
  slots: PersonDaySlot[];
  activity: { percent: number | null; activeSeconds: number; trackedSeconds: number };
  apps: AppTotal[];
  idle: IdleView[];
  attendance: {
    /** events on this date, oldest first */
    events: (AttendanceEventView & { label: string })[];
    workedMs: number;
    breakMs: number;
    firstIn?: number;
    lastOut?: number;
    anomalies: { kind: AttendanceAnomalyKind; at: number; detail: string }[];
  };
  screenshots: ScreenshotThumb[];
  alerts: IntegrityAlertView[];
};

export type PersonDayInput = {
  employee: ViewPerson;
  date: string;
  timeZone: string;
  records: readonly OpenedRecord[];
  now: number;
  /** default 10 */
  slotMinutes?: number;
  /** names and colours of projects; a project not among them shows its id */
  projects?: readonly ProjectName[];
};

const NO_SCHEDULE = (timeZone: string) => ({ timeZone, days: {}, graceMinutes: 0 });

function byMsDesc<T extends { ms: number }>(a: T, b: T, key: (x: T) => string): number {
  return b.ms - a.ms || key(a).localeCompare(key(b));
}

function addTo(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

export function buildPersonDay(input: PersonDayInput): PersonDay {
  const { employee, date, timeZone, records, now } = input;
  const bounds = dayBounds(date, timeZone);
  const grid = dayGrid(date, timeZone, input.slotMinutes ?? 10);
  const mine = records.filter((r) => r.employeeId === employee.id);

  const activity = mergeActivity(grid, intactOfKind(mine, 'activity-slot'));

  // Apps: per-slot and whole-day durations; a title key is app + NUL + title.
  const slotApps = grid.slots.map(() => new Map<string, number>());
  const slotTitles = grid.slots.map(() => new Map<string, number>());
  const dayTitles = new Map<string, number>();
  // app-event records and app usage inside activity slots, each minute once (app-spans.ts)
  for (const p of appSpansOf(mine)) {
    const span = { start: p.start, end: p.end };
    const titleKey = `${p.app}\u0000${p.title ?? ''}`;
    for (const i of slotIndicesOf(grid, span)) {
      const ms = overlap(span, grid.slots[i]!);
      addTo(slotApps[i]!, p.app, ms);
      addTo(slotTitles[i]!, titleKey, ms);
      addTo(dayTitles, titleKey, ms);
    }
  }
  const splitTitle = (key: string): [string, string] => {
    const cut = key.indexOf('\u0000');
    return [key.slice(0, cut), key.slice(cut + 1)];
  };

  const idle: IdleView[] = [];
  const slotIdle = grid.slots.map(() => 0);
  for (const r of intactOfKind(mine, 'idle-period')) {
    const p = r.payload;
    const span = { start: p.start, end: p.end };
    const ms = overlap(span, bounds);
    if (ms <= 0) continue;
    idle.push({
      recordId: r.id,
      deviceId: r.deviceId,
      start: p.start,
      end: p.end,
      ms,
      startLabel: wallTimeOf(p.start, timeZone),
      endLabel: wallTimeOf(p.end, timeZone),
      cause: p.cause,
      decision: p.decision,
    });
    for (const i of slotIndicesOf(grid, span)) slotIdle[i]! += overlap(span, grid.slots[i]!);
  }
  idle.sort((a, b) => a.start - b.start);

  const events = attendanceEventsOf(mine);
  const sessions = buildSessions(events, now);
  const work = sessions.sessions.flatMap((s) => subtract(s, s.breaks));
  const slotWorked = grid.slots.map((slot) => work.reduce((sum, w) => sum + overlap(w, slot), 0));
  const day = computeDay(events, NO_SCHEDULE(timeZone), date, now);

  const screenshots: ScreenshotThumb[] = intactOfKind(mine, 'screenshot')
    .filter((r) => r.payload.takenAt >= bounds.start && r.payload.takenAt < bounds.end)
    .map((r) => {
      const p = r.payload as ScreenshotWithThumb;
      const thumb = thumbnailSrc(p.thumb);
      return {
        recordId: r.id,
        deviceId: r.deviceId,
        takenAt: p.takenAt,
        label: wallTimeOf(p.takenAt, timeZone),
        screen: p.screen,
        width: p.width,
        height: p.height,
        blurred: p.blurred,
        blobId: p.blobId,
        ...(p.app !== undefined ? { app: p.app } : {}),
        ...(thumb !== undefined ? { thumb } : {}),
      };
    })
    .sort((a, b) => a.takenAt - b.takenAt || a.screen - b.screen);

  // projects: each activity slot's tracked project over the grid slots it overlaps
  const slotProjects = grid.slots.map(() => new Map<string, number>());
  for (const r of intactOfKind(mine, 'activity-slot')) {
    const ref = r.payload.project;
    if (!ref) continue;
    const span = { start: r.payload.start, end: r.payload.start + r.payload.slotSeconds * 1000 };
    for (const i of slotIndicesOf(grid, span))
      addTo(slotProjects[i]!, `${ref.projectId}\u0000${ref.taskId ?? ''}`, overlap(span, grid.slots[i]!));
  }
  const projectOf = (key: string): SlotProject => {
    const [projectId, taskId] = key.split('\u0000') as [string, string];
    const p = input.projects?.find((x) => x.id === projectId);
    const task = taskId ? (p?.tasks.find((t) => t.id === taskId)?.name ?? taskId) : null;
    const name = p?.name ?? projectId;
    return {
      projectId,
      taskId: taskId || null,
      label: task ? `${name} — ${task}` : name,
      colour: p?.colour ?? null,
      ms: 0,
    };
  };

  const slots: PersonDaySlot[] = grid.slots.map((slot, i) => ({
    ...slot,
    projects: [...slotProjects[i]!]
      .map(([key, ms]) => ({ ...projectOf(key), ms: Math.min(ms, slot.end - slot.start) }))
      .sort((a, b) => b.ms - a.ms || a.label.localeCompare(b.label)),
    activity: activity[i]!,
    level: activityLevel(activity[i]!.percent),
    apps: [...slotApps[i]!].map(([app, ms]) => ({ app, ms })).sort((a, b) => byMsDesc(a, b, (x) => x.app)),
    titles: [...slotTitles[i]!]
      .map(([key, ms]) => {
        const [app, title] = splitTitle(key);
        return { app, title, ms };
      })
      .sort((a, b) => byMsDesc(a, b, (x) => x.app + x.title)),
    idleMs: slotIdle[i]!,
    workedMs: slotWorked[i]!,
    screenshots: screenshots.filter((s) => s.takenAt >= slot.start && s.takenAt < slot.end),
  }));

  const apps = new Map<string, AppTotal>();
  for (const [key, ms] of dayTitles) {
    const [app, title] = splitTitle(key);
    const total = apps.get(app) ?? { app, ms: 0, titles: [] };
    total.ms += ms;
    total.titles.push({ title, ms });
    apps.set(app, total);
  }
  for (const t of apps.values()) t.titles.sort((a, b) => byMsDesc(a, b, (x) => x.title));

  const nextDate = addDays(date, 1);
  return {
    employeeId: employee.id,
    employeeName: employee.name,
    date,
    timeZone,
    start: bounds.start,
    end: bounds.end,
    hours: (bounds.end - bounds.start) / 3_600_000,
    prevDate: addDays(date, -1),
    nextDate: nextDate <= localDateOf(now, timeZone) ? nextDate : null,
    slots,
    activity: totalActivity(activity),
    apps: [...apps.values()].sort((a, b) => byMsDesc(a, b, (x) => x.app)),
    idle,
    attendance: {
      events: events
        .filter((e) => e.at >= bounds.start && e.at < bounds.end)
        .map((e) => ({ ...e, label: wallTimeOf(e.at, timeZone) })),
      workedMs: day.workedMs,
      breakMs: day.breakMs,
      ...(day.firstIn !== undefined ? { firstIn: day.firstIn } : {}),
      ...(day.lastOut !== undefined ? { lastOut: day.lastOut } : {}),
      anomalies: day.anomalies.map((a) => ({ kind: a.kind, at: a.at, detail: a.detail })),
    },
    screenshots,
    alerts: integrityAlertsIn(mine, bounds),
  };
}
