import { describe, expect, it } from 'vitest';
import { manualEntriesOf, manualForReport, manualTimeTotals, sumManual, type ManualDecision } from './manual-time.js';
import { at, BER, H, MIN, rec, slot } from './test-support/opened-records.js';

const manual = (
  entryId: string,
  start: number,
  end: number,
  o: { employee?: string; project?: string; approval?: 'none' | 'manager' | 'hr' } = {},
) =>
  rec(
    'manual-time',
    {
      entryId,
      start,
      end,
      note: 'away',
      approval: o.approval ?? 'manager',
      ...(o.project ? { project: { projectId: o.project } } : {}),
    },
    { employee: o.employee ?? 'ana' },
  );
const decided = (
  entryId: string,
  decision: 'approved' | 'rejected',
  decidedAt = 1,
  employeeId = 'ana',
): ManualDecision => ({
  entryId,
  employeeId,
  decision,
  decidedBy: 'mgr',
  decidedAt,
});

describe('manual entries with their status', () => {
  const records = [
    manual('a', at('2026-12-01', '14:00'), at('2026-12-01', '15:00')),
    manual('b', at('2026-12-01', '16:00'), at('2026-12-01', '17:00')),
    manual('c', at('2026-12-01', '16:30'), at('2026-12-01', '18:00')),
    slot(at('2026-12-01', '14:55'), 300),
  ];
  it('pending until decided; the latest decision wins; flags overlaps', () => {
    const v = manualEntriesOf(records, [
      decided('b', 'rejected', 1),
      decided('b', 'approved', 2),
      decided('c', 'rejected'),
    ]);
    const by = new Map(v.map((e) => [e.entryId, e]));
    expect(by.get('a')).toMatchObject({ status: 'pending', trackedOverlapSeconds: 150 });
    expect(by.get('b')).toMatchObject({ status: 'approved', decidedAt: 2, overlapsEntry: 'c' });
    expect(by.get('c')).toMatchObject({ status: 'rejected', overlapsEntry: 'b' });
    expect(v[0]!.entryId).toBe('a'); // pending first
  });
  it('an entry made under approval "none" counts as approved at once, whatever the reviewer assumes', () => {
    const none = manual('n', at('2026-12-01', '19:00'), at('2026-12-01', '20:00'), { approval: 'none' });
    expect(manualEntriesOf([none], [], () => 'manager')[0]).toMatchObject({ status: 'approved' });
    expect(manualEntriesOf(records, [], () => 'none')[0]).toMatchObject({ status: 'pending' }); // stated 'manager'
  });
  it('a decision for another person with the same entry id does not count', () => {
    expect(manualEntriesOf(records, [decided('a', 'approved', 1, 'bob')])[0]).toMatchObject({
      entryId: 'a',
      status: 'pending',
    });
  });
});

describe('manualTimeTotals', () => {
  const entry = (entryId: string, start: number, end: number, employeeId = 'ana', project?: string) => ({
    employeeId,
    entryId,
    start,
    end,
    ...(project ? { project: { projectId: project } } : {}),
  });
  const range = { from: '2026-12-01', to: '2026-12-02', timeZoneOf: () => BER };

  it.each([
    [
      'one approved hour',
      [entry('a', at('2026-12-01', '09:00'), at('2026-12-01', '10:00'))],
      [decided('a', 'approved')],
      [{ date: '2026-12-01', approved: H, pending: 0, rejected: 0 }],
    ],
    [
      'across local midnight: split on both days',
      [entry('a', at('2026-12-01', '23:00'), at('2026-12-02', '01:30'))],
      [],
      [
        { date: '2026-12-01', approved: 0, pending: H, rejected: 0 },
        { date: '2026-12-02', approved: 0, pending: 1.5 * H, rejected: 0 },
      ],
    ],
    [
      'outside the range: the part inside only',
      [entry('a', at('2026-12-02', '23:00'), at('2026-12-03', '02:00'))],
      [decided('a', 'rejected')],
      [{ date: '2026-12-02', approved: 0, pending: 0, rejected: H }],
    ],
  ])('%s', (_n, entries, decisions, want) => {
    expect(
      manualTimeTotals(entries, decisions, range).map(({ date, approved, pending, rejected }) => ({
        date,
        approved,
        pending,
        rejected,
      })),
    ).toEqual(want);
  });

  it('across the DST change the local day is 25 h long and counts fully', () => {
    // Berlin, 2026-10-25: clocks go back at 03:00 → the day has 25 hours
    const e = entry('a', at('2026-10-25', '00:00'), at('2026-10-25', '00:00') + 24 * H);
    const rows = manualTimeTotals([e], [], { from: '2026-10-25', to: '2026-10-25', timeZoneOf: () => BER });
    expect(rows).toEqual([
      { personId: 'ana', projectId: null, date: '2026-10-25', approved: 0, pending: 24 * H, rejected: 0 },
    ]);
  });

  it('per person and project, summed by sumManual', () => {
    const rows = manualTimeTotals(
      [
        entry('a', at('2026-12-01', '09:00'), at('2026-12-01', '10:00'), 'ana', 'p1'),
        entry('b', at('2026-12-01', '11:00'), at('2026-12-01', '11:30'), 'ana', 'p2'),
        entry('a', at('2026-12-01', '09:00'), at('2026-12-01', '09:45'), 'bob', 'p1'),
      ],
      [decided('a', 'approved'), decided('a', 'rejected', 1, 'bob')],
      { ...range, approvalOf: (id) => (id === 'bob' ? 'manager' : 'manager') },
    );
    expect(rows.map((r) => [r.personId, r.projectId])).toEqual([
      ['ana', 'p1'],
      ['ana', 'p2'],
      ['bob', 'p1'],
    ]);
    expect(sumManual(rows, (r) => r.projectId === 'p1')).toEqual({ approved: H, pending: 0, rejected: 45 * MIN });
    expect(sumManual(rows, (r) => r.personId === 'ana')).toEqual({ approved: H, pending: 30 * MIN, rejected: 0 });
  });
});

describe('manualForReport', () => {
  const row = (personId: string, date: string, approved: number, pending = 0) => ({
    personId,
    projectId: null,
    date,
    approved,
    pending,
    rejected: 0,
  });
  const rows = [row('ana', '2026-12-01', H), row('bob', '2026-12-01', 0, H), row('eve', '2026-12-02', H)];
  const people = [{ id: 'ana', teamId: 't1' }, { id: 'bob', teamId: 't1' }, { id: 'cy' }];
  it.each([
    ['person', { ana: { approved: H, pending: 0, rejected: 0 }, bob: { approved: 0, pending: H, rejected: 0 } }],
    ['team', { t1: { approved: H, pending: H, rejected: 0 } }],
    ['day', { '2026-12-01': { approved: H, pending: H, rejected: 0 } }],
  ] as const)('by %s, only the people in scope', (groupBy, byRow) => {
    const m = manualForReport(rows, groupBy, people);
    expect(m.byRow).toEqual(byRow);
    expect(m.totals).toEqual({ approved: H, pending: H, rejected: 0 }); // eve is not in scope
  });
});
