import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ProductivityReport, ProductivityRuleBook } from '../../api/contracts/productivity-contract.js';
import { ProductivityReportView } from './ProductivityPanels.js';
import { ProductivityRulesView } from './ProductivityRulesView.js';
import { productivityCsv } from './productivity-csv.js';

const H = 3_600_000;
const book: ProductivityRuleBook = {
  orgId: 'acme',
  canEdit: true,
  teams: ['blue'],
  sets: [
    {
      level: 'organisation',
      id: 'acme',
      issuedAt: 1,
      versions: [
        {
          effectiveFrom: 0,
          rules: [
            { id: 'term', match: { by: 'app', app: 'xterm' }, class: 'productive' },
            { id: 'yt', match: { by: 'host', host: '*.youtube.com' }, class: 'unproductive' },
          ],
        },
      ],
    },
  ],
  refused: [{ id: 'productivity:team:blue', reason: 'the document was changed after signing' }],
  readFrom: 'server',
};
const t = (p: number, n: number, u: number, x: number) => ({
  productive: p,
  neutral: n,
  unproductive: u,
  unclassified: x,
});
const report: ProductivityReport = {
  from: '2026-12-01',
  to: '2026-12-02',
  rows: [
    {
      employeeId: 'ada',
      name: '=Ada',
      teamId: 'blue',
      totals: t(3 * H, 0, H, 0),
      productivePercent: 75,
      days: [
        { date: '2026-12-01', totals: t(2 * H, 0, 0, 0), productivePercent: 100 },
        { date: '2026-12-02', totals: t(H, 0, H, 0), productivePercent: 50 },
      ],
    },
  ],
  totals: t(3 * H, 0, H, 0),
  productivePercent: 75,
};

describe('productivity views', () => {
  it('the rules editor shows the organisation set, refused sets, and the publish controls for admins', () => {
    const html = renderToStaticMarkup(
      <ProductivityRulesView
        book={book}
        onPublish={async () => ''}
        onTest={async () => ({ problems: [], appsSeen: 0, matches: [] })}
      />,
    );
    expect(html).toContain('value="xterm"');
    expect(html).toContain('value="*.youtube.com"');
    expect(html).toContain('Refused productivity:team:blue: the document was changed after signing');
    expect(html).toContain('Team blue');
    expect(html).toContain('Publish');
    const reader = renderToStaticMarkup(
      <ProductivityRulesView
        book={{ ...book, canEdit: false }}
        onPublish={async () => ''}
        onTest={async () => ({ problems: [], appsSeen: 0, matches: [] })}
      />,
    );
    expect(reader).not.toContain('>Publish<');
    expect(reader).toContain('Only admins publish rules');
  });

  it('the report shows each person’s share and hours by class', () => {
    const html = renderToStaticMarkup(<ProductivityReportView report={report} title="Productivity" />);
    expect(html).toContain('Productivity · 75 % productive');
    expect(html).toMatch(/=Ada<\/td><td class="num">3 h( 0?0 ?m?)?/);
  });

  it('forty people over two days: the chart stacks per day, the table lists everyone', () => {
    const many: ProductivityReport = {
      ...report,
      rows: Array.from({ length: 40 }, (_, i) => ({ ...report.rows[0]!, employeeId: `e${i}`, name: `Person ${i}` })),
    };
    const html = renderToStaticMarkup(<ProductivityReportView report={many} title="Productivity" />);
    expect(html).toContain('aria-label="Hours by class per day"');
    expect(html).toContain('Per day, everyone added up: 40 people');
    for (let i = 0; i < 40; i++) expect(html).toContain(`>Person ${i}</td>`);
    const one = renderToStaticMarkup(<ProductivityReportView report={report} title="Productivity" />);
    expect(one).toContain('aria-label="Hours by class per person"');
  });

  it('CSV: a line per person per day, then the person total; formula-safe names', () => {
    expect(productivityCsv(report).split('\r\n')).toEqual([
      'Person,Date,Productive h,Neutral h,Unproductive h,Unclassified h,Productive %',
      "'=Ada,2026-12-01,2.00,0.00,0.00,0.00,100",
      "'=Ada,2026-12-02,1.00,0.00,1.00,0.00,50",
      "'=Ada,2026-12-01..2026-12-02,3.00,0.00,1.00,0.00,75",
      '',
    ]);
  });
});
