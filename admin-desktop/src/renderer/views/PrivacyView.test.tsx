import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PrivacySummary } from '../../api/admin-api.js';
import { lossStatement, PrivacyPanel, type PrivacyPanelProps } from './PrivacyView.js';

const summary: PrivacySummary = {
  employeeId: 'cy',
  records: 37,
  byKind: { attendance: 4, 'activity-slot': 24, 'app-event': 4, screenshot: 2 },
  screenshots: 2,
  days: 2,
  from: '2026-11-30',
  to: '2026-12-01',
  devices: 1,
  cannotOpen: 0,
};
const noop = () => {};
const base: PrivacyPanelProps = {
  people: [
    { employeeId: 'ada', displayName: 'ada', teamId: 'blue' },
    { employeeId: 'cy', displayName: 'cy', teamId: null },
  ],
  selected: 'cy',
  onSelect: noop,
  summary,
  canErase: true,
  confirmText: '',
  onConfirmText: noop,
  busy: false,
  message: null,
  onExport: noop,
  onErase: noop,
};
const render = (p: Partial<PrivacyPanelProps>) => renderToStaticMarkup(<PrivacyPanel {...base} {...p} />);

describe('PrivacyPanel', () => {
  it('states exactly what erasure loses: counts, kinds, days from–to, devices', () => {
    expect(lossStatement(summary)).toBe(
      'Erasing cy destroys 37 records over 2 days from Mon 30 Nov 2026 to Tue 1 Dec 2026 (24 activity-slot, 4 app-event, 4 attendance, 2 screenshot), including 2 screenshots and their images, on the server and in this app; their key ring is destroyed, their 1 device revoked and their accounts disabled. This cannot be undone.',
    );
    expect(
      lossStatement({
        ...summary,
        records: 1,
        byKind: { attendance: 1 },
        screenshots: 0,
        days: 1,
        from: '2026-12-01',
        to: '2026-12-01',
        cannotOpen: 3,
      }),
    ).toContain('1 record and 3 records sealed to keys you do not hold over 1 day');
    const html = render({});
    expect(html).toContain('Erasing cy destroys 37 records');
    expect(html).toContain('<dt>Screenshots</dt><dd>2</dd>');
  });

  it('keeps the erase button disabled until the id is typed exactly', () => {
    const button = (html: string) => /<button[^>]*>Erase cy<\/button>/.exec(html)![0];
    expect(button(render({}))).toContain('disabled');
    expect(button(render({ confirmText: 'c' }))).toContain('disabled');
    expect(button(render({ confirmText: 'cy ' }))).toContain('disabled');
    expect(button(render({ confirmText: 'cy' }))).not.toContain('disabled');
    expect(button(render({ confirmText: 'cy', busy: true }))).toContain('disabled');
  });

  it('HR sees export only; errors show in words', () => {
    const html = render({ canErase: false, message: { kind: 'error', text: 'only admins erase a person' } });
    expect(html).toContain('Export their data');
    expect(html).not.toContain('Erase cy');
    expect(html).toContain('role="alert"');
    expect(html).toContain('only admins erase a person');
  });

  it('asks for a person first', () => {
    const html = render({ selected: null, summary: null });
    expect(html).toContain('Choose a person');
    expect(html).not.toContain('Export their data');
  });
});
