// Attendance on a real store with a scripted clock: the state machine's
// guards, today's figures, records HR can read, correction requests, and
// local state that stays in step with the records across a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { EnvelopeOpener, decodePayload, type AttendancePayload, type CorrectionRequestPayload } from '@sealtime/shared';
import { Recorder } from '../recorder/recorder.js';
import { directoryOf, makeKeys, storedEnvelopes, tempDir, type Keys } from '../recorder/recorder.fixture.js';
import type { TimeSources } from '../recorder/monotonic-clock.js';
import { openAgentStore, type AgentStore } from '../store/agent-store.js';
import { AttendanceBook } from './attendance-book.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const T0 = Date.parse('2026-11-24T08:00:00Z'); // a Tuesday
const schedule = { timeZone: 'UTC', days: { 2: { start: '08:30', end: '16:30' } }, graceMinutes: 5 } as const;

async function setup(opts: { enabled?: () => boolean } = {}) {
  const t = tempDir('st-attendance-');
  cleanups.push(t.cleanup);
  const store = await openAgentStore(t.dir);
  cleanups.push(() => store.close());
  const keys = await makeKeys();
  const clock = { ms: T0 };
  const time: TimeSources = { wallMs: () => clock.ms, monoMs: () => clock.ms - T0 };
  const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys), time });
  cleanups.push(() => recorder.close());
  const book = await AttendanceBook.open(recorder, store, { schedule, ...opts });
  const advance = (minutes: number) => (clock.ms += minutes * 60_000);
  return { store, keys, recorder, book, advance, time };
}

async function hrView(store: AgentStore, keys: Keys) {
  const opener = new EnvelopeOpener([keys.roles.hr]);
  const out: Array<AttendancePayload | CorrectionRequestPayload> = [];
  for (const e of (await storedEnvelopes(store, keys.device.deviceId)).envelopes) {
    const o = opener.open(e, keys.device.signPublicKey);
    if (!o.ok) continue;
    const kind = o.value.envelope.kind as 'attendance' | 'correction-request';
    const p = decodePayload(kind, o.value.payload);
    if (p.ok) out.push(p.value);
  }
  return out;
}

describe('AttendanceBook', () => {
  it('guards every transition and computes today from the events', async () => {
    const { store, keys, book, advance } = await setup();
    expect(book.status().state).toBe('off');
    expect(await book.clockOut()).toMatchObject({ ok: false, error: { code: 'not-clocked-in' } });
    expect(await book.startBreak()).toMatchObject({ ok: false, error: { code: 'not-clocked-in' } });
    expect(await book.endBreak()).toMatchObject({ ok: false, error: { code: 'not-on-break' } });

    advance(45); // 08:45: late by 15 min (grace 5)
    const inn = await book.clockIn('agent');
    expect(inn).toMatchObject({ ok: true, value: { state: 'working', since: T0 + 45 * 60_000 } });
    expect(await book.clockIn()).toMatchObject({ ok: false, error: { code: 'already-clocked-in' } });
    advance(120);
    expect((await book.startBreak()).ok).toBe(true);
    expect(await book.startBreak()).toMatchObject({ ok: false, error: { code: 'already-on-break' } });
    expect(await book.clockIn()).toMatchObject({ ok: false, error: { code: 'already-clocked-in' } });
    advance(30);
    expect(await book.endBreak()).toMatchObject({ ok: true, value: { state: 'working' } });
    advance(60);
    const st = book.status();
    expect(st.today).toMatchObject({
      date: '2026-11-24',
      workedMs: 180 * 60_000,
      breakMs: 30 * 60_000,
      lateMs: 15 * 60_000,
    });
    expect((await book.clockOut()).ok).toBe(true);
    advance(60);
    expect(book.status()).toMatchObject({ state: 'off', since: null, today: { workedMs: 180 * 60_000 } });

    const hr = (await hrView(store, keys)) as AttendancePayload[];
    expect(hr.map((p) => [p.type, p.source, p.at - T0])).toEqual([
      ['clock-in', 'agent', 45 * 60_000],
      ['break-start', 'manual', 165 * 60_000],
      ['break-end', 'manual', 195 * 60_000],
      ['clock-out', 'manual', 255 * 60_000],
    ]);
  });

  it('closes a running break before clocking out', async () => {
    const { store, keys, book, advance } = await setup();
    await book.clockIn();
    advance(10);
    await book.startBreak();
    advance(5);
    expect(await book.clockOut()).toMatchObject({ ok: true, value: { state: 'off' } });
    expect(((await hrView(store, keys)) as AttendancePayload[]).map((p) => p.type)).toEqual([
      'clock-in',
      'break-start',
      'break-end',
      'clock-out',
    ]);
    expect(book.status().today.anomalies).toEqual([]);
  });

  it('stays in step with its records across a crash between record and local state', async () => {
    const { store, recorder, book } = await setup();
    await book.clockIn();
    // as if the process died after the record was durable but before local state caught up
    const saved = (await store.getState<{ events: unknown[]; corrections: unknown[]; intent: unknown }>('attendance'))!;
    const last = saved.events.pop() as { at: number };
    await store.putState('attendance', {
      ...saved,
      intent: { seq: recorder.head.nextSeq - 1, createdAt: last.at, event: last },
    });
    const reopened = await AttendanceBook.open(recorder, store, { schedule });
    expect(reopened.status().state).toBe('working');
    // an intent whose record never reached the disk is dropped
    await store.putState('attendance', {
      events: [],
      corrections: [],
      intent: { seq: recorder.head.nextSeq, createdAt: 1, event: { at: 1, type: 'clock-in', source: 'manual' } },
    });
    const dropped = await AttendanceBook.open(recorder, store, { schedule });
    expect(dropped.status().state).toBe('off');
    expect((await store.getState<{ intent: unknown }>('attendance'))!.intent).toBeNull();
  });

  it('records correction requests for HR and rejects malformed ones without writing', async () => {
    const { store, keys, book, recorder } = await setup();
    const r = await book.requestCorrection({
      date: '2026-11-23',
      change: 'add',
      eventType: 'clock-out',
      at: T0 - 15 * 3_600_000,
      reason: 'forgot to clock out',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.requestId).toMatch(/^cr-[0-9a-f]{16}$/);
    const before = recorder.head.nextSeq;
    expect(
      await book.requestCorrection({
        date: '2026-11-23',
        change: 'move',
        eventType: 'clock-in',
        at: T0,
        reason: 'no target',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    expect(
      await book.requestCorrection({ date: 'yesterday', change: 'add', eventType: 'clock-in', at: T0, reason: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    expect(recorder.head.nextSeq).toBe(before);
    expect(book.status().corrections).toMatchObject([
      { requestId: r.value.requestId, date: '2026-11-23', change: 'add' },
    ]);
    expect(await hrView(store, keys)).toMatchObject([
      { requestId: r.value.requestId, change: 'add', eventType: 'clock-out', reason: 'forgot to clock out' },
    ]);
  });

  it('refuses when the policy switched attendance off', async () => {
    const { book } = await setup({ enabled: () => false });
    expect(await book.clockIn()).toMatchObject({ ok: false, error: { code: 'disabled' } });
  });
});
