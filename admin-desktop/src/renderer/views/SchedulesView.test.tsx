import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ScheduleBook, WorkSchedule } from '../../api/contracts/schedules-contract.js';
import { SchedulesView } from './SchedulesView.js';
import { draftOf, parseDates, versionOf, weekSummary } from './schedule-draft.js';

const d = [{ start: '09:00', end: '17:00' }];
const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: 'Europe/Berlin',
  week: [[], d, d, d, d, d, []],
  breakMinutes: 30,
  graceMinutes: 5,
};
const split: WorkSchedule = {
  ...office,
  effectiveFrom: '2026-06-15',
  week: [
    [],
    [
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    d,
    d,
    d,
    d,
    [{ start: '22:00', end: '06:00' }],
  ],
};
const book: ScheduleBook = {
  orgId: 'acme',
  date: '2026-06-16',
  canEdit: true,
  teams: ['blue'],
  layers: [
    { level: 'organisation', id: 'acme', issuedAt: 1, versions: [office], waiting: false },
    {
      level: 'employee',
      id: 'bo',
      issuedAt: 2,
      versions: [split, { effectiveFrom: '2026-07-01', inherit: true }],
      waiting: true,
    },
  ],
  holidays: { dates: ['2026-12-25'], issuedAt: 3, waiting: false },
  effective: [
    {
      employeeId: 'ana',
      name: 'Ana Lima',
      teamId: 'blue',
      schedule: office,
      source: { level: 'organisation', id: 'acme' },
    },
    { employeeId: 'bo', name: 'Bo Berg', teamId: 'blue', schedule: split, source: { level: 'employee', id: 'bo' } },
  ],
  refused: [{ id: 'schedule:team:blue', reason: 'the document was changed after signing' }],
  readFrom: 'cache',
};
const noop = async () => '';

describe('SchedulesView', () => {
  it('shows who works when, where it comes from, the history, refused documents and the editor', () => {
    const html = renderToStaticMarkup(
      <SchedulesView book={book} zone="UTC" onDate={() => {}} onPublish={noop} onPublishHolidays={noop} />,
    );
    expect(html).toMatch(
      /<th scope="row">Ana Lima<\/th><td>blue<\/td><td>Mon–Fri 09:00–17:00<\/td><td>Europe\/Berlin<\/td>.*Organisation acme/,
    );
    expect(html).toMatch(
      /Bo Berg.*Mon 08:00–12:00 \+ 13:00–17:00 · Tue–Fri 09:00–17:00 · Sat 22:00–06:00.*Person \(own\)/,
    );
    expect(html).toContain('from 2026-07-01: inherits from the level above');
    expect(html).toMatch(/Person: Bo Berg<\/strong> <span class="badge badge-waiting">Waiting to sync/);
    expect(html).toMatch(/role="alert".*schedule:team:blue.*changed after signing/);
    expect(html).toContain('last verified copy');
    expect(html).toContain('>Publish schedule</button>');
    expect(html).toContain('2026-12-25</textarea>');
  });

  it('is read-only for a role that holds no organisation key', () => {
    const html = renderToStaticMarkup(
      <SchedulesView
        book={{ ...book, canEdit: false }}
        zone="UTC"
        onDate={() => {}}
        onPublish={noop}
        onPublishHolidays={noop}
      />,
    );
    expect(html).not.toContain('Publish schedule');
    expect(html).toContain('only admins edit them');
    expect(html).toContain('<p>2026-12-25</p>');
  });
});

describe('schedule drafts', () => {
  it('round-trip a split day and an overnight shift', () => {
    expect(versionOf(draftOf(split, '2026-06-15', 'UTC'))).toEqual(split);
  });
  it('start a first schedule on weekdays in the given zone', () => {
    expect(versionOf(draftOf(null, '2026-06-01', 'Asia/Tokyo'))).toEqual({
      effectiveFrom: '2026-06-01',
      timeZone: 'Asia/Tokyo',
      week: office.week,
      breakMinutes: 30,
      graceMinutes: 5,
    });
  });
  it.each([
    [office.week, 'Mon–Fri 09:00–17:00'],
    [[[], [], [], [], [], [], []], 'no working days'],
    [[d, d, [], d, [], [], d], 'Mon 09:00–17:00 · Wed 09:00–17:00 · Sat–Sun 09:00–17:00'],
  ])('summarise %j', (week, text) => {
    expect(weekSummary(week)).toBe(text);
  });
  it('parse typed dates', () => {
    expect(parseDates('2026-12-25\n2026-12-24, 2026-12-25 ')).toEqual(['2026-12-24', '2026-12-25']);
  });
});
