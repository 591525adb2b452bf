import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildPersonDay } from '../views/person-day.js';
import { BER, at, app, clock, rec, shot, slot } from '../views/test-support/opened-records.js';
import { PersonDayView } from './PersonDayView.js';

const MON = '2026-06-01';
const noop = () => {};

describe('PersonDayView', () => {
  const day = buildPersonDay({
    employee: { id: 'ana', name: 'Ana Lima', timeZone: BER },
    date: MON,
    timeZone: BER,
    now: at(MON, '18:00'),
    records: [
      clock(at(MON, '09:00'), 'clock-in'),
      clock(at(MON, '17:30'), 'clock-out'),
      slot(at(MON, '09:00'), 540),
      app(at(MON, '09:00'), 45, 'Code', 'views.ts — sealtime'),
      rec('idle-period', { start: at(MON, '12:00'), end: at(MON, '12:20'), cause: 'no-input', decision: 'kept' }),
      shot(at(MON, '09:04'), { blurred: true, app: 'Bank', thumb: 'data:image/webp;base64,AAAA' }),
      rec('integrity-alert', { at: at(MON, '10:00'), deviceId: 'laptop', issue: 'clock-jump', detail: '+1 h' }),
    ],
  });
  const html = renderToStaticMarkup(
    <PersonDayView
      day={day}
      onDate={noop}
      onPerson={noop}
      onOpenScreenshot={noop}
      nextPerson={{ id: 'ben', name: 'Ben Okafor' }}
    />,
  );

  it('shows the summary the view model computed', () => {
    expect(html).toContain('Ana Lima');
    expect(html).toContain('Mon 1 Jun 2026');
    // 09:00–17:30 = 8 h 30; activity 540/600 = 90 %
    expect(html).toMatch(/<dt>Worked<\/dt><dd>8 h 30 min<\/dd>/);
    expect(html).toMatch(/<dt>Activity<\/dt><dd>90 %<\/dd>/);
    expect(html).toMatch(/<dt>Idle<\/dt><dd>20 min<\/dd>/);
  });

  it('colours the timeline by activity and lists apps, idle decisions, events, thumbnails, alerts', () => {
    expect(html).toMatch(/class="slot level-high slot-worked" title="09:00: 90 % active/);
    expect(html).toContain('Code 45 min');
    expect(html).toContain('views.ts — sealtime');
    // per slot: 09:00 has 10 min of the title, 09:40 the last 5
    expect(html).toMatch(
      /<span class="timeline-label">09:00<\/span> <span class="app-name">Code<\/span> views.ts — sealtime <span class="muted">10 min<\/span>/,
    );
    expect(html).toMatch(
      /<span class="timeline-label">09:40<\/span> <span class="app-name">Code<\/span> views.ts — sealtime <span class="muted">5 min<\/span>/,
    );
    expect(html).toContain('Kept as work');
    expect(html).toContain('Clock in');
    expect(html).toContain('Clock out');
    expect(html).toContain('src="data:image/webp;base64,AAAA"');
    expect(html).toMatch(/aria-label="Screenshot 09:04, screen 1, Bank, blurred"/);
    expect(html).toContain('>Blurred<');
    expect(html).toContain('The device clock jumped: +1 h');
  });

  it('disables next day on today and offers the next person', () => {
    expect(html).toMatch(/<button type="button" disabled="">Next day →<\/button>/);
    expect(html).toContain('↓ Ben Okafor');
    expect(html).toMatch(/<button type="button" disabled="">↑ Previous person<\/button>/);
  });

  it('marks a clock-change day', () => {
    const fall = buildPersonDay({
      employee: { id: 'ana', name: 'Ana', timeZone: BER },
      date: '2026-10-25',
      timeZone: BER,
      now: at('2026-11-01', '12:00'),
      records: [],
    });
    const out = renderToStaticMarkup(
      <PersonDayView day={fall} onDate={noop} onPerson={noop} onOpenScreenshot={noop} />,
    );
    expect(out).toContain('25-hour day (clock change)');
    // 25 hour rows, two of them labelled 02:00
    expect(out.match(/class="timeline-hour"/g)).toHaveLength(25);
    expect(out.match(/timeline-label">02:00</g)).toHaveLength(2);
  });
});
