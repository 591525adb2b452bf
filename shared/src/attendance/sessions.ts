/**
 * Pairs clock events into work sessions with their breaks. Events are data
 * recorded on several devices, so anything inconsistent becomes an anomaly in
 * the result; this function never throws.
 *
 *   clock-in ── break-start ── break-end ── clock-out     one session, one break
 *   clock-in ── clock-in                                  second one ignored: double-clock-in
 *   clock-in ── break-start ── clock-out                  break closed at the clock-out: unclosed-break-at-clock-out
 *   clock-in ──────────────────────────── (end of input)  open-session; closed at `now` if given
 */
import type { AttendanceEvent, AttendanceEventType, AttendanceSource, TimeInterval } from './types.js';

export type WorkSession = {
  start: number;
  end: number;
  /** 'now': still open at the end of the input and closed by the `now` argument */
  closedBy: 'clock-out' | 'now';
  /** inside [start, end], sorted */
  breaks: TimeInterval[];
  inSource: AttendanceSource;
  outSource?: AttendanceSource;
};

/** A session still running at the end of the input and not closed by `now`. */
export type OpenWorkSession = {
  start: number;
  breaks: TimeInterval[];
  openBreakStart?: number;
  inSource: AttendanceSource;
};

export type AttendanceAnomalyKind =
  | 'invalid-event'
  | 'double-clock-in'
  | 'clock-out-without-clock-in'
  | 'break-without-clock-in'
  | 'double-break-start'
  | 'break-end-without-break-start'
  | 'unclosed-break-at-clock-out'
  | 'open-session';

export type AttendanceAnomaly = {
  kind: AttendanceAnomalyKind;
  /** epoch ms of the event concerned (for open-session: the clock-in) */
  at: number;
  event?: AttendanceEvent;
  detail: string;
};

export type AttendanceSessions = {
  sessions: WorkSession[];
  open?: OpenWorkSession;
  anomalies: AttendanceAnomaly[];
};

// Same-instant events are ordered so that back-to-back records pair up the
// natural way (break ends before the clock-out, a clock-out before the next
// clock-in, a clock-in before its break) whatever order they arrived in.
const SAME_INSTANT_ORDER: Record<AttendanceEventType, number> = {
  'break-end': 0,
  'clock-out': 1,
  'clock-in': 2,
  'break-start': 3,
};

const isValid = (e: AttendanceEvent): boolean =>
  Number.isFinite(e.at) && Object.prototype.hasOwnProperty.call(SAME_INSTANT_ORDER, e.type);

function byTime(a: AttendanceEvent, b: AttendanceEvent): number {
  return (
    a.at - b.at ||
    SAME_INSTANT_ORDER[a.type] - SAME_INSTANT_ORDER[b.type] ||
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)
  );
}

export function buildSessions(events: readonly AttendanceEvent[], now?: number): AttendanceSessions {
  const anomalies: AttendanceAnomaly[] = [];
  const sessions: WorkSession[] = [];
  const flag = (kind: AttendanceAnomalyKind, event: AttendanceEvent, detail: string) =>
    anomalies.push({ kind, at: event.at, event, detail });

  let open: OpenWorkSession | undefined;
  const valid: AttendanceEvent[] = [];
  for (const e of events) {
    if (isValid(e)) valid.push(e);
    else flag('invalid-event', e, `ignored an event with time ${String(e.at)} and type '${String(e.type)}'`);
  }

  for (const e of valid.sort(byTime)) {
    switch (e.type) {
      case 'clock-in':
        // Keep the first clock-in: the person was already at work.
        if (open) flag('double-clock-in', e, 'clock-in while already clocked in; kept the earlier one');
        else open = { start: e.at, breaks: [], inSource: e.source };
        break;
      case 'clock-out':
        if (!open) {
          flag('clock-out-without-clock-in', e, 'clock-out while not clocked in; ignored');
          break;
        }
        if (open.openBreakStart !== undefined) {
          flag('unclosed-break-at-clock-out', e, 'break still running at clock-out; closed it there');
          open.breaks.push({ start: open.openBreakStart, end: e.at });
        }
        sessions.push({
          start: open.start,
          end: e.at,
          closedBy: 'clock-out',
          breaks: open.breaks,
          inSource: open.inSource,
          outSource: e.source,
        });
        open = undefined;
        break;
      case 'break-start':
        if (!open) flag('break-without-clock-in', e, 'break-start while not clocked in; ignored');
        else if (open.openBreakStart !== undefined)
          flag('double-break-start', e, 'break-start during a break; kept the earlier one');
        else open.openBreakStart = e.at;
        break;
      case 'break-end':
        if (!open) flag('break-without-clock-in', e, 'break-end while not clocked in; ignored');
        else if (open.openBreakStart === undefined)
          flag('break-end-without-break-start', e, 'break-end without a running break; ignored');
        else {
          open.breaks.push({ start: open.openBreakStart, end: e.at });
          delete open.openBreakStart;
        }
        break;
    }
  }

  if (!open) return { sessions, anomalies };

  // Reported even when `now` closes it: a clock-out is still missing, and a
  // clock-in forgotten days ago would otherwise count silently up to now.
  const closable = now !== undefined && Number.isFinite(now) && now >= open.start;
  anomalies.push({
    kind: 'open-session',
    at: open.start,
    detail: closable ? 'no clock-out yet; counted up to now' : 'no clock-out; not counted',
  });
  if (!closable) return { sessions, open, anomalies };

  const breaks = [...open.breaks];
  if (open.openBreakStart !== undefined && open.openBreakStart < now)
    breaks.push({ start: open.openBreakStart, end: now });
  sessions.push({ start: open.start, end: now, closedBy: 'now', breaks, inSource: open.inSource });
  return { sessions, anomalies };
}
