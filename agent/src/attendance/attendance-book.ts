/**
 * Clock in/out and breaks on the device, guarded by the attendance state
 * machine (no double clock-in, no break while clocked out), and correction
 * requests for HR. Each action is one sealed attendance record.
 *
 * The device cannot read its own sealed records back (it holds no recipient
 * key), so it keeps the recent events in local state. To stay in step with
 * the records across a crash, the event is noted as an intent — with the seq
 * and time its record will have — before the record is written; on open an
 * intent whose record exists is applied, any other is dropped.
 */
import { randomBytes } from 'node:crypto';
import {
  buildSessions,
  computeDay,
  localDateOf,
  recordDocId,
  type AttendanceDay,
  type AttendanceEvent,
  type AttendanceEventType,
  type CorrectionRequestPayload,
  type Result,
  type Schedule,
  hourOf,
  routingClassOf,
} from '@sealtime/shared';
import type { Recorder, RecordedRef } from '../recorder/recorder.js';
import type { RecorderErrorCode } from '../recorder/recorder-errors.js';
import type { AgentStore } from '../store/agent-store.js';

export type AttendanceState = 'off' | 'working' | 'on-break';

export type AttendanceErrorCode =
  'already-clocked-in' | 'not-clocked-in' | 'already-on-break' | 'not-on-break' | 'disabled' | RecorderErrorCode;

export interface AttendanceError {
  code: AttendanceErrorCode;
  message: string;
}

export type AttendanceResult<T> = Result<T, AttendanceError>;

export interface CorrectionSummary {
  requestId: string;
  date: string;
  change: CorrectionRequestPayload['change'];
  eventType: AttendanceEventType;
  requestedAt: number;
  seq: number;
}

export interface AttendanceStatus {
  state: AttendanceState;
  /** When the current state began (clock-in or break start); null when off. */
  since: number | null;
  date: string;
  timeZone: string;
  today: AttendanceDay;
  corrections: CorrectionSummary[];
}

export interface AttendanceOptions {
  /** Working schedule for lateness and overtime; default: none, in the local time zone. */
  schedule?: Schedule;
  /** Reads the effective policy's attendance.enabled (default: enabled). */
  enabled?: () => boolean;
}

export type ActionSource = 'manual' | 'agent';

export interface CorrectionInput {
  date: string;
  change: CorrectionRequestPayload['change'];
  eventType: AttendanceEventType;
  at?: number;
  target?: string;
  reason: string;
}

type Intent = { seq: number; createdAt: number } & ({ event: AttendanceEvent } | { correction: CorrectionSummary });

interface SavedState {
  events: AttendanceEvent[];
  corrections: CorrectionSummary[];
  intent: Intent | null;
}

const STATE_ID = 'attendance';
const KEEP_EVENTS = 300;
const KEEP_CORRECTIONS = 100;

const fail = (code: AttendanceErrorCode, message: string): { ok: false; error: AttendanceError } => ({
  ok: false,
  error: { code, message },
});

