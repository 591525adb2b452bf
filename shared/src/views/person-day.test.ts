import { describe, it, expect } from 'vitest';
import { buildPersonDay } from './person-day.js';
import { BER, H, MIN, app, at, clock, rec, shot, slot } from './test-support/opened-records.js';
import type { OpenedRecord } from './opened-record.js';

const ana = { id: 'ana', name: 'Ana Lima', timeZone: BER };
const MON = '2026-06-01';
const day = (records: OpenedRecord[], date = MON, now = at(MON, '14:00')) =>
  buildPersonDay({ employee: ana, date, timeZone: BER, records, now });
const slotAt = (d: ReturnType<typeof day>, time: string, nth = 0) => d.slots.filter((s) => s.label === time)[nth]!;

describe('buildPersonDay: the grid', () => {
  it.each([
    // 24 h × 6 = 144 slots; spring forward loses 02:00–02:59 (23 h, 138); fall back repeats it (25 h, 150)
    ['2026-06-01', 24, 144, '23:50'],
    ['2026-03-29', 23, 138, '23:50'],
    ['2026-10-25', 25, 150, '23:50'],
  ])('%s in Berlin has %i hours, %i slots, the last at %s', (date, hours, count, last) => {
    const d = day([], date, at('2026-12-01', '12:00'));
    expect(d.hours).toBe(hours);
    expect(d.slots).toHaveLength(count);
    expect(d.slots.at(-1)!.label).toBe(last);
    expect(d.slots.every((s) => s.end - s.start === 10 * MIN)).toBe(true);
  });

  it('labels the spring-forward gap away and the fall-back hour twice', () => {
    const spring = day([], '2026-03-29', at('2026-12-01', '12:00'));
    // slot 11 = 01:50, slot 12 = the next instant 10 minutes later = 03:00 CEST
    expect(spring.slots.slice(11, 13).map((s) => s.label)).toEqual(['01:50', '03:00']);
    const fall = day([], '2026-10-25', at('2026-12-01', '12:00'));
    // 02:00 CEST is slot 12; after 02:50 CEST (slot 17) the clock shows 02:00 CET again (slot 18)
    expect(fall.slots.filter((s) => s.label === '02:00').map((s) => s.index)).toEqual([12, 18]);
  });

  it('puts activity of the repeated hour into the second 02:30 on the fall-back day', () => {
    // 02:30 CET = 01:30Z; the day starts 2026-10-24 22:00Z, so 3.5 h = 21 slots in
    const start = Date.UTC(2026, 9, 25, 1, 30);
    const d = day([slot(start, 300)], '2026-10-25', at('2026-12-01', '12:00'));
    const lit = d.slots.filter((s) => s.activity.percent !== null);
    expect(lit.map((s) => [s.index, s.label, s.activity.percent])).toEqual([[21, '02:30', 50]]);
  });

  it('gives next date only once it has begun, and always the previous one', () => {
    expect(day([]).nextDate).toBeNull();
    expect(day([]).prevDate).toBe('2026-05-31');
    expect(day([], '2026-05-31').nextDate).toBe(MON);
  });
});

describe('buildPersonDay: activity', () => {
  it('merges two devices in one slot by adding active seconds, capped at the slot', () => {
    const d = day([
      // 09:00: laptop 300 s + desktop 240 s of 600 → 540/600 = 90 %
      slot(at(MON, '09:00'), 300, { device: 'laptop' }),
      slot(at(MON, '09:00'), 240, { device: 'desktop' }),
      // 09:10: 400 + 500 = 900 s, capped at 600 → 100 %
      slot(at(MON, '09:10'), 400, { device: 'laptop' }),
      slot(at(MON, '09:10'), 500, { device: 'desktop' }),
    ]);
    expect(slotAt(d, '09:00').activity).toEqual({
      activeSeconds: 540,
      trackedSeconds: 600,
      percent: 90,
      deviceIds: ['desktop', 'laptop'],
    });
    expect(slotAt(d, '09:10').activity.percent).toBe(100);
    expect(slotAt(d, '09:00').level).toBe('high');
    // day: (540 + 600) / 1200 = 95 %
    expect(d.activity).toEqual({ activeSeconds: 1140, trackedSeconds: 1200, percent: 95 });
    expect(slotAt(d, '09:20').level).toBe('none');
  });

  it('spreads a record that straddles two grid slots in proportion', () => {
    // 09:55 + 600 s, 120 s active: 09:50 gets 300 s tracked / 60 s active, 10:00 the same → 20 % each
    const d = day([slot(at(MON, '09:55'), 120)]);
    expect(slotAt(d, '09:50').activity).toMatchObject({ trackedSeconds: 300, activeSeconds: 60, percent: 20 });
    expect(slotAt(d, '10:00').activity).toMatchObject({ trackedSeconds: 300, activeSeconds: 60, percent: 20 });
    expect(slotAt(d, '09:50').level).toBe('low');
  });

  it('never counts a record that failed integrity, and raises an alert for it', () => {
    const d = day([slot(at(MON, '10:00'), 600, { integrity: 'bad-signature' }), slot(at(MON, '10:10'), 330)]);
    expect(slotAt(d, '10:00').activity.percent).toBeNull();
    // only 10:10 counts: 330/600 = 55 %
    expect(d.activity).toEqual({ activeSeconds: 330, trackedSeconds: 600, percent: 55 });
    expect(d.alerts).toMatchObject([{ issue: 'failed-verification', severity: 'critical', at: at(MON, '10:00') }]);
    expect(d.alerts[0]!.text).toContain('bad-signature');
  });

  it("ignores other people's records", () => {
    const d = day([slot(at(MON, '09:00'), 600, { employee: 'ben' })]);
    expect(d.activity.percent).toBeNull();
  });
});

