// OpenedIndex.days(): a day view reads only the sealed days it needs and
// shows exactly what opening the whole employee shows for those days —
// records about a day but sealed after its midnight, and rows showing no
// clear hour, included.
import { describe, expect, it } from 'vitest';
import { localDateOf, zonedTimeToEpoch, type OpenedRecord } from '@sealtime/shared';
import { eventTime, OpenedIndex } from './opened-index.js';
import type { OpenOutcome } from './record-opening.js';
import type { ReplicaDoc } from './replica-store.js';

const TZ = 'Europe/Berlin';
const HOUR = 3_600_000;
const at = (date: string, time: string) => zonedTimeToEpoch(date, time, TZ);

/** A row whose "envelope" is the opened record as JSON: opening is not what this tests. */
function row(r: OpenedRecord, clearHour = true): ReplicaDoc {
  return {
    id: r.id,
    source: 'st-org-records',
    employeeId: r.employeeId,
    deviceId: r.deviceId,
    seq: r.seq,
    envelope: JSON.stringify(r),
    hint: {},
    hour: clearHour ? Math.floor(r.createdAt / HOUR) * HOUR : 0,
  };
}
const fakeOpen = (docs: readonly ReplicaDoc[]): OpenOutcome => ({
  records: docs.map((d) => JSON.parse(d.envelope) as OpenedRecord),
  cannotOpen: 0,
  problems: [],
});

let seq = 0;
const base = (createdAt: number) => ({
  id: `d1:${String(++seq).padStart(12, '0')}`,
  deviceId: 'd1',
  employeeId: 'ada',
  seq,
  createdAt,
  integrity: 'ok' as const,
});
const clockIn = (t: number): OpenedRecord =>
  ({ ...base(t), kind: 'attendance', payload: { type: 'clock-in', at: t, source: 'user' } }) as unknown as OpenedRecord;
const slot = (start: number, end: number): OpenedRecord =>
  ({
    ...base(end),
    kind: 'activity-slot',
    payload: { start, end, activeSeconds: 300, keys: 10, clicks: 5, mouseMoves: 20 },
  }) as unknown as OpenedRecord;
const idle = (start: number, end: number): OpenedRecord =>
  ({ ...base(end), kind: 'idle-period', payload: { start, end, cause: 'no-input' } }) as unknown as OpenedRecord;

function month(): ReplicaDoc[] {
  seq = 0;
  const rows: ReplicaDoc[] = [];
  for (const d of [
    '2026-11-02',
    '2026-11-03',
    '2026-11-04',
    '2026-11-05',
    '2026-11-06',
    '2026-11-09',
    '2026-11-10',
    '2026-11-11',
    '2026-11-12',
    '2026-11-13',
  ]) {
    rows.push(
      row(clockIn(at(d, '09:00'))),
      row(slot(at(d, '09:00'), at(d, '09:10'))),
      row(slot(at(d, '16:50'), at(d, '17:00'))),
    );
  }
  // about the 10th, sealed after its midnight: a slot ending at 00:00 and an idle period reported the next morning
  rows.push(row(slot(at('2026-11-10', '23:50'), at('2026-11-11', '00:00'))));
  rows.push(row(idle(at('2026-11-10', '22:00'), at('2026-11-11', '07:00'))));
  // a row showing no clear hour (an old agent): read with every bucket, shown once
  rows.push(row(clockIn(at('2026-11-10', '12:00')), false));
  return rows;
}

function indexOver(rows: ReplicaDoc[], maxBuckets?: number) {
  const calls = { whole: 0, hours: [] as Array<[number, number]> };
  const index = new OpenedIndex(
    async (e) => {
      calls.whole++;
      return rows.filter((r) => r.employeeId === e);
    },
    fakeOpen,
    TZ,
    async (e, from, to) => {
      calls.hours.push([from, to]);
      return rows.filter((r) => r.employeeId === e && ((r.hour >= from && r.hour < to) || r.hour === 0));
    },
    maxBuckets,
  );
  return { index, calls };
}

