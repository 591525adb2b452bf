import { describe, it, expect } from 'vitest';
import { buildReport, reportCells, reportOfCells } from './report.js';
import { csvCell, hoursMinutes, toCsv } from './report-csv.js';
import { BER, H, at, clock, slot } from './test-support/opened-records.js';

const NY = 'America/New_York';
const people = [
  { id: 'ana', name: 'Lima, "Ana"', timeZone: BER, teamId: 't1' },
  { id: 'ben', name: '@ben', timeZone: BER, teamId: 't1' },
  { id: 'cy', name: '=1+2', timeZone: NY },
];
const teams = [{ id: 't1', name: 'Platform' }];
const records = [
  // ana: Mon 8 h, Tue 4 h; activity Mon (600 + 300)/1200, Tue 120/600
  clock(at('2026-06-01', '09:00'), 'clock-in', { employee: 'ana' }),
  clock(at('2026-06-01', '17:00'), 'clock-out', { employee: 'ana' }),
  clock(at('2026-06-02', '09:00'), 'clock-in', { employee: 'ana' }),
  clock(at('2026-06-02', '13:00'), 'clock-out', { employee: 'ana' }),
  slot(at('2026-06-01', '09:00'), 600, { employee: 'ana' }),
  slot(at('2026-06-01', '09:10'), 300, { employee: 'ana' }),
  slot(at('2026-06-02', '10:00'), 120, { employee: 'ana' }),
  // ben: Mon 22:00 → Tue 02:00 = 2 h + 2 h; 600/600 Mon; a slot that failed integrity on Tue is not counted
  clock(at('2026-06-01', '22:00'), 'clock-in', { employee: 'ben' }),
  clock(at('2026-06-02', '02:00'), 'clock-out', { employee: 'ben' }),
  slot(at('2026-06-01', '22:00'), 600, { employee: 'ben' }),
  slot(at('2026-06-02', '00:00'), 600, { employee: 'ben', integrity: 'chain-gap' }),
  // cy, New York, no team: Mon 09:00–10:30 local = 1.5 h; 0/600 active
  clock(at('2026-06-01', '09:00', NY), 'clock-in', { employee: 'cy' }),
  clock(at('2026-06-01', '10:30', NY), 'clock-out', { employee: 'cy' }),
  slot(at('2026-06-01', '09:00', NY), 0, { employee: 'cy' }),
];
const build = (groupBy: 'person' | 'team' | 'day') =>
  buildReport({ people, teams, from: '2026-06-01', to: '2026-06-02', records, groupBy });
const brief = (r: ReturnType<typeof build>['rows'][number]) => [
  r.label,
  r.workedMs,
  r.hours,
  r.activityPercent,
  r.daysWorked,
  r.people,
];

describe('buildReport', () => {
  it('groups by person', () => {
    // ana 1020/1800 = 56.7 → 57 %
    expect(build('person').rows.map(brief)).toEqual([
      ['Lima, "Ana"', 12 * H, 12, 57, 2, 1],
      ['@ben', 4 * H, 4, 100, 2, 1],
      ['=1+2', 1.5 * H, 1.5, 0, 1, 1],
    ]);
  });

  it('groups by team, people without one last', () => {
    // Platform: 16 h, (1020 + 600)/(1800 + 600) = 67.5 → 68 %
    expect(build('team').rows.map(brief)).toEqual([
      ['Platform', 16 * H, 16, 68, 4, 2],
      ['No team', 1.5 * H, 1.5, 0, 1, 1],
    ]);
  });

  it('groups by day, each person split at their own midnight', () => {
    // Mon: 8 + 2 + 1.5 = 11.5 h, (900 + 600 + 0)/(1200 + 600 + 600) = 62.5 → 63 %; Tue: 4 + 2 = 6 h, 120/600 = 20 %
    expect(build('day').rows.map(brief)).toEqual([
      ['2026-06-01', 11.5 * H, 11.5, 63, 3, 3],
      ['2026-06-02', 6 * H, 6, 20, 2, 2],
    ]);
  });

  it('totals and series', () => {
    const r = build('person');
    // 17.5 h; (1020 + 600 + 0)/(1800 + 600 + 600) = 54 %
    expect(brief(r.totals)).toEqual(['Total', 17.5 * H, 17.5, 54, 5, 3]);
    expect(r.series).toEqual([
      { key: 'ana', label: 'Lima, "Ana"', hours: 12, activityPercent: 57 },
      { key: 'ben', label: '@ben', hours: 4, activityPercent: 100 },
      { key: 'cy', label: '=1+2', hours: 1.5, activityPercent: 0 },
    ]);
    expect(r.byDay.map((p) => [p.key, p.hours])).toEqual([
      ['2026-06-01', 11.5],
      ['2026-06-02', 6],
    ]);
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 CSV with formula cells defused', () => {
    expect(toCsv(build('person'))).toBe(
      [
        'Person,Hours,Worked (h:mm),Activity %,Days worked,People',
        '"Lima, ""Ana""",12.00,12:00,57,2,1',
        "'@ben,4.00,4:00,100,2,1",
        "'=1+2,1.50,1:30,0,1,1",
        'Total,17.50,17:30,54,5,3',
        '',
      ].join('\r\n'),
    );
  });

  it.each([
    ['plain', 'plain'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['+a,b', `"'+a,b"`],
    ['line\nbreak', '"line\nbreak"'],
    ['say "hi"', '"say ""hi"""'],
    [null, ''],
    [-5, '-5'],
  ])('cell %j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('formats h:mm', () => {
    expect([hoursMinutes(0), hoursMinutes(8 * H + 5 * 60_000), hoursMinutes(25 * H)]).toEqual([
      '0:00',
      '8:05',
      '25:00',
    ]);
  });
});

describe('reportCells / reportOfCells (cells kept per person-day and added up later)', () => {
  it('adds up to buildReport, cells worked out a day at a time included (a session across midnight too)', () => {
    for (const groupBy of ['person', 'team', 'day'] as const) {
      const whole = build(groupBy);
      const cells = people.flatMap((p) =>
        ['2026-06-01', '2026-06-02'].flatMap((d) =>
          reportCells(
            p,
            records.filter((r) => r.employeeId === p.id),
            d,
            d,
          ),
        ),
      );
      expect(reportOfCells({ people, teams, from: '2026-06-01', to: '2026-06-02', cells, groupBy })).toEqual(whole);
    }
  });
});