describe('buildPersonDay: apps, idle, screenshots', () => {
  it('splits app time over slots and totals it by app and title', () => {
    const d = day([
      app(at(MON, '09:05'), 10, 'Code', 'main.ts'), // 5 min in 09:00, 5 min in 09:10
      app(at(MON, '09:15'), 2, 'Firefox', 'Docs'),
      app(at(MON, '09:30'), 3, 'Code', 'README.md'),
    ]);
    expect(slotAt(d, '09:00').apps).toEqual([{ app: 'Code', ms: 5 * MIN }]);
    expect(slotAt(d, '09:10').apps).toEqual([
      { app: 'Code', ms: 5 * MIN },
      { app: 'Firefox', ms: 2 * MIN },
    ]);
    expect(slotAt(d, '09:10').titles).toEqual([
      { app: 'Code', title: 'main.ts', ms: 5 * MIN },
      { app: 'Firefox', title: 'Docs', ms: 2 * MIN },
    ]);
    expect(d.apps).toEqual([
      {
        app: 'Code',
        ms: 13 * MIN,
        titles: [
          { title: 'main.ts', ms: 10 * MIN },
          { title: 'README.md', ms: 3 * MIN },
        ],
      },
      { app: 'Firefox', ms: 2 * MIN, titles: [{ title: 'Docs', ms: 2 * MIN }] },
    ]);
  });

  it('cuts app time at midnight: 23:50–00:20 gives 10 min to Monday, 20 to Tuesday', () => {
    const records = [app(at(MON, '23:50'), 30, 'Terminal')];
    const late = at('2026-06-03', '12:00');
    expect(day(records, MON, late).apps).toEqual([
      { app: 'Terminal', ms: 10 * MIN, titles: [{ title: '', ms: 10 * MIN }] },
    ]);
    expect(day(records, '2026-06-02', late).apps[0]!.ms).toBe(20 * MIN);
  });

  it('lists idle periods with their decision and marks the slots', () => {
    const d = day([
      rec('idle-period', { start: at(MON, '10:00'), end: at(MON, '10:25'), cause: 'no-input', decision: 'discarded' }),
    ]);
    expect(d.idle).toMatchObject([
      { startLabel: '10:00', endLabel: '10:25', ms: 25 * MIN, decision: 'discarded', cause: 'no-input' },
    ]);
    expect([slotAt(d, '10:00').idleMs, slotAt(d, '10:20').idleMs, slotAt(d, '10:30').idleMs]).toEqual([
      10 * MIN,
      5 * MIN,
      0,
    ]);
  });

  it('puts screenshots into their slot, keeping only inline image data as thumbnails', () => {
    const d = day([
      shot(at(MON, '09:03'), { blurred: true, thumb: 'data:image/webp;base64,AAAA', app: 'Slack' }),
      shot(at(MON, '09:07'), { thumb: 'javascript:alert(1)', screen: 1 }),
      shot(at(MON, '09:08'), { thumb: 'UklGRg==' }), // what agents store: base64 WebP
    ]);
    expect(slotAt(d, '09:00').screenshots.map((s) => [s.label, s.blurred, s.thumb, s.app])).toEqual([
      ['09:03', true, 'data:image/webp;base64,AAAA', 'Slack'],
      ['09:07', false, undefined, undefined],
      ['09:08', false, 'data:image/webp;base64,UklGRg==', undefined],
    ]);
    expect(d.screenshots).toHaveLength(3);
  });
});