describe('OpenedIndex.days', () => {
  it('shows for each day exactly what opening the whole employee shows', async () => {
    const rows = month();
    const whole = (await indexOver(rows).index.employee('ada')).days;
    const { index } = indexOver(rows);
    for (const d of [
      '2026-11-01',
      '2026-11-02',
      '2026-11-09',
      '2026-11-10',
      '2026-11-11',
      '2026-11-13',
      '2026-11-14',
    ]) {
      expect((await index.days('ada', [d])).map((r) => r.id)).toEqual((whole.get(d) ?? []).map((r) => r.id));
    }
    const tenth = await index.days('ada', ['2026-11-10']);
    expect(tenth.map((r) => r.kind)).toEqual([
      'attendance',
      'activity-slot',
      'attendance',
      'activity-slot',
      'idle-period',
      'activity-slot',
    ]);
    // several days at once: in the order asked, each sorted by event time
    const three = await index.days('ada', ['2026-11-09', '2026-11-10', '2026-11-11']);
    expect(three.map((r) => r.id)).toEqual(
      ['2026-11-09', '2026-11-10', '2026-11-11'].flatMap((d) => (whole.get(d) ?? []).map((r) => r.id)),
    );
  });

  it('reads only the sealed days a view needs, never the whole employee, and each once', async () => {
    const { index, calls } = indexOver(month());
    await index.days('ada', ['2026-11-10']);
    expect(calls.whole).toBe(0);
    // the 10th, 11th and 12th (records about a day are sealed up to two days later), each local midnight to midnight
    expect(calls.hours).toEqual([
      [at('2026-11-10', '00:00'), at('2026-11-11', '00:00')],
      [at('2026-11-11', '00:00'), at('2026-11-12', '00:00')],
      [at('2026-11-12', '00:00'), at('2026-11-13', '00:00')],
    ]);
    await index.days('ada', ['2026-11-10', '2026-11-11']);
    expect(calls.hours).toHaveLength(4); // only the 13th was new
  });

  it('reads again after invalidate: new rows show', async () => {
    const rows = month();
    const { index } = indexOver(rows);
    expect(await index.days('ada', ['2026-11-16'])).toEqual([]);
    rows.push(row(clockIn(at('2026-11-16', '08:30'))));
    expect(await index.days('ada', ['2026-11-16'])).toEqual([]); // cached until told
    index.invalidate(['ada']);
    expect((await index.days('ada', ['2026-11-16'])).map((r) => r.kind)).toEqual(['attendance']);
  });

  it('new rows of some hours drop only the sealed days holding them: the day on screen stays opened while history arrives', async () => {
    const rows = month();
    const { index, calls } = indexOver(rows);
    await index.days('ada', ['2026-11-12']); // buckets of the 12th, 13th, 14th
    expect(calls.hours).toHaveLength(3);
    // history of the 2nd arrives: nothing opened for the 12th is read again
    rows.push(row(clockIn(at('2026-11-02', '10:00'))));
    index.invalidateHours('ada', [Math.floor(at('2026-11-02', '10:00') / HOUR) * HOUR]);
    await index.days('ada', ['2026-11-12']);
    expect(calls.hours).toHaveLength(3);
    // a row sealed on the 13th about the 12th: that bucket alone is read again, and it shows
    const late = slot(at('2026-11-12', '23:00'), at('2026-11-13', '00:30'));
    rows.push(row(late));
    index.invalidateHours('ada', [Math.floor(late.createdAt / HOUR) * HOUR]);
    expect((await index.days('ada', ['2026-11-12'])).map((r) => r.id)).toContain(late.id);
    expect(calls.hours.slice(3)).toEqual([[at('2026-11-13', '00:00'), at('2026-11-14', '00:00')]]);
    // a row showing no hour is read with every bucket: all are dropped
    rows.push(row(clockIn(at('2026-11-12', '11:00')), false));
    index.invalidateHours('ada', [0]);
    await index.days('ada', ['2026-11-12']);
    expect(calls.hours).toHaveLength(7);
  });

  it('keeps at most maxBuckets opened, dropping the least recently used', async () => {
    const { index, calls } = indexOver(month(), 4);
    await index.days('ada', ['2026-11-02']); // 2nd, 3rd, 4th
    await index.days('ada', ['2026-11-09']); // 9th, 10th, 11th: the 2nd and 3rd are dropped
    expect(calls.hours).toHaveLength(6);
    await index.days('ada', ['2026-11-09']);
    expect(calls.hours).toHaveLength(6); // still opened
    await index.days('ada', ['2026-11-02']);
    expect(calls.hours).toHaveLength(9); // all three read again (the 4th was the oldest when the 2nd came back)
    expect(calls.hours.slice(6)).toEqual(calls.hours.slice(0, 3));
  });
});