export class AttendanceBook {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly recorder: Recorder,
    private readonly store: AgentStore,
    private saved: SavedState,
    private readonly schedule: Schedule,
    private readonly enabled: () => boolean,
  ) {}

  static async open(recorder: Recorder, store: AgentStore, options: AttendanceOptions = {}): Promise<AttendanceBook> {
    const raw = await store.getState<Partial<SavedState>>(STATE_ID);
    const saved: SavedState = {
      events: Array.isArray(raw?.events) ? raw.events : [],
      corrections: Array.isArray(raw?.corrections) ? raw.corrections : [],
      intent: raw?.intent ?? null,
    };
    if (saved.intent) {
      const i = saved.intent;
      const doc = await store.records.findOne(recordDocId(recorder.deviceId, i.seq)).exec();
      const kind = 'event' in i ? 'attendance' : 'correction-request';
      // the document shows only class and hour (the kind and time are sealed); with the seq the intent reserved, enough
      if (doc && doc.class === routingClassOf(kind) && doc.hour === hourOf(i.createdAt)) applyIntent(saved, i);
      saved.intent = null;
      await store.putState(STATE_ID, saved);
    }
    const timeZone = options.schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const schedule = options.schedule ?? { timeZone, days: {}, graceMinutes: 0 };
    return new AttendanceBook(recorder, store, saved, schedule, options.enabled ?? (() => true));
  }

  status(now = this.recorder.now()): AttendanceStatus {
    const built = buildSessions(this.saved.events);
    const open = built.open;
    const state: AttendanceState = !open ? 'off' : open.openBreakStart !== undefined ? 'on-break' : 'working';
    const date = localDateOf(now, this.schedule.timeZone);
    return {
      state,
      since: !open ? null : (open.openBreakStart ?? open.start),
      date,
      timeZone: this.schedule.timeZone,
      today: computeDay(this.saved.events, this.schedule, date, now),
      corrections: [...this.saved.corrections],
    };
  }

  clockIn(source: ActionSource = 'manual', note?: string): Promise<AttendanceResult<AttendanceStatus>> {
    return this.act(
      (state) =>
        state === 'off'
          ? ['clock-in']
          : fail('already-clocked-in', state === 'on-break' ? 'already clocked in (on a break)' : 'already clocked in'),
      source,
      note,
    );
  }

  /** Ends a running break first, so the day never holds a break left open. */
  clockOut(source: ActionSource = 'manual', note?: string): Promise<AttendanceResult<AttendanceStatus>> {
    return this.act(
      (state) =>
        state === 'off'
          ? fail('not-clocked-in', 'not clocked in')
          : state === 'on-break'
            ? ['break-end', 'clock-out']
            : ['clock-out'],
      source,
      note,
    );
  }

  startBreak(source: ActionSource = 'manual', note?: string): Promise<AttendanceResult<AttendanceStatus>> {
    return this.act(
      (state) =>
        state === 'working'
          ? ['break-start']
          : state === 'off'
            ? fail('not-clocked-in', 'not clocked in')
            : fail('already-on-break', 'already on a break'),
      source,
      note,
    );
  }

  endBreak(source: ActionSource = 'manual', note?: string): Promise<AttendanceResult<AttendanceStatus>> {
    return this.act(
      (state) => (state === 'on-break' ? ['break-end'] : fail('not-on-break', 'no break is running')),
      source,
      note,
    );
  }

  /** Asks HR to add, remove or move a clock event; the decision comes back through the inbox. */
  requestCorrection(input: CorrectionInput): Promise<AttendanceResult<CorrectionSummary>> {
    return this.serialised(async () => {
      const requestId = `cr-${randomBytes(8).toString('hex')}`;
      let summary: CorrectionSummary | undefined;
      const r = await this.recorder.record(
        'correction-request',
        () => {
          const p: CorrectionRequestPayload = {
            v: 1,
            requestId,
            date: input.date,
            change: input.change,
            eventType: input.eventType,
            reason: input.reason,
          };
          if (input.at !== undefined) p.at = input.at;
          if (input.target !== undefined) p.target = input.target;
          return p;
        },
        {
          beforeWrite: async (ref) => {
            summary = {
              requestId,
              date: input.date,
              change: input.change,
              eventType: input.eventType,
              requestedAt: ref.createdAt,
              seq: ref.seq,
            };
            await this.noteIntent(ref, { correction: summary });
          },
        },
      );
      if (!r.ok) return fail(r.error.code, r.error.message);
      await this.commitIntent();
      return { ok: true, value: summary! };
    });
  }

  // ── internals ────────────────────────────────────────────────────────────

  private act(
    plan: (state: AttendanceState) => AttendanceEventType[] | { ok: false; error: AttendanceError },
    source: ActionSource,
    note?: string,
  ): Promise<AttendanceResult<AttendanceStatus>> {
    return this.serialised(async () => {
      if (!this.enabled()) return fail('disabled', 'attendance is switched off by policy');
      const steps = plan(this.status().state);
      if (!Array.isArray(steps)) return steps;
      for (const type of steps) {
        const r = await this.recorder.record(
          'attendance',
          (at) => (note === undefined ? { v: 1, at, type, source } : { v: 1, at, type, source, note }),
          { beforeWrite: (ref) => this.noteIntent(ref, { event: { at: ref.createdAt, type, source } }) },
        );
        if (!r.ok) {
          this.saved.intent = null;
          return fail(r.error.code, r.error.message);
        }
        await this.commitIntent();
      }
      return { ok: true, value: this.status() };
    });
  }

  private async noteIntent(
    ref: RecordedRef,
    what: { event: AttendanceEvent } | { correction: CorrectionSummary },
  ): Promise<void> {
    this.saved.intent = { seq: ref.seq, createdAt: ref.createdAt, ...what };
    await this.store.putState(STATE_ID, this.saved);
  }

  /** The record is durable: apply the intent. A failure here is repaired on the next open. */
  private async commitIntent(): Promise<void> {
    const intent = this.saved.intent;
    if (!intent) return;
    applyIntent(this.saved, intent);
    this.saved.intent = null;
    await this.store.putState(STATE_ID, this.saved).catch(() => undefined);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function applyIntent(saved: SavedState, intent: Intent): void {
  if ('event' in intent) {
    saved.events.push(intent.event);
    if (saved.events.length > KEEP_EVENTS) {
      // drop old events, but cut only before a clock-in so no session loses its start
      let cut = saved.events.length - Math.floor(KEEP_EVENTS * 0.75);
      while (cut < saved.events.length && saved.events[cut]!.type !== 'clock-in') cut++;
      if (cut < saved.events.length) saved.events = saved.events.slice(cut);
    }
  } else {
    saved.corrections.push(intent.correction);
    if (saved.corrections.length > KEEP_CORRECTIONS) saved.corrections = saved.corrections.slice(-KEEP_CORRECTIONS);
  }
}
