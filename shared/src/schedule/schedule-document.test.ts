import { beforeAll, describe, expect, it } from 'vitest';
import { initSodium } from '../envelope/sodium.js';
import { newSeed, personKeysFromSeed, type PersonKeys } from '../keys/person-keys.js';
import {
  createHolidaysDocument,
  createScheduleDocument,
  holidaysDocId,
  namedSigner,
  scheduleDocId,
  verifyHolidaysDocument,
  verifyScheduleDocument,
  withVersion,
} from './schedule-document.js';
import { scheduleChain, scheduleOn } from './resolve-schedule.js';
import type { ScheduleLayer, WorkSchedule } from './schedule-types.js';
import { validateScheduleVersion } from './validate-schedule.js';

let org: PersonKeys;
let intruder: PersonKeys;
beforeAll(async () => {
  await initSodium();
  [org, intruder] = [personKeysFromSeed(newSeed()), personKeysFromSeed(newSeed())];
});

const day = [{ start: '09:00', end: '17:00' }];
const weekdays = (shifts = day): WorkSchedule['week'] => [[], shifts, shifts, shifts, shifts, shifts, []];
const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: 'Europe/Berlin',
  week: weekdays(),
  breakMinutes: 30,
  graceMinutes: 5,
};
const layer: ScheduleLayer = { level: 'team', id: 'ops', issuedAt: 1000, versions: [office] };

function signed(l = layer, k = org): Record<string, unknown> {
  const d = createScheduleDocument(l, k);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

describe('schedule documents', () => {
  it('verify under the organisation key and give the layer back', () => {
    const v = verifyScheduleDocument('schedule:team:ops', signed(), [org.signPublicKey]);
    expect(v).toEqual({ ok: true, value: layer });
  });

  it.each([
    [
      'a changed time',
      (d: Record<string, unknown>) => ({
        ...d,
        versions: [{ ...office, week: weekdays([{ start: '10:00', end: '17:00' }]) }],
      }),
      'bad-signature',
    ],
    [
      'a changed grace',
      (d: Record<string, unknown>) => ({ ...d, versions: [{ ...office, graceMinutes: 60 }] }),
      'bad-signature',
    ],
    ['moved to another team', (d: Record<string, unknown>) => ({ ...d, id: 'sales' }), 'bad-signature'],
    [
      'another signer named',
      (d: Record<string, unknown>) => ({ ...d, signer: signed(layer, intruder).signer }),
      'bad-signature',
    ],
    ['no signature', (d: Record<string, unknown>) => ({ ...d, signature: undefined }), 'malformed-document'],
  ])('refuse %s', (_what, change, code) => {
    const v = verifyScheduleDocument('schedule:team:ops', change(signed()), [org.signPublicKey]);
    expect(v.ok ? 'accepted' : v.error.code).toBe(code);
  });

  it('refuse one signed by another key, or stored under another id', () => {
    const forged = verifyScheduleDocument('schedule:team:ops', signed(layer, intruder), [org.signPublicKey]);
    expect(forged.ok ? 'accepted' : forged.error.code).toBe('untrusted-signer');
    const copied = verifyScheduleDocument('schedule:team:sales', signed(), [org.signPublicKey]);
    expect(copied.ok ? 'accepted' : copied.error.message).toMatch(/holds the schedule of team ops/);
  });

  it('name their signer, so a reviewer without the organisation key can pin it', () => {
    expect(namedSigner(signed())).toEqual(org.signPublicKey);
    expect(namedSigner({ signer: 'nope' })).toBeNull();
  });

  it('will not sign a malformed schedule', () => {
    const bad = createScheduleDocument({ ...layer, versions: [{ ...office, timeZone: 'Mars/Olympus' }] }, org);
    expect(bad.ok ? 'signed' : bad.error.message).toMatch(/not an IANA time zone/);
    const unordered = createScheduleDocument(
      { ...layer, versions: [office, { ...office, effectiveFrom: '2025-01-01' }] },
      org,
    );
    expect(unordered.ok).toBe(false);
  });

  it('holiday lists: signed, sorted, verified, tamper refused', () => {
    const d = createHolidaysDocument({ orgId: 'acme', issuedAt: 5, dates: ['2026-12-25', '2026-05-01'] }, org);
    if (!d.ok) throw new Error(d.error.message);
    expect(verifyHolidaysDocument(holidaysDocId('acme'), d.value, [org.signPublicKey])).toEqual({
      ok: true,
      value: { orgId: 'acme', issuedAt: 5, dates: ['2026-05-01', '2026-12-25'] },
    });
    const t = verifyHolidaysDocument(holidaysDocId('acme'), { ...d.value, dates: ['2026-05-01'] }, [org.signPublicKey]);
    expect(t.ok ? 'accepted' : t.error.code).toBe('bad-signature');
  });
});

describe('validateScheduleVersion', () => {
  it.each([
    [office, []],
    [
      {
        ...office,
        week: weekdays([
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ]),
      },
      [],
    ],
    [{ ...office, week: weekdays([{ start: '22:00', end: '06:00' }]) }, []],
    [{ effectiveFrom: '2026-07-01', inherit: true }, []],
    [{ ...office, effectiveFrom: '2026-02-30' }, ['effectiveFrom']],
    [{ ...office, graceMinutes: -1, breakMinutes: 1.5 }, ['breakMinutes', 'graceMinutes']],
    [
      {
        ...office,
        week: weekdays([
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '12:00' },
        ]),
      },
      ['week.1.1', 'week.2.1', 'week.3.1', 'week.4.1', 'week.5.1'],
    ],
    [
      {
        ...office,
        week: [
          [],
          [
            { start: '22:00', end: '06:00' },
            { start: '23:00', end: '23:30' },
          ],
          [],
          [],
          [],
          [],
          [],
        ],
      },
      ['week.1.0', 'week.1.1'],
    ],
    [{ ...office, week: [[{ start: '25:00', end: '06:00' }], [], [], [], [], [], []] }, ['week.0.0.start']],
    [{ ...office, week: [] }, ['week']],
  ])('%j → %j', (v, paths) => {
    expect(validateScheduleVersion(v).map((p) => p.path)).toEqual(paths);
  });
});

