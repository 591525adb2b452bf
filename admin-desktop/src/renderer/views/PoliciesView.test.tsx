import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PolicyPreview, PolicyScopeView, PolicyTargets } from '../../api/admin-api.js';
import { PoliciesView, type PoliciesViewProps } from './PoliciesView.js';
import { draftToEdit, EMPTY_DRAFT } from './policy-draft.js';

const targets: PolicyTargets = {
  orgId: 'acme',
  teams: ['blue'],
  employees: [{ employeeId: 'ada', teamId: 'blue' }],
  devices: [{ deviceId: 'dev-1', employeeId: 'ada', name: 'ada-laptop', revoked: false }],
  layers: [],
  refused: [],
};

const view: PolicyScopeView = {
  scope: { level: 'team', id: 'blue' },
  chain: [
    { level: 'organisation', id: 'acme', issuedAt: Date.UTC(2026, 11, 1, 9, 30) },
    { level: 'team', id: 'blue', issuedAt: Date.UTC(2026, 11, 2, 14, 5) },
  ],
  reaches: ['ada'],
  settings: [
    {
      path: 'screenshots.enabled',
      spec: { kind: 'boolean' },
      effective: true,
      source: { level: 'organisation', id: 'acme' },
      lockedHere: false,
      ignored: false,
    },
    {
      path: 'screenshots.perHour',
      spec: { kind: 'integer', min: 0, max: 60 },
      effective: 6,
      own: 12,
      source: { level: 'organisation', id: 'acme' },
      lockedHere: false,
      lockedAbove: { level: 'organisation', id: 'acme' },
      ignored: true,
    },
    {
      path: 'screenshots.excludedApps',
      spec: { kind: 'app-list', maxItems: 500, maxLength: 256 },
      effective: ['keepassxc'],
      own: ['keepassxc'],
      source: { level: 'team', id: 'blue' },
      lockedHere: false,
      ignored: false,
    },
    {
      path: 'retention.days',
      spec: { kind: 'integer', min: 1, max: 3650 },
      effective: 30,
      own: 30,
      source: { level: 'team', id: 'blue' },
      lockedHere: true,
      ignored: false,
    },
    {
      path: 'employeeCanPause',
      spec: { kind: 'boolean' },
      effective: true,
      source: { level: 'default' },
      lockedHere: false,
      ignored: false,
    },
  ],
};

const noop = () => {};
const props = (over: Partial<PoliciesViewProps> = {}): PoliciesViewProps => ({
  targets,
  scope: { level: 'team', id: 'blue' },
  view,
  draft: EMPTY_DRAFT,
  preview: null,
  fieldErrors: {},
  busy: false,
  notice: null,
  confirmingWithdraw: false,
  timeZone: 'UTC',
  onScope: noop,
  onDraft: noop,
  onPreview: noop,
  onPublish: noop,
  onDiscard: noop,
  onWithdraw: noop,
  onCancelWithdraw: noop,
  ...over,
});

const row = (html: string, path: string) => html.split('<tr').find((r) => r.includes(`> ${path}</span>`)) ?? '';

