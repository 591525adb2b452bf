import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AuditRow } from '../../api/admin-api.js';
import { defaultAuditForm } from './AuditScreen.js';
import { AuditView, type AuditViewProps } from './AuditView.js';

const rows: AuditRow[] = [
  {
    id: '001764581400000-000001-aa',
    at: Date.UTC(2026, 11, 1, 9, 30, 5),
    actor: 'user:root',
    action: 'directory.write',
    target: 'db:st-org-directory/policy:team:blue',
    ip: '127.0.0.1',
    userAgent: 'undici',
    diff: [
      { path: 'layer.settings.retention.days', from: '30', to: '90' },
      { path: 'issuedAt', to: '1764581405000' },
    ],
    details: { role: 'super-admin', rev: '2-abc' },
  },
  {
    id: '001764581460000-000002-bb',
    at: Date.UTC(2026, 11, 1, 9, 31),
    actor: 'anonymous',
    action: 'something.new',
    target: 'user:bob',
    ip: null,
    userAgent: null,
    diff: [],
    details: {},
  },
];

const noop = () => {};
const props = (over: Partial<AuditViewProps> = {}): AuditViewProps => ({
  form: { actor: 'user:root', action: 'directory', target: 'policy', from: '2026-11-25', to: '2026-12-01' },
  rows,
  timeZone: 'Europe/Berlin',
  hasMore: true,
  busy: false,
  error: null,
  scanned: 120,
  onForm: noop,
  onApply: noop,
  onMore: noop,
  ...over,
});

describe('AuditView', () => {
  it('shows who did what to what, when in the reviewer’s zone, with the detail folded', () => {
    const html = renderToStaticMarkup(<AuditView {...props()} />);
    expect(html).toContain('Times in Europe/Berlin');
    // 09:30:05 UTC is 10:30:05 in Berlin
    expect(html).toMatch(
      /<summary><time dateTime="2026-12-01T09:30:05.000Z" class="audit-time">2026-12-01 10:30:05<\/time><span class="audit-actor">user:root<\/span><span class="audit-action" title="directory.write">wrote to the directory<\/span><span class="audit-target">db:st-org-directory\/policy:team:blue<\/span><\/summary>/,
    );
    expect(html).toMatch(/<details><summary>/); // folded until opened
    expect(html).toContain('<dd>127.0.0.1 — undici</dd>');
    expect(html).toMatch(/<dt>rev<\/dt><dd>2-abc<\/dd>/);
    expect(html).toMatch(/<th scope="row">layer.settings.retention.days<\/th><td>30<\/td><td>90<\/td>/);
    expect(html).toMatch(/<th scope="row">issuedAt<\/th><td>—<\/td><td>1764581405000<\/td>/);
    // an unknown action shows as it is; an unknown origin says so
    expect(html).toContain('title="something.new">something.new<');
    expect(html).toContain('unknown address');
    // filters hold their values; more pages on request
    expect(html).toMatch(/aria-label="Actor" type="text" placeholder="user:root" name="actor" value="user:root"/);
    expect(html).toMatch(/aria-label="From" type="date" name="from" value="2026-11-25"/);
    expect(html).toContain('>Load more</button>');
    expect(html).toContain('2 shown; the last page read 120 entries on the server');
  });

  it('says so when nothing matches, and shows errors in words', () => {
    expect(renderToStaticMarkup(<AuditView {...props({ rows: [], hasMore: false })} />)).toContain(
      'No entries match these filters.',
    );
    const html = renderToStaticMarkup(
      <AuditView
        {...props({
          rows: [],
          error:
            'cannot reach http://127.0.0.1:1: ECONNREFUSED. The audit log is kept on the server: try again when it answers.',
        })}
      />,
    );
    expect(html).toContain('<p role="alert" class="error">cannot reach http://127.0.0.1:1: ECONNREFUSED.');
    expect(html).not.toContain('No entries match');
  });

  it('starts with the last seven days', () => {
    expect(defaultAuditForm(new Date(2026, 11, 6, 12))).toEqual({
      actor: '',
      action: '',
      target: '',
      from: '2026-11-30',
      to: '2026-12-06',
    });
  });
});
