import { describe, it, expect } from 'vitest';
import { buildDashboard } from './dashboard.js';
import { BER, H, MIN, at, clock, rec, slot } from './test-support/opened-records.js';

const MON = '2026-06-01';
const now = at(MON, '14:00');
const person = (id: string, name: string, timeZone = BER) => ({ id, name, timeZone });
const people = [
  person('ana', 'Ana'),
  person('ben', 'Ben'),
  person('caro', 'Caro'),
  person('dan', 'Dan'),
  person('eve', 'Eve'),
];

const recordsByPerson = {
  // working since 08:00 (6 h to now); laptop last heard 13:50, desktop 09:00 → silent for 5 h
  ana: [
    clock(at(MON, '08:00'), 'clock-in', { employee: 'ana' }),
    slot(at(MON, '08:00'), 600, { employee: 'ana' }),
    slot(at(MON, '13:50'), 0, { employee: 'ana' }),
    slot(at(MON, '09:00'), 0, { employee: 'ana', device: 'desktop' }),
  ],
  // on a break since 12:00: worked 08:00–12:00 = 4 h; old devices are not "silent" during a break;
  // one tampered record → a critical alert
  ben: [
    clock(at(MON, '08:00'), 'clock-in', { employee: 'ben' }),
    clock(at(MON, '12:00'), 'break-start', { employee: 'ben' }),
    slot(at(MON, '10:00'), 600, { employee: 'ben', integrity: 'bad-signature' }),
  ],
  // clocked out at 11:00 after 4 h; a clock jump at 10:00
  caro: [
    clock(at(MON, '07:00'), 'clock-in', { employee: 'caro' }),
    clock(at(MON, '11:00'), 'clock-out', { employee: 'caro' }),
    rec(
      'integrity-alert',
      { at: at(MON, '10:00'), deviceId: 'laptop', issue: 'clock-jump', detail: '+2 h' },
      { employee: 'caro' },
    ),
  ],
  // never clocks; active 13:40–13:50 (480/600 s = 80 %), within 30 min of now → working by activity
  dan: [slot(at(MON, '13:40'), 480, { employee: 'dan' })],
  // a clock-in after now does not count yet
  eve: [clock(at(MON, '15:00'), 'clock-in', { employee: 'eve' })],
};

describe('buildDashboard', () => {
  const d = buildDashboard({ date: MON, people, recordsByPerson, now });
  const row = (id: string) => d.rows.find((r) => r.employeeId === id)!;

  it.each([
    // ana: laptop 600 + 0 active, desktop 0 active, of 3 × 600 s → 600/1800 = 33 %
    ['ana', 'working', 'attendance', at(MON, '08:00'), 6 * H, 33],
    ['ben', 'on-break', 'attendance', at(MON, '12:00'), 4 * H, null],
    ['caro', 'offline', 'attendance', at(MON, '11:00'), 4 * H, null],
    ['dan', 'working', 'activity', at(MON, '13:50'), 0, 80],
    ['eve', 'offline', 'none', undefined, 0, null],
  ])('%s is %s (from %s)', (id, status, from, since, worked, activity) => {
    expect(row(id)).toMatchObject({ status, statusFrom: from, workedMs: worked, activityPercent: activity });
    expect(row(id).statusSince).toBe(since);
  });

  it('flags a device silent for longer than N minutes while its person works', () => {
    expect(row('ana').devices).toEqual([
      { deviceId: 'desktop', lastSeen: at(MON, '09:00'), silentMs: 5 * H, silent: true },
      { deviceId: 'laptop', lastSeen: at(MON, '13:50'), silentMs: 10 * MIN, silent: false },
    ]);
    expect(row('ana').silentDevices).toEqual(['desktop']);
    expect(row('ana').lastSeen).toBe(at(MON, '13:50'));
    expect(row('ben').silentDevices).toEqual([]);
    // a shorter threshold makes the laptop silent too
    const strict = buildDashboard({ date: MON, people, recordsByPerson, now, silentAfterMinutes: 5 });
    expect(strict.rows[0]!.silentDevices).toEqual(['desktop', 'laptop']);
  });

  it('shows integrity alerts, a failed record never counting as activity', () => {
    expect(row('ben').alerts.map((a) => [a.issue, a.severity])).toEqual([['failed-verification', 'critical']]);
    expect(row('caro').alerts.map((a) => a.text)).toEqual(['The device clock jumped: +2 h']);
  });

  it('flags a session running since before today as stale', () => {
    expect(d.rows.map((r) => r.staleSession)).toEqual([false, false, false, false, false]);
    // clocked in Sunday 09:00, never out: working, but since yesterday
    const r = buildDashboard({
      date: MON,
      people: [person('ana', 'Ana')],
      recordsByPerson: { ana: [clock(at('2026-05-31', '09:00'), 'clock-in', { employee: 'ana' })] },
      now,
    });
    expect(r.rows[0]).toMatchObject({ status: 'working', staleSession: true, workedMs: 14 * H });
  });

  it('totals: statuses, hours, activity from summed seconds', () => {
    // activity: ana 600/1800 + dan 480/600 = 1080/2400 = 45 %; worked 6 + 4 + 4 = 14 h
    expect(d.totals).toEqual({
      people: 5,
      working: 2,
      onBreak: 1,
      offline: 2,
      workedMs: 14 * H,
      activityPercent: 45,
      alerts: 2,
      criticalAlerts: 1,
      silentDevices: 1,
    });
  });

  it('uses each person’s own time zone for "today"', () => {
    // 2026-06-01 in New York runs 04:00Z–04:00Z next day; a clock-in at 13:00 Berlin (11:00Z) is 07:00 there
    const nyc = person('ny', 'Noa', 'America/New_York');
    const r = buildDashboard({
      date: MON,
      people: [nyc],
      recordsByPerson: { ny: [clock(at(MON, '13:00'), 'clock-in', { employee: 'ny' })] },
      now,
    });
    expect(r.rows[0]!.workedMs).toBe(1 * H);
  });
});
