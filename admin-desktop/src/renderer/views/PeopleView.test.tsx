import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PeopleAdminView } from '../../api/admin-api.js';
import { OneTimeSecrets } from '../shell/PeopleScreen.js';
import { DevicesView, lastContact } from './DevicesView.js';
import { PeopleView } from './PeopleView.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const noop = () => {};

const adminView: PeopleAdminView = {
  canManage: true,
  role: 'super-admin',
  source: 'server',
  fetchedAt: NOW,
  orgFingerprint: '0fa5 2300 c2c6 6ebd 3a3f 4820 a9f3 e066',
  accounts: [
    {
      userId: 'cleo',
      role: 'member',
      teams: ['blue'],
      employeeId: 'cleo',
      displayName: 'Cleo Park',
      disabled: true,
      totpEnabled: false,
      createdAt: NOW,
      liveSessions: 0,
    },
    {
      userId: 'mona',
      role: 'manager',
      teams: ['blue', 'green'],
      employeeId: null,
      displayName: null,
      disabled: false,
      totpEnabled: true,
      createdAt: NOW,
      liveSessions: 2,
    },
    {
      userId: 'root',
      role: 'super-admin',
      teams: [],
      employeeId: null,
      displayName: null,
      disabled: false,
      totpEnabled: false,
      createdAt: NOW,
      liveSessions: null,
    },
  ],
  teams: [
    {
      teamId: 'blue',
      managers: ['mona'],
      members: [
        { employeeId: 'ada', displayName: 'Ada Lovelace' },
        { employeeId: 'cleo', displayName: 'Cleo Park' },
      ],
    },
    { teamId: 'green', managers: [], members: [] },
  ],
  devices: [
    {
      deviceId: 'dev-aaaa',
      employeeId: 'ada',
      displayName: 'Ada Lovelace',
      name: 'ada-laptop',
      platform: 'linux',
      enrolledAt: NOW - 86_400_000,
      lastSeenAt: NOW - 3 * 60_000,
      revokedAt: null,
    },
    {
      deviceId: 'dev-bbbb',
      employeeId: 'cleo',
      displayName: 'Cleo Park',
      name: null,
      platform: null,
      enrolledAt: NOW,
      lastSeenAt: null,
      revokedAt: NOW,
    },
  ],
};

const people = (view: PeopleAdminView) =>
  renderToStaticMarkup(
    <PeopleView
      view={view}
      self="root"
      busy={false}
      onInvite={noop}
      onSetRole={noop}
      onSetDisabled={noop}
      onResetPassword={noop}
      onRevokeSessions={noop}
      onCreateTeam={noop}
    />,
  );

