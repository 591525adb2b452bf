/**
 * What one device records, in plaintext and in order: per working day the
 * attendance events, activity slots, foreground-app spans, idle periods and
 * screenshot moments the agent's collectors would hand the recorder, with
 * the times the recorder would stamp (a slot or a span is recorded when it
 * ends). Deterministic for (seed, person, date); only the device id enters a
 * payload (integrity alerts name it).
 *
 *   day shift    09:00 ± jitter ─ lunch ~12:30 ─ ~17:30 (+ overtime sometimes)
 *   night shift  22:00 ─ break 02:00 ─ 06:00 next day: the records after
 *                midnight carry the next local date, the session belongs
 *                to the date it started on
 */
import {
  slotAppUsage,
  zonedTimeToEpoch,
  type AttendancePayload,
  type FocusSpan,
  type DeviceInfoPayload,
  type IdlePeriodPayload,
  type PayloadByKind,
  type ProjectRef,
  type RecordKind,
} from '@sealtime/shared';
import { makeFlag, toIntegrityAlert } from '@sealtime/agent/src/collectors/anti-bypass/integrity-flag.js';
import { AGENT_VERSION } from '@sealtime/agent/src/version.js';
import { addDays, deviceFor, rngFor, type DevicePlan, type OrgPlan, type PersonPlan } from './org-plan.js';
import { manualEntryOn, trackedAt, trackedStretches } from './work-plan.js';
import { pickApp, type AppSpec } from './app-mix.js';

/** A screenshot to take: which pooled screen image, and its metadata before the image is known. */
export interface ImageKey {
  app: string;
  variant: number;
  blurred: boolean;
}

export type PlannedRecord =
  | {
      [K in Exclude<RecordKind, 'screenshot'>]: {
        type: 'record';
        kind: K;
        createdAt: number;
        payload: PayloadByKind[K];
      };
    }[Exclude<RecordKind, 'screenshot'>]
  | {
      type: 'screenshot';
      createdAt: number;
      image: ImageKey;
      meta: {
        takenAt: number;
        screen: number;
        format: 'webp';
        blurred: boolean;
        app: string;
        project?: ProjectRef;
      };
    };

const MIN = 60_000;
const at = (date: string, minutes: number, tz: string): number => {
  const day = Math.floor(minutes / 1440);
  const m = minutes - day * 1440;
  return zonedTimeToEpoch(
    addDays(date, day),
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
    tz,
  );
};

interface WorkDay {
  start: number;
  end: number;
  breakStart: number;
  breakEnd: number;
}

/** The working hours of a person on a date, or undefined when absent (weekend, leave, sick). */
export function workDayOf(org: OrgPlan, person: PersonPlan, date: string): WorkDay | undefined {
  if (!org.workDates.includes(date)) return undefined;
  const rng = rngFor(org.seed, 'day', person.employeeId, date);
  const absent = rng() < 0.04;
  const jitter = Math.round(rng() * 55) - 45;
  const late = rng() < 0.12 ? 15 + Math.round(rng() * 55) : 0;
  const overtime = rng() < 0.12 ? 60 + Math.round(rng() * 90) : 0;
  const breakLen = 30 + Math.round(rng() * 15);
  if (absent && !person.correction && !person.jiggler && person.shift === 'day') return undefined;
  const tz = org.timeZone;
  if (person.shift === 'night') {
    const s = 22 * 60 + Math.round(rng() * 10) - 5;
    return {
      start: at(date, s, tz),
      breakStart: at(date, 26 * 60, tz),
      breakEnd: at(date, 26 * 60 + breakLen, tz),
      end: at(date, 30 * 60 + Math.round(rng() * 10), tz),
    };
  }
  const s = 9 * 60 + jitter + late;
  const lunch = 12 * 60 + 15 + Math.round(rng() * 45);
  return {
    start: at(date, s, tz),
    breakStart: at(date, lunch, tz),
    breakEnd: at(date, lunch + breakLen, tz),
    end: at(date, 17 * 60 + 30 + Math.round(rng() * 30) - 15 + overtime, tz),
  };
}

/** The date on which a person forgets to clock out (their correction request is about it). */
export function correctionDateOf(org: OrgPlan, person: PersonPlan): string | undefined {
  if (!person.correction) return undefined;
  const present = org.workDates.filter((d) => workDayOf(org, person, d) && deviceFor(person, d));
  // not the last day: the request is filed on the next working day
  return present.length >= 2 ? present[Math.floor((present.length - 1) / 2)] : undefined;
}

interface Span {
  start: number;
  end: number;
  app: AppSpec;
  title: string;
}

