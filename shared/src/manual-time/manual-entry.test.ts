import { describe, expect, it } from 'vitest';
import { validatePayload } from '../records/record-kinds.js';
import { checkManualEntry, MANUAL_FUTURE_SKEW_MS, trackedOverlapSeconds } from './manual-entry.js';

const H = 3_600_000;
const M = 60_000;
const now = Date.UTC(2026, 11, 7, 18, 0);
const at = (h: number, m = 0) => Date.UTC(2026, 11, 7, h, m);

describe('a new manual entry', () => {
  const existing = [{ entryId: 'e-1', start: at(9), end: at(10) }];
  const slots = [
    { start: at(13), slotSeconds: 600, activeSeconds: 300 },
    { start: at(13, 10), slotSeconds: 600, activeSeconds: 0 },
  ];
  it.each([
    ['a plain afternoon entry', at(14), at(15), undefined],
    ['end before start', at(15), at(14), 'bad-span'],
    ['zero length', at(15), at(15), 'bad-span'],
    ['longer than 24 h', at(0) - 2 * H, at(0) + 22 * H + M, 'bad-span'],
    ['ending in the future', now - H, now + MANUAL_FUTURE_SKEW_MS + M, 'in-future'],
    ['ending within the clock skew', now - H, now + MANUAL_FUTURE_SKEW_MS, undefined],
    ['overlapping another manual entry', at(9, 30), at(11), 'overlaps-manual'],
    ['touching another manual entry end to start', at(10), at(11), undefined],
    ['overlapping an active tracked slot', at(12), at(13, 5), 'overlaps-tracked'],
    ['overlapping only an idle slot', at(13, 10), at(13, 20), undefined],
  ])('%s', (_name, start, end, code) => {
    expect(checkManualEntry({ start, end }, { now, existing, tracked: slots })?.code).toBe(code);
  });

  it('counts the active seconds a slot shares with the entry, spread evenly', () => {
    // half of a 600 s slot with 300 active seconds → 150 s
    expect(
      trackedOverlapSeconds({ start: at(13, 5), end: at(14) }, [
        { start: at(13), slotSeconds: 600, activeSeconds: 300 },
      ]),
    ).toBe(150);
  });
});

describe('the manual-time record', () => {
  const base = { v: 1, entryId: 'm-1', start: at(9), end: at(10), note: 'site visit', approval: 'manager' };
  it.each([
    ['valid', base, true],
    ['with a project and task', { ...base, project: { projectId: 'p1', taskId: 't1' } }, true],
    ['end before start', { ...base, end: at(8) }, false],
    ['over 24 h', { ...base, end: at(9) + 25 * H }, false],
    ['empty note', { ...base, note: '' }, false],
    ['note too long', { ...base, note: 'x'.repeat(501) }, false],
    ['bad project', { ...base, project: { projectId: '../x' } }, false],
    ['unknown field', { ...base, tracked: true }, false],
    ['no approval', { ...base, approval: undefined }, false],
    ['unknown approval', { ...base, approval: 'anyone' }, false],
  ])('%s', (_name, payload, ok) => {
    expect(validatePayload('manual-time', payload).ok).toBe(ok);
  });
});
