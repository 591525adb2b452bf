import { describe, it, expect } from 'vitest';
import { buildSessions } from './sessions.js';
import type { AttendanceEvent, AttendanceEventType } from './types.js';

const M = 60_000;
const e = (
  minute: number,
  type: AttendanceEventType,
  source: AttendanceEvent['source'] = 'agent',
): AttendanceEvent => ({
  at: minute * M,
  type,
  source,
});
const kinds = (events: AttendanceEvent[], now?: number) => buildSessions(events, now).anomalies.map((a) => a.kind);

describe('buildSessions', () => {
  it('returns nothing for no events', () => {
    expect(buildSessions([])).toEqual({ sessions: [], anomalies: [] });
  });

  it('pairs a clock-in/out with a break', () => {
    const r = buildSessions([
      e(0, 'clock-in', 'kiosk'),
      e(60, 'break-start'),
      e(90, 'break-end'),
      e(480, 'clock-out', 'manual'),
    ]);
    expect(r).toEqual({
      sessions: [
        {
          start: 0,
          end: 480 * M,
          closedBy: 'clock-out',
          breaks: [{ start: 60 * M, end: 90 * M }],
          inSource: 'kiosk',
          outSource: 'manual',
        },
      ],
      anomalies: [],
    });
  });

  it('sorts unsorted input first', () => {
    const sorted = [
      e(0, 'clock-in'),
      e(60, 'break-start'),
      e(90, 'break-end'),
      e(480, 'clock-out'),
      e(500, 'clock-in'),
      e(600, 'clock-out'),
    ];
    const shuffled = [sorted[4]!, sorted[2]!, sorted[5]!, sorted[0]!, sorted[3]!, sorted[1]!];
    expect(buildSessions(shuffled)).toEqual(buildSessions(sorted));
    expect(buildSessions(sorted).sessions).toHaveLength(2);
  });

  it('pairs back-to-back events at the same instant whatever their input order', () => {
    const forward = [e(0, 'clock-in'), e(60, 'clock-out'), e(60, 'clock-in'), e(120, 'clock-out')];
    const backward = [e(120, 'clock-out'), e(60, 'clock-in'), e(60, 'clock-out'), e(0, 'clock-in')];
    expect(buildSessions(backward)).toEqual(buildSessions(forward));
    expect(buildSessions(forward).sessions.map((s) => [s.start / M, s.end / M])).toEqual([
      [0, 60],
      [60, 120],
    ]);
    // A break ending at the clock-out instant is not "unclosed".
    expect(
      kinds([e(0, 'clock-out'), e(0, 'clock-in'), e(10, 'break-start'), e(20, 'clock-out'), e(20, 'break-end')]),
    ).toEqual(['clock-out-without-clock-in']);
  });

  it.each([
    [
      'double clock-in keeps the first',
      [e(0, 'clock-in'), e(30, 'clock-in'), e(60, 'clock-out')],
      ['double-clock-in'],
      [[0, 60]],
    ],
    [
      'clock-out without clock-in is ignored',
      [e(0, 'clock-out'), e(10, 'clock-in'), e(20, 'clock-out'), e(30, 'clock-out')],
      ['clock-out-without-clock-in', 'clock-out-without-clock-in'],
      [[10, 20]],
    ],
    [
      'break outside a session is ignored',
      [e(0, 'break-start'), e(5, 'break-end'), e(10, 'clock-in'), e(20, 'clock-out')],
      ['break-without-clock-in', 'break-without-clock-in'],
      [[10, 20]],
    ],
    [
      'double break-start keeps the first',
      [e(0, 'clock-in'), e(10, 'break-start'), e(15, 'break-start'), e(20, 'break-end'), e(30, 'clock-out')],
      ['double-break-start'],
      [[0, 30]],
    ],
    [
      'break-end without break-start is ignored',
      [e(0, 'clock-in'), e(10, 'break-end'), e(30, 'clock-out')],
      ['break-end-without-break-start'],
      [[0, 30]],
    ],
  ])('%s', (_name, events, expectedKinds, spans) => {
    const r = buildSessions(events);
    expect(r.anomalies.map((a) => a.kind)).toEqual(expectedKinds);
    expect(r.sessions.map((s) => [s.start / M, s.end / M])).toEqual(spans);
  });

  it('closes a running break at clock-out and records it', () => {
    const r = buildSessions([e(0, 'clock-in'), e(100, 'break-start'), e(130, 'clock-out')]);
    expect(r.sessions[0]?.breaks).toEqual([{ start: 100 * M, end: 130 * M }]);
    expect(r.anomalies).toMatchObject([{ kind: 'unclosed-break-at-clock-out', at: 130 * M }]);
  });

  it('reports an open session and does not count it without now', () => {
    const r = buildSessions([e(0, 'clock-in'), e(10, 'break-start')]);
    expect(r.sessions).toEqual([]);
    expect(r.open).toEqual({ start: 0, breaks: [], openBreakStart: 10 * M, inSource: 'agent' });
    expect(r.anomalies).toMatchObject([{ kind: 'open-session', at: 0 }]);
  });

  it('closes an open session and its break at now, still reporting it', () => {
    const r = buildSessions([e(0, 'clock-in'), e(10, 'break-start')], 40 * M);
    expect(r.open).toBeUndefined();
    expect(r.sessions).toEqual([
      { start: 0, end: 40 * M, closedBy: 'now', breaks: [{ start: 10 * M, end: 40 * M }], inSource: 'agent' },
    ]);
    expect(r.anomalies.map((a) => a.kind)).toEqual(['open-session']);
  });

  it('leaves a session open when now is before its clock-in or not finite', () => {
    expect(buildSessions([e(50, 'clock-in')], 10 * M).open?.start).toBe(50 * M);
    expect(buildSessions([e(50, 'clock-in')], Number.NaN).open?.start).toBe(50 * M);
  });

  it('reports invalid events instead of throwing', () => {
    const bad = [
      { at: Number.NaN, type: 'clock-in', source: 'agent' },
      { at: 5 * M, type: 'lunch', source: 'agent' },
    ] as unknown as AttendanceEvent[];
    const r = buildSessions([...bad, e(0, 'clock-in'), e(10, 'clock-out')]);
    expect(r.anomalies.map((a) => a.kind)).toEqual(['invalid-event', 'invalid-event']);
    expect(r.sessions).toHaveLength(1);
  });

  it('does not mutate its input', () => {
    const events = [e(10, 'clock-out'), e(0, 'clock-in')];
    buildSessions(events);
    expect(events.map((x) => x.type)).toEqual(['clock-out', 'clock-in']);
  });
});