describe('PeopleView', () => {
  it('lists accounts with role, teams, status and sessions, and the admin controls', () => {
    const html = people(adminView);
    expect(html).toContain('aria-label="invite"');
    expect(html).toContain('aria-label="create team"');
    // five roles in each role picker
    expect(html.match(/<option value="hr">HR<\/option>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).toMatch(/cleo<span class="muted small"> Cleo Park<\/span>/);
    expect(html).toContain('<select aria-label="role of mona"');
    expect(html).toMatch(/aria-label="teams of mona"[^>]*value="blue, green"/);
    expect(html).toContain('badge badge-rejected">Disabled');
    expect(html).toContain('>Enable<');
    expect(html).toContain('badge">2FA');
    // an account whose sessions this admin may not see: a dash, not 0
    expect(html).toMatch(/<td class="num">—<\/td>/);
    expect(html).toMatch(/<td class="num">2<\/td>/);
    expect(html.match(/>Reset password</g)).toHaveLength(3);
    expect(html.match(/>Revoke sessions</g)).toHaveLength(3);
    // the signed-in account cannot disable itself or end its own sessions here
    expect(html).toMatch(/<button class="secondary" disabled="">Disable<\/button><\/td><\/tr><\/tbody>/);
  });

  it('shows teams with their managers and members by name', () => {
    const html = people(adminView);
    expect(html).toMatch(/<th scope="row">blue<\/th><td>mona<\/td><td>Ada Lovelace, Cleo Park<\/td>/);
    expect(html).toMatch(/<th scope="row">green<\/th><td><span class="muted">none<\/span><\/td>/);
  });

  it('a manager gets the teams read-only: no account table, no control', () => {
    const html = people({ ...adminView, canManage: false, role: 'manager', accounts: [], orgFingerprint: null });
    expect(html).not.toContain('<form');
    expect(html).not.toContain('<select');
    expect(html).not.toContain('Reset password');
    expect(html).toContain('Ada Lovelace, Cleo Park');
  });
});

describe('DevicesView', () => {
  const devices = (view: PeopleAdminView, code: Parameters<typeof DevicesView>[0]['code'] = null) =>
    renderToStaticMarkup(
      <DevicesView view={view} now={NOW} busy={false} code={code} onIssueCode={noop} onRevoke={noop} />,
    );

  it('shows each device with its person, last contact and status; only live ones can be revoked', () => {
    const html = devices(adminView);
    expect(html).toContain('1 active, 1 revoked');
    expect(html).toMatch(
      /ada-laptop <span class="muted small">dev-aaaa<\/span><\/th><td>Ada Lovelace<\/td><td>linux<\/td><td title="[^"]+">3 minutes ago<\/td>/,
    );
    expect(html).toMatch(/dev-bbbb<\/span><\/th><td>Cleo Park<\/td><td>—<\/td><td>never<\/td>/);
    expect(html.match(/>Revoke</g)).toHaveLength(1);
  });

  it('shows the org fingerprint with a copy button, and an issued code with its command', () => {
    const html = devices(adminView, {
      code: 'ABCD-EFGH-JKLM',
      employeeId: 'cleo',
      teamId: 'blue',
      expiresAt: NOW + 3_600_000,
      fingerprint: adminView.orgFingerprint!,
      agentCommand: 'sealtime-agent enroll https://sync.example.org ABCD-EFGH-JKLM',
    });
    expect(html).toContain('<code class="fingerprint">0fa5 2300 c2c6 6ebd 3a3f 4820 a9f3 e066</code>');
    expect(html).toContain('aria-label="Copy fingerprint"');
    expect(html).toContain('<code class="secret">ABCD-EFGH-JKLM</code>');
    expect(html).toContain('aria-label="Copy command"');
    expect(html).toContain('sealtime-agent enroll https://sync.example.org ABCD-EFGH-JKLM');
    // the employee picker lists members by name
    expect(html).toContain('<option value="cleo">Cleo Park (cleo)</option>');
  });

  it('a manager sees devices without enrollment or revoke', () => {
    const html = devices({ ...adminView, canManage: false });
    expect(html).not.toContain('Enrollment');
    expect(html).not.toContain('>Revoke<');
    expect(html).toContain('ada-laptop');
  });

  it('writes last contact in words', () => {
    const d = adminView.devices[0]!;
    expect(lastContact({ ...d, lastSeenAt: NOW - 10_000 }, NOW)).toBe('just now');
    expect(lastContact({ ...d, lastSeenAt: NOW - 2 * 86_400_000 }, NOW)).toBe('2 days ago');
    expect(lastContact({ ...d, lastSeenAt: null }, NOW)).toBe('never');
  });
});

describe('OneTimeSecrets', () => {
  it('shows each secret once with a copy button and says it is kept nowhere', () => {
    const html = renderToStaticMarkup(
      <OneTimeSecrets
        secret={{
          title: 'Account dora invited',
          items: [
            ['Temporary password', 'abcde-fghjk'],
            ['Recovery key', 'RK-1'],
          ],
        }}
        onDismiss={noop}
      />,
    );
    expect(html).toContain('shown once');
    expect(html).toContain('<code class="secret">abcde-fghjk</code>');
    expect(html).toContain('aria-label="Copy temporary password"');
    expect(html).toContain('aria-label="Copy recovery key"');
  });
});
