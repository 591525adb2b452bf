import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildAttendanceSheet, type WorkSchedule } from '@sealtime/shared';
import { BER, at, clock, rec } from '@sealtime/shared/testing';
import { AttendanceView } from './AttendanceView.js';

const shift = [{ start: '09:00', end: '17:00' }];
const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: [[], shift, shift, shift, shift, shift, []],
  breakMinutes: 0,
  graceMinutes: 5,
};
const sheet = buildAttendanceSheet({
  people: [{ id: 'ana', name: 'Ana Lima', timeZone: BER }],
  schedules: { ana: [{ level: 'team', id: 'ops', issuedAt: 1, versions: [office] }] },
  from: '2026-06-01',
  to: '2026-06-02',
  now: at('2026-06-03', '08:00'),
  records: [
    // Mon 09:20–17:00: late 0:20, worked 7:40; Tue absent
    clock(at('2026-06-01', '09:20'), 'clock-in'),
    clock(at('2026-06-01', '17:00'), 'clock-out'),
    rec('correction-request', {
      requestId: 'r1',
      date: '2026-06-02',
      change: 'add',
      eventType: 'clock-in',
      at: at('2026-06-02', '09:00'),
      reason: 'badge reader broken',
    }),
  ],
});

describe('AttendanceView', () => {
  it('shows daily rows with lateness and absence, and a pending correction with Approve/Reject', () => {
    const html = renderToStaticMarkup(<AttendanceView sheet={sheet} onDecide={() => {}} />);
    expect(html).toContain('Ana Lima');
    expect(html).toMatch(/<td>09:20<\/td><td>17:00<\/td>/);
    // expected 8:00, worked 7:40, late 0:20 marked in words too
    expect(html).toMatch(/>8:00<\/td><td class="num">7:40<\/td><td class="num warn-text">0:20</);
    expect(html).toMatch(/<tr class="row-late" data-date="2026-06-01">.*badge-late">Late</);
    expect(html).toMatch(/<tr class="row-absent" data-date="2026-06-02">.*Absent/);
    expect(html).toContain('Europe/Berlin (schedule’s zone)');
    expect(html).toContain('title="set by team:ops">09:00–17:00<');
    expect(html).toContain('1 pending');
    expect(html).toContain('“badge reader broken”');
    expect(html).toContain('Add clock-in at 09:00');
    expect(html).toMatch(/<label for="reason-r1">Reason for the decision<\/label>/);
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Reject</button>');
    expect(html).toMatch(/role="tab" id="tab-daily" aria-selected="true"/);
  });

  it('shows weekly and monthly totals on their tabs', () => {
    const weekly = renderToStaticMarkup(<AttendanceView sheet={sheet} initialTab="weekly" onDecide={() => {}} />);
    expect(weekly).toContain('2026-W23');
    // 7:40 worked of 16:00 expected, one absence
    expect(weekly).toMatch(
      /<td class="num">1<\/td><td class="num warn-text">1<\/td><td class="num">16:00<\/td><td class="num">7:40<\/td>/,
    );
    const monthly = renderToStaticMarkup(<AttendanceView sheet={sheet} initialTab="monthly" onDecide={() => {}} />);
    expect(monthly).toContain('>2026-06 <');
  });

  it('shows a team one row per person, and refused schedules as an integrity problem', () => {
    const team = buildAttendanceSheet({
      people: [
        { id: 'ana', name: 'Ana Lima', timeZone: BER, teamId: 'ops' },
        { id: 'bo', name: 'Bo Berg', timeZone: BER, teamId: 'ops' },
      ],
      schedules: { ana: [{ level: 'team', id: 'ops', issuedAt: 1, versions: [office] }] },
      refusedSchedules: [{ id: 'schedule:team:ops', reason: 'the document was changed after signing' }],
      from: '2026-06-01',
      to: '2026-06-02',
      now: at('2026-06-03', '08:00'),
      records: [],
    });
    const html = renderToStaticMarkup(<AttendanceView sheet={team} onDecide={() => {}} />);
    expect(html).toMatch(/role="alert".*schedule:team:ops.*changed after signing/);
    expect(html).toMatch(
      /<th scope="row">Ana Lima<\/th><td class="small">Europe\/Berlin<\/td><td class="num">16:00<\/td>/,
    );
    expect(html).toContain('Bo Berg');
    expect(html).toContain('your zone: no schedule or device zone known');
  });

  it('marks a decision signed offline as waiting to sync (no second Approve), and a refused one with the reason', () => {
    const waiting = renderToStaticMarkup(
      <AttendanceView
        sheet={sheet}
        onDecide={() => {}}
        waiting={
          new Map([['r1', { lastError: 'cannot reach http://127.0.0.1:1: ECONNREFUSED', state: 'waiting' as const }]])
        }
      />,
    );
    expect(waiting).toContain('Waiting to sync');
    expect(waiting).toContain('ECONNREFUSED');
    expect(waiting).not.toContain('>Approve</button>');
    const refused = renderToStaticMarkup(
      <AttendanceView
        sheet={sheet}
        onDecide={() => {}}
        waiting={new Map([['r1', { lastError: 'conflict: decided elsewhere', state: 'refused' as const }]])}
      />,
    );
    expect(refused).toContain('Refused by the server');
    expect(refused).toContain('conflict: decided elsewhere');
    const sent = renderToStaticMarkup(
      <AttendanceView
        sheet={sheet}
        onDecide={() => {}}
        waiting={new Map([['r1', { lastError: null, state: 'sent' as const }]])}
      />,
    );
    expect(sent).toContain('Sent: the device has not confirmed yet');
    expect(sent).not.toContain('>Approve</button>');
  });
});