describe('PoliciesView', () => {
  it('shows each setting with its effective value, the level that set it, this level’s typed input and locks', () => {
    const html = renderToStaticMarkup(<PoliciesView {...props()} />);
    expect(html).toContain('Organisation acme: signed Tue 1 Dec, 09:30');
    expect(html).toContain('Team blue: signed Wed 2 Dec, 14:05');
    expect(html).toContain('A layer here reaches: ada');
    // boolean from the organisation, nothing at this level: a select left on inherit
    const enabled = row(html, 'screenshots.enabled');
    expect(enabled).toMatch(/class="policy-effective">On</);
    expect(enabled).toContain('Organisation acme');
    expect(enabled).toMatch(
      /<select aria-label="screenshots.enabled at this level"[^>]*><option value="" selected="">inherit/,
    );
    // integer under a lock above: range, the lock and the ignored own value
    const perHour = row(html, 'screenshots.perHour');
    expect(perHour).toMatch(/type="number"[^>]*min="0" max="60"[^>]*value="12"/);
    expect(perHour).toContain('locked by Organisation acme');
    expect(perHour).toContain('this level&#x27;s 12 has no effect (locked above)');
    expect(perHour).toContain('0–60');
    const apps = row(html, 'screenshots.excludedApps');
    expect(apps).toMatch(/type="text"[^>]*value="keepassxc"/);
    const days = row(html, 'retention.days');
    expect(days).toContain('Team blue');
    expect(days).toMatch(/aria-label="lock retention.days for the levels below" checked=""/);
    expect(days).toContain('aria-label="inherit retention.days"');
    expect(row(html, 'employeeCanPause')).toMatch(/source-default">Default</);
    // nothing edited: nothing to review
    expect(html).toMatch(/<button type="button" disabled="">Review changes<\/button>/);
    expect(html).toContain('Withdraw this layer…');
  });

  it('marks edited rows, shows refusals next to their field, and the diff before publishing', () => {
    const draft = {
      values: {
        'screenshots.perHour': { op: 'set' as const, text: '999' },
        'retention.days': { op: 'clear' as const },
      },
      locks: {},
    };
    const preview: PolicyPreview = {
      changes: [
        {
          path: 'retention.days',
          ownBefore: 30,
          lockedBefore: true,
          lockedAfter: true,
          effectiveBefore: 30,
          effectiveAfter: 90,
        },
      ],
      errors: [
        { path: 'screenshots.perHour', message: 'the policy layer is invalid: screenshots.perHour must be at most 60' },
      ],
      reaches: ['ada'],
    };
    const html = renderToStaticMarkup(
      <PoliciesView
        {...props({ draft, preview, fieldErrors: { 'screenshots.perHour': preview.errors[0]!.message } })}
      />,
    );
    const perHour = row(html, 'screenshots.perHour');
    expect(perHour).toContain('policy-row changed');
    expect(perHour).toMatch(/value="999"/);
    expect(perHour).toContain(
      '<p class="field-error" role="alert" id="err-screenshots.perHour">the policy layer is invalid: screenshots.perHour must be at most 60</p>',
    );
    expect(row(html, 'retention.days')).toContain('back to inherit');
    expect(html).toContain('What publishing changes');
    expect(html).toMatch(
      /<th scope="row">retention.days<\/th><td>30 → inherits<\/td><td>30 → <strong>90<\/strong><\/td><td>locked<\/td>/,
    );
    expect(html).toContain('Signed with the organisation key and sent to: ada');
    // a refused field blocks publishing
    expect(html).toMatch(/<button type="button" disabled="">Publish<\/button>/);
  });

  it('asks before withdrawing, saying who it stops applying to', () => {
    const html = renderToStaticMarkup(<PoliciesView {...props({ confirmingWithdraw: true })} />);
    expect(html).toContain('role="alertdialog"');
    expect(html).toContain(
      'Withdraw the Team blue layer? Its settings stop applying to ada; the levels above decide again.',
    );
    expect(html).toContain('Withdraw and sign');
  });
});

describe('draftToEdit', () => {
  it('turns typed text into values, clears and locks; a malformed number is named', () => {
    const r = draftToEdit(
      { level: 'team', id: 'blue' },
      {
        values: {
          'screenshots.enabled': { op: 'set', text: 'false' },
          'screenshots.excludedApps': { op: 'set', text: 'keepassxc, 1password\nbitwarden' },
          'retention.days': { op: 'clear' },
          'screenshots.perHour': { op: 'set', text: '6.5' },
        },
        locks: { 'retention.days': false, 'screenshots.enabled': true },
      },
      view.settings,
    );
    expect(r.edit).toEqual({
      scope: { level: 'team', id: 'blue' },
      set: { 'screenshots.enabled': false, 'screenshots.excludedApps': ['keepassxc', '1password', 'bitwarden'] },
      clear: ['retention.days'],
      lock: ['screenshots.enabled'],
      unlock: ['retention.days'],
    });
    expect(r.errors).toEqual([{ path: 'screenshots.perHour', message: 'enter a whole number (0–60)' }]);
  });
});
