import { describe, expect, it } from 'vitest';
import type { SlotAppUsage } from '../records/payload-types.js';
import { appSpansOf, OTHER_APPS } from './app-spans.js';
import { buildDashboard } from './dashboard.js';
import type { OpenedRecord } from './opened-record.js';
import { buildPersonDay } from './person-day.js';
import { BER, MIN, app, at, rec } from './test-support/opened-records.js';

const ana = { id: 'ana', name: 'Ana Lima', timeZone: BER };
const MON = '2026-06-01';
const day = (records: OpenedRecord[]) =>
  buildPersonDay({ employee: ana, date: MON, timeZone: BER, records, now: at(MON, '18:00') });

/** A version 2 slot carrying its app usage. */
const slotV2 = (
  start: number,
  apps: SlotAppUsage[],
  o: { device?: string; other?: number; createdAt?: number; active?: number } = {},
) =>
  rec(
    'activity-slot',
    {
      v: 2,
      start,
      slotSeconds: 600,
      activeSeconds: o.active ?? 300,
      keyPresses: 10,
      clicks: 2,
      mouseMoves: 30,
      scrolls: 1,
      apps,
      ...(o.other ? { appsOtherSeconds: o.other } : {}),
    } as never,
    o,
  );

const minutesOf = (d: ReturnType<typeof day>) => Object.fromEntries(d.apps.map((a) => [a.app, a.ms / MIN]));

describe('app spans from both record models', () => {
  it('a day with old app-events in the morning and v2 slots in the afternoon shows both', () => {
    const d = day([
      app(at(MON, '09:00'), 30, 'code', 'main.ts'),
      app(at(MON, '09:30'), 10, 'firefox'),
      slotV2(at(MON, '14:00'), [
        { app: 'code', title: 'main.ts', seconds: 240 },
        { app: 'slack', seconds: 120 },
      ]),
      slotV2(at(MON, '14:10'), [{ app: 'firefox', seconds: 600 }]),
    ]);
    expect(minutesOf(d)).toEqual({ code: 34, firefox: 20, slack: 2 });
    expect(d.apps.find((a) => a.app === 'code')!.titles).toEqual([{ title: 'main.ts', ms: 34 * MIN }]);
    const s14 = d.slots.find((s) => s.label === '14:00')!;
    expect(s14.apps).toEqual([
      { app: 'code', ms: 4 * MIN },
      { app: 'slack', ms: 2 * MIN },
    ]);
    expect(d.slots.find((s) => s.label === '14:10')!.apps).toEqual([{ app: 'firefox', ms: 10 * MIN }]);
  });

  it('the slot an agent was updated in counts each minute once', () => {
    // the old agent sealed app-events 10:00–10:04; the new one carries 10:04–10:10 in the slot,
    // and a slot that (wrongly or by a restart) claims more than the rest of the slot is cut
    const records = [
      app(at(MON, '10:00'), 3, 'code'),
      app(at(MON, '10:03'), 1, 'term'),
      slotV2(at(MON, '10:00'), [
        { app: 'code', seconds: 180 },
        { app: 'firefox', seconds: 360 },
      ]),
    ];
    const d = day(records);
    const slot = d.slots.find((s) => s.label === '10:00')!;
    const total = slot.apps.reduce((s, a) => s + a.ms, 0);
    expect(total).toBe(10 * MIN);
    expect(slot.apps).toEqual([
      { app: 'code', ms: 6 * MIN },
      { app: 'firefox', ms: 3 * MIN },
      { app: 'term', ms: 1 * MIN },
    ]);
    const spans = appSpansOf(records);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });

  it('two slot records with the same start (a restart inside the slot) are laid one after the other', () => {
    const t = at(MON, '11:00');
    const spans = appSpansOf([
      slotV2(t, [{ app: 'code', seconds: 120 }], { createdAt: t + 130_000 }),
      slotV2(t, [{ app: 'mail', seconds: 300 }], { createdAt: t + 600_000 }),
    ]);
    expect(spans.map((s) => [s.app, (s.start - t) / 1000, (s.end - t) / 1000])).toEqual([
      ['code', 0, 120],
      ['mail', 120, 420],
    ]);
  });

  it('devices are independent, v1 slots add nothing, other apps have a name', () => {
    const t = at(MON, '12:00');
    const v1 = rec('activity-slot', {
      start: t,
      slotSeconds: 600,
      activeSeconds: 600,
      keyPresses: 1,
      clicks: 1,
      mouseMoves: 1,
      scrolls: 1,
    });
    const spans = appSpansOf([
      v1,
      slotV2(t, [{ app: 'code', seconds: 60 }], { device: 'desk', other: 30 }),
      slotV2(t, [{ app: 'code', seconds: 60 }], { device: 'laptop' }),
    ]);
    expect(spans.map((s) => [s.deviceId, s.app, (s.end - s.start) / 1000])).toEqual([
      ['desk', 'code', 60],
      ['laptop', 'code', 60],
      ['desk', OTHER_APPS, 30],
    ]);
  });

  it('records that failed verification are not counted', () => {
    const bad = {
      ...slotV2(at(MON, '13:00'), [{ app: 'code', seconds: 600 }]),
      integrity: 'bad-signature',
    } as OpenedRecord;
    expect(appSpansOf([bad])).toEqual([]);
  });

  it('the dashboard sees presence from slot app usage as it did from app-events (no input counted)', () => {
    const t = at(MON, '15:00');
    const board = (r: OpenedRecord) =>
      buildDashboard({ date: MON, people: [ana], recordsByPerson: { ana: [r] }, now: t + 12 * MIN }).rows[0]!;
    const fromSlot = board(slotV2(t, [{ app: 'code', seconds: 600 }], { active: 0 }));
    const fromEvent = board(app(t, 10, 'code'));
    expect(fromSlot.status).toBe('working');
    expect([fromSlot.status, fromSlot.statusSince]).toEqual([fromEvent.status, fromEvent.statusSince]);
  });
});
