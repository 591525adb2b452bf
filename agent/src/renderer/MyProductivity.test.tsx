import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { BER, at, rec } from '@sealtime/shared/testing';
import { MyProductivity } from './MyProductivity.js';
import { organisationRules, TERMINAL_RULE, YOUTUBE_RULE } from './test-support/rule-sets.js';

const records = [
  rec('app-event', { start: at('2026-12-01', '09:00'), durationMs: 3_600_000, app: 'XTerm', title: 'build.log' }),
  rec('app-event', {
    start: at('2026-12-01', '10:00'),
    durationMs: 1_800_000,
    app: 'firefox',
    url: 'https://www.youtube.com/x',
  }),
  rec('app-event', { start: at('2026-12-02', '09:00'), durationMs: 600_000, app: 'gimp' }),
];
const rules = organisationRules([TERMINAL_RULE, YOUTUBE_RULE]);

describe('MyProductivity: the employee sees their day classified as reviewers do', () => {
  it('a line for today, the chosen day, and the rule behind each app', () => {
    const html = renderToStaticMarkup(
      <MyProductivity records={records} rules={rules} date="2026-12-01" today="2026-12-02" timeZone={BER} />,
    );
    expect(html).toContain('Today: 10 min unclassified.');
    expect(html).toContain('2026-12-01: 1 h 00 min productive, 30 min unproductive.');
    expect(html).toContain('<td>XTerm</td><td>—</td><td>productive</td><td>organisation acme · term</td>');
    expect(html).toContain('<td>firefox</td><td>www.youtube.com</td><td>unproductive</td>');
  });
  it('says so when no rules were delivered', () => {
    const html = renderToStaticMarkup(
      <MyProductivity records={records} rules={[]} date="2026-12-01" today="2026-12-02" timeZone={BER} />,
    );
    expect(html).toContain('published no productivity rules');
  });
});