describe('scheduleOn: person over team over organisation, by effective date', () => {
  const orgL: ScheduleLayer = { level: 'organisation', id: 'acme', issuedAt: 1, versions: [office] };
  const early: WorkSchedule = {
    ...office,
    effectiveFrom: '2026-06-15',
    week: weekdays([{ start: '08:00', end: '16:00' }]),
  };
  const teamL: ScheduleLayer = { level: 'team', id: 'ops', issuedAt: 1, versions: [early] };
  const night: WorkSchedule = {
    ...office,
    effectiveFrom: '2026-06-20',
    week: weekdays([{ start: '22:00', end: '06:00' }]),
  };
  const empL: ScheduleLayer = {
    level: 'employee',
    id: 'bo',
    issuedAt: 1,
    versions: [night, { effectiveFrom: '2026-07-01', inherit: true }],
  };
  const layers = new Map([orgL, teamL, empL].map((l) => [scheduleDocId(l), l]));
  const chain = scheduleChain(layers, 'acme', 'ops', 'bo');

  it.each([
    ['2025-12-31', undefined],
    ['2026-06-10', 'organisation:acme'],
    ['2026-06-16', 'team:ops'],
    ['2026-06-25', 'employee:bo'],
    ['2026-07-02', 'team:ops'],
  ])('%s → %s', (date, source) => {
    const r = scheduleOn(chain, date);
    expect(r ? `${r.source.level}:${r.source.id}` : undefined).toBe(source);
  });

  it('a person without a team skips the team level', () => {
    expect(scheduleChain(layers, 'acme', null, 'cy').map((l) => l.level)).toEqual(['organisation']);
  });

  it('withVersion replaces versions from the new date on and keeps the history before', () => {
    expect(
      withVersion([office, early, night], { ...office, effectiveFrom: '2026-06-16' }).map((v) => v.effectiveFrom),
    ).toEqual(['2026-01-01', '2026-06-15', '2026-06-16']);
  });
});
