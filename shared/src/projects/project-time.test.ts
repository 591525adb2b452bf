import { describe, expect, it } from 'vitest';
import { at, rec } from '../views/test-support/opened-records.js';
import type { ProjectRef } from './project-ref.js';
import { projectTime, type ProjectTimeCell } from './project-time.js';

const ana = { id: 'ana', name: 'Ana', timeZone: 'Europe/Berlin' };
const A: ProjectRef = { projectId: 'apollo' };
const At: ProjectRef = { projectId: 'apollo', taskId: 'design' };
const B: ProjectRef = { projectId: 'borealis' };

/** A slot of `seconds` from a Berlin wall time, tracking `project` (undefined: nothing tracked). */
const tracked = (
  date: string,
  time: string,
  seconds: number,
  project?: ProjectRef,
  o: { device?: string; integrity?: string; employee?: string } = {},
) =>
  rec(
    'activity-slot',
    {
      start: at(date, time),
      slotSeconds: seconds,
      activeSeconds: Math.min(seconds, 60),
      keyPresses: 1,
      clicks: 0,
      mouseMoves: 0,
      scrolls: 0,
      ...(project ? { project } : {}),
    },
    o,
  );

/** Cells as readable rows: "date project/task minutes". */
const rows = (cells: ProjectTimeCell[]) =>
  cells.map((c) => `${c.date} ${c.projectId ?? '-'}${c.taskId ? `/${c.taskId}` : ''} ${+(c.seconds / 60).toFixed(2)}`);

describe('time per project', () => {
  it.each([
    ['one slot on one project', [tracked('2026-03-02', '09:00', 600, A)], ['2026-03-02 apollo 10']],
    [
      'a task counts apart from its project',
      [tracked('2026-03-02', '09:00', 600, A), tracked('2026-03-02', '09:10', 600, At)],
      ['2026-03-02 apollo 10', '2026-03-02 apollo/design 10'],
    ],
    [
      'untracked time is "no project"',
      [tracked('2026-03-02', '09:00', 600), tracked('2026-03-02', '09:10', 600, B)],
      ['2026-03-02 - 10', '2026-03-02 borealis 10'],
    ],
    [
      'a switch inside a slot: the agent cut it, each part counts for its project',
      [tracked('2026-03-02', '09:00', 240, A), { ...tracked('2026-03-02', '09:04', 360, B) }],
      ['2026-03-02 apollo 4', '2026-03-02 borealis 6'],
    ],
    [
      'several switches inside one slot',
      [
        tracked('2026-03-02', '09:00', 120, A),
        tracked('2026-03-02', '09:02', 180, B),
        tracked('2026-03-02', '09:05', 300, A),
      ],
      ['2026-03-02 apollo 7', '2026-03-02 borealis 3'],
    ],
    [
      'across midnight: each local day gets its part',
      [tracked('2026-03-02', '23:55', 600, A)],
      ['2026-03-02 apollo 5', '2026-03-03 apollo 5'],
    ],
    [
      'spring forward (Berlin 2026-03-29, 02:00 → 03:00): real time counts',
      [tracked('2026-03-29', '01:50', 600, A), tracked('2026-03-29', '03:00', 600, A)],
      ['2026-03-29 apollo 20'],
    ],
    [
      'fall back (Berlin 2026-10-25, 02:00-03:00 twice): both hours count',
      [
        rec('activity-slot', {
          start: at('2026-10-25', '01:00') + 60 * 60_000,
          slotSeconds: 600,
          activeSeconds: 1,
          keyPresses: 0,
          clicks: 0,
          mouseMoves: 0,
          scrolls: 0,
          project: A,
        }),
        rec('activity-slot', {
          start: at('2026-10-25', '01:00') + 120 * 60_000,
          slotSeconds: 600,
          activeSeconds: 1,
          keyPresses: 0,
          clicks: 0,
          mouseMoves: 0,
          scrolls: 0,
          project: B,
        }),
      ],
      ['2026-10-25 apollo 10', '2026-10-25 borealis 10'],
    ],
    [
      'two devices on the same stretch count once, shares scaled to the time covered',
      [tracked('2026-03-02', '09:00', 600, A, { device: 'pc' }), tracked('2026-03-02', '09:00', 600, B)],
      ['2026-03-02 apollo 5', '2026-03-02 borealis 5'],
    ],
    [
      'laptop then desktop in one slot: both parts count',
      [tracked('2026-03-02', '09:00', 300, A), tracked('2026-03-02', '09:05', 300, A, { device: 'pc' })],
      ['2026-03-02 apollo 10'],
    ],
    [
      'a record that failed its checks counts nothing; nor another person’s',
      [
        tracked('2026-03-02', '09:00', 600, A, { integrity: 'bad-signature' }),
        tracked('2026-03-02', '10:00', 600, A, { employee: 'bo' }),
      ],
      [],
    ],
    [
      'a restart inside a slot seals it twice on one device: counted once',
      [tracked('2026-03-02', '09:00', 600, A), tracked('2026-03-02', '09:00', 600, A)],
      ['2026-03-02 apollo 10'],
    ],
    ['outside the range counts nothing', [tracked('2026-11-05', '09:00', 600, A)], []],
  ])('%s', (_name, records, expected) => {
    expect(rows(projectTime(ana, records, '2026-03-01', '2026-10-31'))).toEqual(expected);
  });

  it('uses the person’s own zone for the local day', () => {
    const ny = { ...ana, timeZone: 'America/New_York' };
    // 05:30 Berlin on 3 Mar is 23:30 New York on 2 Mar
    const cells = projectTime(ny, [tracked('2026-03-03', '05:30', 600, A)], '2026-03-02', '2026-03-03');
    expect(rows(cells)).toEqual(['2026-03-02 apollo 10']);
  });

  it('a DST day in the range has 23 or 25 hours of room', () => {
    // a full day of back-to-back slots on the fall-back day: 25 h, all counted
    const start = at('2026-10-25', '00:00');
    const all = Array.from({ length: 150 }, (_, i) =>
      rec('activity-slot', {
        start: start + i * 600_000,
        slotSeconds: 600,
        activeSeconds: 0,
        keyPresses: 0,
        clicks: 0,
        mouseMoves: 0,
        scrolls: 0,
        project: A,
      }),
    );
    expect(rows(projectTime(ana, all, '2026-10-25', '2026-10-25'))).toEqual(['2026-10-25 apollo 1500']);
  });
});