describe('buildPersonDay: attendance and alerts', () => {
  it('counts worked time with a break and an open session closed by now', () => {
    // in 08:00, break 12:00–12:30, still in at now = 14:00 → 4 h + 1.5 h = 5.5 h worked, 0.5 h break
    const d = day([
      clock(at(MON, '08:00'), 'clock-in'),
      clock(at(MON, '12:00'), 'break-start'),
      clock(at(MON, '12:30'), 'break-end'),
    ]);
    expect(d.attendance).toMatchObject({ workedMs: 5.5 * H, breakMs: 0.5 * H, firstIn: at(MON, '08:00') });
    expect(d.attendance.lastOut).toBeUndefined();
    expect(d.attendance.events.map((e) => [e.label, e.type])).toEqual([
      ['08:00', 'clock-in'],
      ['12:00', 'break-start'],
      ['12:30', 'break-end'],
    ]);
    expect([
      slotAt(d, '11:50').workedMs,
      slotAt(d, '12:00').workedMs,
      slotAt(d, '13:50').workedMs,
      slotAt(d, '14:00').workedMs,
    ]).toEqual([10 * MIN, 0, 10 * MIN, 0]);
  });

  it('splits a shift across midnight: 22:00–02:00 is 2 h on each date', () => {
    const records = [clock(at(MON, '22:00'), 'clock-in'), clock(at('2026-06-02', '02:00'), 'clock-out')];
    const now = at('2026-06-03', '12:00');
    const mon = day(records, MON, now);
    const tue = day(records, '2026-06-02', now);
    expect([mon.attendance.workedMs, tue.attendance.workedMs]).toEqual([2 * H, 2 * H]);
    expect(mon.attendance.events.map((e) => e.type)).toEqual(['clock-in']);
    expect(tue.attendance).toMatchObject({ lastOut: at('2026-06-02', '02:00') });
    expect(tue.attendance.firstIn).toBeUndefined();
  });

  it('ignores a tampered clock-out: the session stays open until now', () => {
    // the clock-out at 10:00 failed verification, so 08:00 → now 14:00 = 6 h
    const d = day([
      clock(at(MON, '08:00'), 'clock-in'),
      clock(at(MON, '10:00'), 'clock-out', { integrity: 'altered' }),
    ]);
    expect(d.attendance.workedMs).toBe(6 * H);
    expect(d.alerts.map((a) => a.issue)).toEqual(['failed-verification']);
  });

  it('shows integrity-alert records and suspensions of the day', () => {
    const d = day([
      rec('integrity-alert', {
        at: at(MON, '11:00'),
        deviceId: 'laptop',
        issue: 'missing',
        fromSeq: 5,
        toSeq: 9,
        detail: 'seq 5 to 9 never arrived',
      }),
      rec('integrity-alert', {
        at: at(MON, '11:30'),
        deviceId: 'laptop',
        issue: 'jiggler' as 'missing',
        detail: 'perfectly periodic mouse moves',
      }),
      rec('idle-period', { start: at(MON, '12:00'), end: at(MON, '12:40'), cause: 'suspended', decision: 'pending' }),
      rec('integrity-alert', {
        at: at('2026-05-31', '11:00'),
        deviceId: 'laptop',
        issue: 'clock-jump',
        detail: 'yesterday',
      }),
    ]);
    expect(d.alerts.map((a) => [a.issue, a.severity, a.text])).toEqual([
      ['missing', 'critical', 'Records missing from the device chain (seq 5–9): seq 5 to 9 never arrived'],
      ['jiggler', 'warning', 'Mouse jiggler suspected: perfectly periodic mouse moves'],
      ['suspended', 'info', 'Device suspended for 40 min'],
    ]);
  });
});

describe('buildPersonDay: projects per slot', () => {
  it('names the project and task tracked in each slot, split where the agent cut the slot', () => {
    const tracked = (time: string, seconds: number, project?: { projectId: string; taskId?: string }) =>
      rec('activity-slot', {
        start: at(MON, time),
        slotSeconds: seconds,
        activeSeconds: 1,
        keyPresses: 0,
        clicks: 0,
        mouseMoves: 0,
        scrolls: 0,
        ...(project ? { project } : {}),
      });
    const d = buildPersonDay({
      employee: ana,
      date: MON,
      timeZone: BER,
      now: at(MON, '14:00'),
      records: [
        tracked('09:00', 240, { projectId: 'apollo', taskId: 'design' }),
        tracked('09:04', 360, { projectId: 'gone' }),
        tracked('09:10', 600),
      ],
      projects: [{ id: 'apollo', name: 'Apollo', colour: '#3366cc', tasks: [{ id: 'design', name: 'Design' }] }],
    });
    expect(slotAt(d, '09:00').projects).toEqual([
      { projectId: 'gone', taskId: null, label: 'gone', colour: null, ms: 6 * MIN },
      { projectId: 'apollo', taskId: 'design', label: 'Apollo — Design', colour: '#3366cc', ms: 4 * MIN },
    ]);
    expect(slotAt(d, '09:10').projects).toEqual([]); // tracked, but on no project
  });
});
