import { describe, expect, it } from 'vitest';
import type { ReportSeriesPoint } from '@sealtime/shared/views';
import type { ProductivityPersonRow } from '../../api/contracts/productivity-contract.js';
import { MAX_CHART_BARS, productivityChart, timesheetChart } from './chart-points.js';

const point = (key: string, hours = 1): ReportSeriesPoint => ({ key, label: key, hours, activityPercent: 50 });
const people = (n: number) => Array.from({ length: n }, (_, i) => point(`p${i}`));
const days = (n: number) => Array.from({ length: n }, (_, i) => point(`2026-11-${String(i + 1).padStart(2, '0')}`));

describe('timesheetChart', () => {
  it.each([
    // [what, groupBy, series, byDay, drawn by, points]
    ['a screenful of people: a bar per person', 'person', people(MAX_CHART_BARS), days(30), 'rows', MAX_CHART_BARS],
    ['one more person than fits: the days', 'person', people(MAX_CHART_BARS + 1), days(30), 'day', 30],
    ['a hundred people over a month: the days', 'person', people(100), days(30), 'day', 30],
    ['a hundred people on one day: a bar per person', 'person', people(100), days(1), 'rows', 100],
    ['grouped by day over a quarter: the rows are the days', 'day', days(31).concat(days(30)), days(61), 'rows', 61],
    ['teams: a bar per team', 'team', people(4), days(30), 'rows', 4],
  ] as const)('%s', (_what, groupBy, series, byDay, by, n) => {
    const chart = timesheetChart({ groupBy, series: [...series], byDay: [...byDay] });
    expect(chart.by).toBe(by);
    expect(chart.points).toHaveLength(n);
    // the report's own points, not copies
    expect(chart.points[0]).toBe(by === 'day' ? byDay[0] : series[0]);
  });
});

const H = 3_600_000;
function personRow(id: string, perDay: Array<[string, number, number]>): ProductivityPersonRow {
  const t = (productive: number, unproductive: number) => ({ productive, neutral: 0, unproductive, unclassified: 0 });
  const totals = perDay.reduce(
    (a, [, p, u]) => ({ ...a, productive: a.productive + p, unproductive: a.unproductive + u }),
    t(0, 0),
  );
  return {
    employeeId: id,
    name: `Name ${id}`,
    teamId: null,
    totals,
    productivePercent: null,
    days: perDay.map(([date, p, u]) => ({ date, totals: t(p, u), productivePercent: null })),
  };
}

describe('productivityChart', () => {
  it('draws a stack per person up to the limit', () => {
    const rows = Array.from({ length: MAX_CHART_BARS }, (_, i) => personRow(`p${i}`, [['2026-11-02', H, 0]]));
    const chart = productivityChart({ rows });
    expect(chart.by).toBe('person');
    expect(chart.points.map((p) => p.name)).toEqual(rows.map((r) => r.name));
    expect(chart.points[0]!.totals).toEqual(rows[0]!.totals);
  });

  it('past the limit, a stack per day with everyone added up class by class', () => {
    const rows = Array.from({ length: MAX_CHART_BARS + 1 }, (_, i) =>
      personRow(`p${i}`, [
        ['2026-11-02', H, i],
        ['2026-11-03', 0, 2 * H],
      ]),
    );
    const chart = productivityChart({ rows });
    expect(chart.by).toBe('day');
    const n = MAX_CHART_BARS + 1;
    expect(chart.points).toEqual([
      {
        key: '2026-11-02',
        name: '2026-11-02',
        totals: { productive: n * H, neutral: 0, unproductive: (n * (n - 1)) / 2, unclassified: 0 },
      },
      {
        key: '2026-11-03',
        name: '2026-11-03',
        totals: { productive: 0, neutral: 0, unproductive: n * 2 * H, unclassified: 0 },
      },
    ]);
    // the rows themselves are not changed by the sums
    expect(rows[0]!.days[0]!.totals.productive).toBe(H);
  });

  it('a one-day range keeps a stack per person, however many people (the dashboard)', () => {
    const rows = Array.from({ length: 100 }, (_, i) => personRow(`p${i}`, [['2026-11-02', H, 0]]));
    expect(productivityChart({ rows }).by).toBe('person');
    expect(productivityChart({ rows }).points).toHaveLength(100);
  });

  it('no people: nothing to draw', () => {
    expect(productivityChart({ rows: [] })).toEqual({ by: 'person', points: [] });
  });
});