describe('OpenedIndex.ofClass', () => {
  const manual = (start: number, end: number, sealedAt: number): OpenedRecord =>
    ({
      ...base(sealedAt),
      kind: 'manual-time',
      payload: { entryId: `e${seq}`, start, end, note: 'meeting' },
    }) as unknown as OpenedRecord;
  /** The month with clear classes, and a manual entry about the 3rd sealed on the 12th (nine days later). */
  function withClasses() {
    const rows: ReplicaDoc[] = month().map((r) => ({
      ...r,
      hint: { class: (JSON.parse(r.envelope) as OpenedRecord).kind === 'attendance' ? 'attendance' : 'work' },
    }));
    const late = manual(at('2026-11-03', '14:00'), at('2026-11-03', '15:00'), at('2026-11-12', '10:00'));
    rows.push({ ...row(late), hint: { class: 'correction' } });
    // an old agent's row: its clear kind names the class
    const legacy = manual(at('2026-11-05', '08:00'), at('2026-11-05', '08:30'), at('2026-11-05', '18:00'));
    rows.push({ ...row(legacy), hint: { kind: 'manual-time', createdAt: legacy.createdAt } });
    let opened = 0;
    const index = new OpenedIndex(
      async (e) => rows.filter((r) => r.employeeId === e),
      (docs) => {
        opened += docs.length;
        return fakeOpen(docs);
      },
      TZ,
      async (e, from, to) => rows.filter((r) => r.employeeId === e && r.hour >= from && r.hour < to),
    );
    return { rows, late, legacy, index, opened: () => opened };
  }

  it("opens only the class's rows of the person, whenever they were sealed", async () => {
    const { late, legacy, index, opened } = withClasses();
    expect((await index.ofClass('ada', 'correction')).map((r) => r.id)).toEqual([legacy.id, late.id]); // by eventTime (a manual entry's is its sealing time)
    expect(opened()).toBe(2); // not the month's 33 rows
    // the day view alone cannot see the late entry: it was sealed outside the 3rd's buckets
    expect((await index.days('ada', ['2026-11-03'])).map((r) => r.kind)).not.toContain('manual-time');
  });

  it('is kept until the person gets new rows, then read again', async () => {
    const { rows, index, opened } = withClasses();
    await index.ofClass('ada', 'correction');
    await index.ofClass('ada', 'correction');
    expect(opened()).toBe(2);
    const another = manual(at('2026-11-13', '09:00'), at('2026-11-13', '09:30'), at('2026-11-13', '12:00'));
    rows.push({ ...row(another), hint: { class: 'correction' } });
    index.invalidateHours('ada', [Math.floor(another.createdAt / HOUR) * HOUR]);
    expect((await index.ofClass('ada', 'correction')).map((r) => r.id)).toContain(another.id);
    index.invalidate(['ada']);
    await index.ofClass('ada', 'correction');
    index.clear();
    await index.ofClass('ada', 'correction');
    expect(opened()).toBe(2 + 3 + 3 + 3);
  });
});

describe('OpenedIndex.dayWithEve (the dashboard)', () => {
  /** month()'s rows showing their clear class, as replica rows do. */
  const classed = (): ReplicaDoc[] =>
    month().map((r) => ({
      ...r,
      hint: { class: (JSON.parse(r.envelope) as OpenedRecord).kind === 'attendance' ? 'attendance' : 'work' },
    }));
  const sealedOn = (r: OpenedRecord, date: string) =>
    r.createdAt >= at(date, '00:00') && r.createdAt < at(addDay(date), '00:00');
  const addDay = (d: string) => new Date(Date.parse(`${d}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

  it('shows the day and the next whole, and of the day before only its attendance sealed that day and what was sealed later', async () => {
    const rows = classed();
    const whole = (await indexOver(rows).index.employee('ada')).days;
    let opened = 0;
    const index = new OpenedIndex(
      async () => rows,
      (docs) => {
        opened += docs.length;
        return fakeOpen(docs);
      },
      TZ,
      async (_e, from, to) => rows.filter((r) => (r.hour >= from && r.hour < to) || r.hour === 0),
    );
    const got = await index.dayWithEve('ada', '2026-11-11', ['attendance']);
    const expected = ['2026-11-10', '2026-11-11', '2026-11-12']
      .flatMap((d) => whole.get(d) ?? [])
      .filter((r) => !(sealedOn(r, '2026-11-10') && r.kind !== 'attendance'))
      .sort((a, b) => eventTime(a) - eventTime(b));
    expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // the 10th's slots sealed that day are left out; its late slot and idle period (sealed on the 11th) are in
    const tenth = got.filter((r) => localDateOf(eventTime(r), TZ) === '2026-11-10').map((r) => r.kind);
    expect(tenth).toEqual(['attendance', 'attendance', 'idle-period', 'activity-slot']);
    // opened: the 11th … 14th whole, of the 10th its two attendance rows (one shows no hour, and comes with every bucket)
    const allOf = (d: string) => rows.filter((r) => r.hour >= at(d, '00:00') && r.hour < at(addDay(d), '00:00')).length;
    const noHour = rows.filter((r) => r.hour === 0).length;
    expect(opened).toBe(
      ['2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'].reduce((n, d) => n + allOf(d), 0) + 5 * noHour + 1,
    );
  });

  it('drops the partial day with the hours it holds: a new attendance row of the day before shows', async () => {
    const rows = classed();
    const { index } = indexOver(rows);
    const before = await index.dayWithEve('ada', '2026-11-11', ['attendance']);
    const late = { ...row(clockIn(at('2026-11-10', '18:00'))), hint: { class: 'attendance' } };
    rows.push(late);
    index.invalidateHours('ada', [late.hour]);
    const after = await index.dayWithEve('ada', '2026-11-11', ['attendance']);
    expect(after.map((r) => r.id)).toEqual(
      [...before, JSON.parse(late.envelope) as OpenedRecord]
        .sort((a, b) => eventTime(a) - eventTime(b))
        .map((r) => r.id),
    );
  });
});
