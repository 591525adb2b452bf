import { describe, it, expect } from 'vitest';
import { localDateOf, localDayBounds, zonedTimeToEpoch } from './time-zone.js';
import { addDays, parseLocalDate, parseTimeOfDay, weekdayOf } from './local-date.js';

const Z = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('local-date', () => {
  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('knows weekdays (0 = Sunday)', () => {
    expect(weekdayOf('2026-03-29')).toBe(0);
    expect(weekdayOf('2026-10-24')).toBe(6);
    expect(weekdayOf('2026-06-01')).toBe(1);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00', ''])('rejects date %j', (d) => {
    expect(() => parseLocalDate(d)).toThrow(RangeError);
  });

  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('parses %s', (t, min) => {
    expect(parseTimeOfDay(t)).toBe(min);
  });

  it.each(['24:01', '25:00', '12:60', '9:00', '09:00:00', ''])('rejects time %j', (t) => {
    expect(() => parseTimeOfDay(t)).toThrow(RangeError);
  });
});

describe('localDateOf', () => {
  it.each([
    [Z('2026-03-28T23:30:00Z'), 'Europe/Berlin', '2026-03-29'],
    [Z('2026-03-28T23:30:00Z'), 'America/New_York', '2026-03-28'],
    [Z('2026-03-28T22:59:59.999Z'), 'Europe/Berlin', '2026-03-28'],
    [Z('2026-10-24T22:00:00Z'), 'Europe/Berlin', '2026-10-25'],
    [Z('2026-01-01T00:00:00Z'), 'Pacific/Kiritimati', '2026-01-01'],
    [Z('2026-01-01T00:00:00Z'), 'Pacific/Pago_Pago', '2025-12-31'],
  ])('%s in %s is %s', (t, tz, date) => {
    expect(localDateOf(t, tz)).toBe(date);
  });

  it('throws for a non-finite instant or an unknown zone', () => {
    expect(() => localDateOf(Number.NaN, 'UTC')).toThrow(RangeError);
    expect(() => localDateOf(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('zonedTimeToEpoch', () => {
  it.each([
    ['plain winter time', '2026-01-15', '09:00', 'Europe/Berlin', '2026-01-15T08:00:00Z'],
    ['plain summer time', '2026-07-15', '09:00', 'Europe/Berlin', '2026-07-15T07:00:00Z'],
    ['before the spring gap', '2026-03-29', '01:59', 'Europe/Berlin', '2026-03-29T00:59:00Z'],
    ['in the spring gap → first instant after it', '2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['at the gap start → first instant after it', '2026-03-29', '02:00', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['at the gap end', '2026-03-29', '03:00', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['ambiguous fall-back time → earlier instant', '2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z'],
    ['after the repeated hour', '2026-10-25', '03:00', 'Europe/Berlin', '2026-10-25T02:00:00Z'],
    ['New York spring gap', '2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['New York ambiguous 01:30 → EDT', '2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00Z'],
    ['24:00 is the next midnight', '2026-07-15', '24:00', 'Europe/Berlin', '2026-07-15T22:00:00Z'],
    ['half-hour DST (Lord Howe) gap', '2026-10-04', '02:15', 'Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ['a skipped calendar day (Samoa 2011)', '2011-12-30', '12:00', 'Pacific/Apia', '2011-12-30T10:00:00Z'],
  ])('%s: %s %s %s', (_name, date, time, tz, iso) => {
    expect(zonedTimeToEpoch(date, time, tz)).toBe(Z(iso));
  });

  it('round-trips every half hour over the Berlin fall-back days (second pass of 02:xx excepted)', () => {
    for (let t = Z('2026-10-24T00:00:00Z'); t < Z('2026-10-27T00:00:00Z'); t += H / 2) {
      const date = localDateOf(t, 'Europe/Berlin');
      const hhmm = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(t);
      const back = zonedTimeToEpoch(date, hhmm, 'Europe/Berlin');
      const secondPass = t >= Z('2026-10-25T01:00:00Z') && t < Z('2026-10-25T02:00:00Z');
      expect(back).toBe(secondPass ? t - H : t);
    }
  });

  it('rejects bad input', () => {
    expect(() => zonedTimeToEpoch('2026-02-30', '09:00', 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToEpoch('2026-02-01', '9:00', 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToEpoch('2026-02-01', '09:00', 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('localDayBounds', () => {
  it.each([
    ['2026-03-28', 'Europe/Berlin', '2026-03-27T23:00:00Z', 24],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00Z', 23],
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00Z', 25],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00Z', 23],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00Z', 25],
    ['2026-04-05', 'Australia/Lord_Howe', '2026-04-04T13:00:00Z', 24.5],
    // Chile springs forward at midnight: the day starts at 01:00 local.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00Z', 23],
    ['2011-12-30', 'Pacific/Apia', '2011-12-30T10:00:00Z', 0],
  ])('%s in %s starts %s and lasts %s h', (date, tz, startIso, hours) => {
    const b = localDayBounds(date, tz);
    expect(b.start).toBe(Z(startIso));
    expect((b.end - b.start) / H).toBe(hours);
  });

  it('consecutive days tile the time line', () => {
    const d1 = localDayBounds('2026-10-24', 'Europe/Berlin');
    const d2 = localDayBounds('2026-10-25', 'Europe/Berlin');
    expect(d1.end).toBe(d2.start);
  });
});
