import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildReport } from '@sealtime/shared';
import { BER, at, clock, slot } from '@sealtime/shared/testing';
import { ReportsView } from './ReportsView.js';

const noop = () => {};

describe('ReportsView', () => {
  it('shows rows, totals and the export and print buttons', () => {
    const report = buildReport({
      people: [
        { id: 'ana', name: 'Ana Lima', timeZone: BER },
        { id: 'ben', name: 'Ben Okafor', timeZone: BER },
      ],
      teams: [],
      from: '2026-06-01',
      to: '2026-06-01',
      groupBy: 'person',
      records: [
        clock(at('2026-06-01', '09:00'), 'clock-in', { employee: 'ana' }),
        clock(at('2026-06-01', '16:30'), 'clock-out', { employee: 'ana' }),
        slot(at('2026-06-01', '09:00'), 450, { employee: 'ana' }),
      ],
    });
    const html = renderToStaticMarkup(<ReportsView report={report} onGroupBy={noop} onPrint={noop} />);
    expect(html).toContain('Ana Lima');
    expect(html).toContain('Ben Okafor');
    expect(html).toContain('>7:30<');
    expect(html).toContain('>7.50<');
    // 450/600 = 75 %
    expect(html).toContain('75 %');
    expect(html).toContain('>Export CSV</button>');
    expect(html).toContain('>Print / PDF</button>');
    expect(html).toMatch(/aria-pressed="true">Person</);
  });

  it('renders only a screenful of many rows on screen, and every row for print', () => {
    const people = Array.from({ length: 300 }, (_, i) => ({
      id: `p${i}`,
      name: `Worker ${String(i).padStart(3, '0')}`,
      timeZone: BER,
    }));
    const report = buildReport({
      people,
      teams: [],
      from: '2026-06-01',
      to: '2026-06-01',
      groupBy: 'person',
      records: [],
    });
    const html = renderToStaticMarkup(<ReportsView report={report} onGroupBy={noop} onPrint={noop} />);
    const [screen, print] = html.split('class="print-only"');
    expect(screen).toContain('Worker 000');
    expect(screen).not.toContain('Worker 299');
    for (let i = 0; i < 300; i++) expect(print).toContain(`Worker ${String(i).padStart(3, '0')}`);
  });

  it('a hundred people over a month: the chart draws the days, the table and the print every person', () => {
    const people = Array.from({ length: 100 }, (_, i) => ({
      id: `p${i}`,
      name: `Worker ${String(i).padStart(3, '0')}`,
      timeZone: BER,
    }));
    const report = buildReport({
      people,
      teams: [],
      from: '2026-06-01',
      to: '2026-06-30',
      groupBy: 'person',
      records: [],
    });
    const html = renderToStaticMarkup(<ReportsView report={report} onGroupBy={noop} onPrint={noop} />);
    expect(html).toContain('aria-label="Hours and activity by day"');
    expect(html).toMatch(/By day, everyone added up: 100 person rows/);
    const [, print] = html.split('class="print-only"');
    for (let i = 0; i < 100; i++) expect(print).toContain(`Worker ${String(i).padStart(3, '0')}`);
    // a few people: a bar per person, as before
    const few = buildReport({
      people: people.slice(0, 3),
      teams: [],
      from: '2026-06-01',
      to: '2026-06-30',
      groupBy: 'person',
      records: [],
    });
    const fewHtml = renderToStaticMarkup(<ReportsView report={few} onGroupBy={noop} onPrint={noop} />);
    expect(fewHtml).toContain('aria-label="Hours and activity by person"');
    expect(fewHtml).not.toContain('By day, everyone added up');
  });
});