/** Everything one device records on one date, sorted by record time. */
export function planDay(
  org: OrgPlan,
  person: PersonPlan,
  device: DevicePlan,
  deviceId: string,
  date: string,
  firstOfDevice: boolean,
): PlannedRecord[] {
  const day = workDayOf(org, person, date);
  if (!day) return [];
  const rng = rngFor(org.seed, 'records', person.employeeId, date);
  const out: PlannedRecord[] = [];
  const att = (type: AttendancePayload['type'], t: number) =>
    out.push({ type: 'record', kind: 'attendance', createdAt: t, payload: { v: 1, at: t, type, source: 'agent' } });

  if (firstOfDevice) {
    const info: DeviceInfoPayload = {
      v: 1,
      hostname: device.hostname,
      platform: device.platform,
      osVersion:
        device.platform === 'linux' ? 'Debian 13' : device.platform === 'win32' ? 'Windows 11 23H2' : 'macOS 15.1',
      agentVersion: AGENT_VERSION,
      screens: 1,
      timeZone: org.timeZone,
    };
    out.push({ type: 'record', kind: 'device-info', createdAt: day.start, payload: info });
  }
  const forgotClockOut = correctionDateOf(org, person) === date;
  att('clock-in', day.start);
  att('break-start', day.breakStart);
  att('break-end', day.breakEnd);
  if (!forgotClockOut) att('clock-out', day.end);

  // a request filed at the start of the next working day about this one
  const previous = org.workDates[org.workDates.indexOf(date) - 1];
  if (previous && correctionDateOf(org, person) === previous) {
    const prevDay = workDayOf(org, person, previous)!;
    out.push({
      type: 'record',
      kind: 'correction-request',
      createdAt: day.start + 5 * MIN,
      payload: {
        v: 1,
        requestId: `corr-${person.employeeId}-${previous}`,
        date: previous,
        change: 'add',
        eventType: 'clock-out',
        at: prevDay.end,
        reason: 'Forgot to clock out when I left; I left at the usual time.',
      },
    });
  }

  // idle periods (not during the break: the screen is locked then)
  const idles: IdlePeriodPayload[] = [];
  const idleCount = person.jiggler ? 0 : 1 + Math.floor(rng() * 2);
  for (let i = 0; i < idleCount; i++) {
    const len = (6 + Math.floor(rng() * 15)) * MIN;
    const from = day.start + 30 * MIN + Math.floor(rng() * Math.max(1, day.end - day.start - 60 * MIN - len));
    if (from < day.breakEnd && from + len > day.breakStart) continue;
    const idle: IdlePeriodPayload = {
      v: 1,
      start: from,
      end: from + len,
      cause: rng() < 0.2 ? 'screen-locked' : 'no-input',
      decision: rng() < 0.8 ? 'kept' : 'discarded',
    };
    idles.push(idle);
    out.push({ type: 'record', kind: 'idle-period', createdAt: idle.end + 20_000, payload: idle });
  }
  const idleIn = (s: number, e: number) =>
    idles.reduce((sum, i) => sum + Math.max(0, Math.min(e, i.end) - Math.max(s, i.start)), 0);

  // foreground spans, heartbeat-merged: recorded when they end
  const spans: Span[] = [];
  for (const [from, to] of [
    [day.start, day.breakStart],
    [day.breakEnd, day.end],
  ] as const) {
    let t = from;
    while (t < to) {
      const app = pickApp(rng, person.jiggler);
      const len = Math.round((2 + rng() * rng() * 30) * MIN);
      const end = Math.min(to, t + len);
      spans.push({ start: t, end, app, title: app.titles[Math.floor(rng() * app.titles.length)]! });
      t = end;
    }
  }
  // the agent carries app usage inside the activity slot (payload v2), no app-event records
  const focus: FocusSpan[] = spans.map((s) => ({
    start: s.start,
    end: s.end,
    app: s.app.app,
    title: s.title,
    ...(s.app.url ? { url: s.app.url } : {}),
  }));
  const appsOf = (start: number, slotSeconds: number) => ({
    v: 2 as const,
    ...slotAppUsage(focus, start, slotSeconds, { titles: true, urls: true }),
  });

  // what is tracked when: a slot carries the project of its last worked moment (it is sealed then)
  const stretches = trackedStretches(org, org.projects, person, date, day.start, day.end);
  const tracked = (t: number) => {
    const project = trackedAt(stretches, t);
    return project ? { project } : {};
  };

  // activity slots over the worked time (none fully inside the break)
  const slotMs = org.policy.slotMinutes * MIN;
  const level = 0.55 + rngFor(org.seed, 'level', person.employeeId)() * 0.3;
  for (let s = Math.floor(day.start / slotMs) * slotMs; s < day.end; s += slotMs) {
    const e = s + slotMs;
    if (s >= day.breakStart && e <= day.breakEnd) continue;
    const worked =
      Math.max(0, Math.min(e, day.end) - Math.max(s, day.start)) -
      Math.max(0, Math.min(e, day.breakEnd) - Math.max(s, day.breakStart));
    const slotSeconds = slotMs / 1000;
    if (person.jiggler) {
      // a jiggler: a move every second, nothing else, all day
      const active = Math.round(worked / 1000);
      out.push({
        type: 'record',
        kind: 'activity-slot',
        createdAt: e,
        payload: {
          start: s,
          slotSeconds,
          activeSeconds: active,
          keyPresses: 0,
          clicks: 0,
          mouseMoves: active,
          scrolls: 0,
          ...appsOf(s, slotSeconds),
          ...tracked(Math.min(e, day.end) - 1),
        },
      });
      continue;
    }
    const awake = Math.max(0, worked - idleIn(s, e)) / 1000;
    const active = Math.min(slotSeconds, Math.round(awake * Math.min(1, Math.max(0, level + (rng() - 0.5) * 0.4))));
    out.push({
      type: 'record',
      kind: 'activity-slot',
      createdAt: e,
      payload: {
        start: s,
        slotSeconds,
        activeSeconds: active,
        keyPresses: Math.round(active * (0.5 + rng() * 2)),
        clicks: Math.round(active * (0.05 + rng() * 0.15)),
        mouseMoves: Math.round(active * (2 + rng() * 6)),
        scrolls: Math.round(active * rng() * 0.3),
        ...appsOf(s, slotSeconds),
        ...tracked(Math.min(e, day.end) - 1),
      },
    });
  }
  if (person.jiggler) {
    const flag = makeFlag(
      'synthetic-input',
      day.end,
      'mouse moved exactly once a second with no key or click for the whole shift (mouse-jiggler pattern)',
      { start: day.start, end: day.end },
    );
    out.push({
      type: 'record',
      kind: 'integrity-alert',
      createdAt: day.end + 1000,
      payload: toIntegrityAlert(flag, deviceId),
    });
  }

  // screenshots: one moment in each interval of the worked time
  const every = Math.round(60 / org.policy.screenshotsPerHour) * MIN;
  for (let s = Math.floor(day.start / every) * every; s < day.end; s += every) {
    const t = s + Math.floor(rng() * every);
    if (t < day.start || t >= day.end || (t >= day.breakStart && t < day.breakEnd)) continue;
    const span = spans.find((x) => t >= x.start && t < x.end) ?? spans[spans.length - 1]!;
    const blurred = org.policy.blurApps.includes(span.app.app);
    out.push({
      type: 'screenshot',
      createdAt: t,
      image: { app: span.app.app, variant: Math.floor(rng() * 4), blurred },
      meta: { takenAt: t, screen: 0, format: 'webp', blurred, app: span.app.app, ...tracked(t) },
    });
  }
  // time away from the computer, stated after the fact (work-plan.ts; its decision comes from a reviewer)
  const manual = manualEntryOn(org, org.projects, person, date, day.end);
  if (manual)
    out.push({
      type: 'record',
      kind: 'manual-time',
      createdAt: manual.createdAt,
      payload: {
        v: 1,
        entryId: manual.entryId,
        start: manual.start,
        end: manual.end,
        note: manual.note,
        project: manual.project,
        approval: 'manager',
      },
    });
  // record time order; attendance first at equal times (as it is recorded at the moment itself)
  const rank = (r: PlannedRecord) =>
    r.type === 'record' && r.kind === 'device-info' ? 0 : r.type === 'record' && r.kind === 'attendance' ? 1 : 2;
  return out.sort((a, b) => a.createdAt - b.createdAt || rank(a) - rank(b));
}

/** Every record one device makes over the org's range, in order. */
export function* planDevice(
  org: OrgPlan,
  person: PersonPlan,
  device: DevicePlan,
  deviceId: string,
): Generator<PlannedRecord> {
  let first = true;
  for (const date of org.dates) {
    if (deviceFor(person, date) !== device) continue;
    const records = planDay(org, person, device, deviceId, date, first);
    if (records.length > 0) first = false;
    yield* records;
  }
}

/** The manual entries a person's devices record over the org's range (their decisions are signed when the org is stored). */
export function manualEntriesOf(org: OrgPlan, person: PersonPlan): Array<{ entryId: string; createdAt: number }> {
  const out: Array<{ entryId: string; createdAt: number }> = [];
  for (const date of org.dates) {
    const day = deviceFor(person, date) ? workDayOf(org, person, date) : undefined;
    const entry = day && manualEntryOn(org, org.projects, person, date, day.end);
    if (entry) out.push({ entryId: entry.entryId, createdAt: entry.createdAt });
  }
  return out;
}
