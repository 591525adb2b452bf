import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbNames } from '../provisioning/db-names.js';
import { AuthError } from './auth-errors.js';
import { REDACTED } from '../audit/json-diff.js';
import { PASSWORD, startAuthFixture, type AuthFixture } from './test-support/auth-fixture.js';

async function expectAuthError(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).code).toBe(code);
}

describe('account administration (real PouchDB server)', () => {
  let f: AuthFixture;
  let root: Awaited<ReturnType<AuthFixture['personWith']>>;
  let admin: Awaited<ReturnType<AuthFixture['personWith']>>;

  beforeAll(async () => {
    f = await startAuthFixture();
    root = await f.personWith('root', 'super-admin');
    admin = await f.personWith('adam', 'admin');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('creates accounts with a hashed password and never returns the hash', async () => {
    const u = await f.users.createUser(admin.actor, {
      id: 'hanna',
      role: 'hr',
      password: 'a fine long password',
      employeeId: 'e-hanna',
    });
    expect(u).toMatchObject({ id: 'hanna', role: 'hr', teams: [], employeeId: 'e-hanna', disabled: false });
    expect('passwordHash' in u).toBe(false);
    const doc = (await f.server.nano.use(dbNames.system).get('user:hanna')) as unknown as {
      value: { passwordHash: string };
    };
    expect(doc.value.passwordHash).toMatch(/^argon2id\$/);
    expect((await f.users.listUsers()).map((x) => x.id).sort()).toEqual(['adam', 'hanna', 'root']);
  });

  it('refuses weak passwords, bad ids, bad roles and duplicates', async () => {
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'weak', role: 'member', password: 'short' }),
      'weak-password',
    );
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'Bad Id', role: 'member', password: PASSWORD }),
      'invalid-input',
    );
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'x1', role: 'owner' as never, password: PASSWORD }),
      'invalid-input',
    );
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'x2', role: 'manager', password: PASSWORD, teams: ['T 1'] }),
      'invalid-input',
    );
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'hanna', role: 'member', password: PASSWORD }),
      'conflict',
    );
  });

  it('admins cannot create or change admins; super-admins can; members cannot manage anyone', async () => {
    await expectAuthError(
      f.users.createUser(admin.actor, { id: 'eve', role: 'admin', password: PASSWORD }),
      'forbidden',
    );
    await f.users.createUser(root.actor, { id: 'eve', role: 'admin', password: PASSWORD });
    await expectAuthError(f.users.updateUser(admin.actor, 'eve', { disabled: true }), 'forbidden');
    await expectAuthError(f.users.updateUser(admin.actor, 'hanna', { role: 'super-admin' }), 'forbidden');
    const member = await f.personWith('mo', 'member', { employeeId: 'e-mo' });
    await expectAuthError(
      f.users.createUser(member.actor, { id: 'mo2', role: 'member', password: PASSWORD }),
      'forbidden',
    );
    await expectAuthError(f.users.updateUser(root.actor, 'root', { role: 'member' }), 'forbidden');
    await expectAuthError(f.users.updateUser(admin.actor, 'nobody', { disabled: true }), 'not-found');
  });

  it('audits changes as a diff with the password hash redacted', async () => {
    await f.users.updateUser(admin.actor, 'hanna', { role: 'manager', teams: ['t1'] });
    await f.users.updateUser(admin.actor, 'hanna', { role: 'manager', teams: ['t1'] }); // no change, no entry
    const entries = await f.auditEntries();
    const updates = entries.filter((e) => e.action === 'user.update' && e.target === 'user:hanna');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actor: 'user:adam', ip: '127.0.0.1', userAgent: 'vitest' });
    expect(updates[0]!.diff.filter((d) => d.path !== 'updatedAt')).toEqual([
      { path: 'role', from: 'hr', to: 'manager' },
      { path: 'teams', from: [], to: ['t1'] },
    ]);
    const created = entries.find((e) => e.action === 'user.create' && e.target === 'user:hanna')!;
    expect(created.diff).toContainEqual({ path: 'passwordHash', to: REDACTED });
    expect(JSON.stringify(entries)).not.toContain('argon2id$');
  });

  it('disabling an account ends its sessions and blocks login', async () => {
    const { token } = await f.sessions.login('hanna', 'a fine long password', '10.0.0.1', null);
    await f.users.updateUser(admin.actor, 'hanna', { disabled: true });
    expect(await f.identity.authenticate({ authorization: `Bearer ${token}` }, 'x')).toBeNull();
    await expectAuthError(f.sessions.login('hanna', 'a fine long password', '10.0.0.1', null), 'invalid-credentials');
    await f.users.updateUser(admin.actor, 'hanna', { disabled: false });
    // Re-enabling does not revive old sessions.
    expect(await f.identity.authenticate({ authorization: `Bearer ${token}` }, 'x')).toBeNull();
    await f.sessions.login('hanna', 'a fine long password', '10.0.0.1', null);
  });

  it('changing a password needs the current one for oneself, ends sessions, and the new one works', async () => {
    const member = await f.personWith('pia', 'member');
    await expectAuthError(
      f.users.setPassword(member.actor, 'pia', 'a new strong password', 'wrong current pw'),
      'invalid-credentials',
    );
    await expectAuthError(f.users.setPassword(member.actor, 'pia', 'short', PASSWORD), 'weak-password');
    await f.users.setPassword(member.actor, 'pia', 'a new strong password', PASSWORD);
    expect(await f.identity.authenticate({ authorization: `Bearer ${member.token}` }, 'x')).toBeNull();
    await expectAuthError(f.sessions.login('pia', PASSWORD, '10.0.0.1', null), 'invalid-credentials');
    await f.sessions.login('pia', 'a new strong password', '10.0.0.1', null);
    // An admin may reset it without the current one; a member may not reset someone else's.
    await f.users.setPassword(admin.actor, 'pia', 'reset by the admin 1');
    await expectAuthError(f.users.setPassword(member.actor, 'adam', 'a new strong password', PASSWORD), 'forbidden');
    await f.sessions.login('pia', 'reset by the admin 1', '10.0.0.1', null);
  });
});
