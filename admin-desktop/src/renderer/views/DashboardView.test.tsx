import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildDashboard } from '@sealtime/shared';
import { BER, at, clock, rec, slot } from '@sealtime/shared/testing';
import { DashboardView } from './DashboardView.js';

const MON = '2026-06-01';
const now = at(MON, '14:00');

describe('DashboardView', () => {
  it('shows each person with status, hours, activity, silent devices and alert text', () => {
    const dashboard = buildDashboard({
      date: MON,
      now,
      people: [
        { id: 'ana', name: 'Ana Lima', timeZone: BER },
        { id: 'ben', name: 'Ben Okafor', timeZone: BER },
      ],
      recordsByPerson: {
        // working since 08:00 → 6:00 worked; 300/600 = 50 %; the desktop silent since 09:00
        ana: [
          clock(at(MON, '08:00'), 'clock-in', { employee: 'ana' }),
          slot(at(MON, '13:50'), 300, { employee: 'ana' }),
          slot(at(MON, '09:00'), 300, { employee: 'ana', device: 'desktop' }),
        ],
        ben: [
          clock(at(MON, '09:00'), 'clock-in', { employee: 'ben' }),
          clock(at(MON, '12:00'), 'break-start', { employee: 'ben' }),
          rec(
            'integrity-alert',
            {
              at: at(MON, '10:00'),
              deviceId: 'laptop',
              issue: 'missing',
              fromSeq: 3,
              toSeq: 4,
              detail: 'never arrived',
            },
            { employee: 'ben' },
          ),
        ],
      },
    });
    const html = renderToStaticMarkup(<DashboardView dashboard={dashboard} onOpenPerson={() => {}} />);
    expect(html).toContain('Mon 1 Jun 2026');
    expect(html).toContain('Ana Lima');
    expect(html).toContain('Ben Okafor');
    expect(html).toMatch(/status-working">Working<\/span><span class="muted small"> since 08:00/);
    expect(html).toContain('On break');
    expect(html).toContain('>6:00<');
    expect(html).toContain('>3:00<');
    expect(html).toContain('50 %');
    expect(html).toContain('Silent: desktop');
    expect(html).toContain('Records missing from the device chain (seq 3–4): never arrived');
    // totals: 1 working, 1 on break, 9 h worked
    expect(html).toMatch(/<dt>Working<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Worked today<\/dt><dd>9 h 00 min<\/dd>/);
  });

  it('shows a session open since before today with its date', () => {
    const dashboard = buildDashboard({
      date: MON,
      now,
      people: [{ id: 'ana', name: 'Ana Lima', timeZone: BER }],
      recordsByPerson: { ana: [clock(at('2026-05-31', '09:00'), 'clock-in', { employee: 'ana' })] },
    });
    const html = renderToStaticMarkup(<DashboardView dashboard={dashboard} onOpenPerson={() => {}} />);
    expect(html).toContain('since Sun 31 May, 09:00');
    expect(html).toContain('a clock-out may be missing');
  });

  it('renders only a screenful of a long list', () => {
    const people = Array.from({ length: 500 }, (_, i) => ({
      id: `p${i}`,
      name: `Person ${String(i).padStart(3, '0')}`,
      timeZone: BER,
    }));
    const dashboard = buildDashboard({ date: MON, now, people, recordsByPerson: {} });
    const html = renderToStaticMarkup(<DashboardView dashboard={dashboard} onOpenPerson={() => {}} />);
    expect(html).toContain('Person 000');
    expect(html).not.toContain('Person 499');
    expect(html.match(/class="grid-row dashboard-row"/g)!.length).toBeLessThan(40);
  });
});
