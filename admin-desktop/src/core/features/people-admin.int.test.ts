// The "People and devices" feature of the admin core against a real server
// (createReviewOrg: embedded engine, enrolled devices, sealed records): the
// list, invite, disable, reset, revoke sessions, enrollment code, team and
// device revocation, each checked by what the server then does (a login, a
// token, a device push), and the manager / HR refused with 'forbidden'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECIPIENTS_DOC_ID } from '@sealtime/shared';
import { agentPaths, enrollDevice, unlockAgentKeystore } from '@sealtime/agent/testing';
import type { ApiError, PeopleAdminView } from '../../api/admin-api.js';
import { DIRECTORY_DB, employeeDocId } from '../../admin/directory-docs.js';
import { unlockRing } from '../../admin/key-custody.js';
import { ServerClient } from '../../admin/node/server-client.js';
import { lowParams } from '../../admin/test-support/admin-server.js';
import { AdminCore } from '../admin-core.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';

let org: ReviewOrg;
let orgFingerprint: string;
const dirs: string[] = [];
const cores: AdminCore[] = [];
/** Added to the offline test's core clock: its fetched copy ages past the freshness window. */
let clockSkew = 0;
let serverStopped = false;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01'], timeZone: 'UTC' });
  orgFingerprint = (await org.ctx.custody.orgRing()).fingerprint;
}, 240_000);
afterAll(async () => {
  await closeCores();
  if (serverStopped)
    await rm(org.srv.dir, { recursive: true, force: true }); // the offline test closed the server already
  else await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'st-people-'));
  dirs.push(d);
  return d;
}

/** One core at a time: each holds its replica's RxDB database open under the same name. */
async function closeCores(): Promise<void> {
  for (const c of cores.splice(0)) await c.close();
}

async function openCore(user: string, password: string, passphrase: string, keyringFile?: string): Promise<AdminCore> {
  await closeCores();
  const p = await lowParams();
  const core = new AdminCore({
    dataDir: await newDir(),
    timeZone: 'UTC',
    params: { opsLimit: p.opsLimit, memLimitBytes: p.memLimitBytes },
    ...(keyringFile ? { keyringFile } : {}),
  });
  cores.push(core);
  await core.start();
  await core.request('signIn', { serverUrl: org.srv.url, user, password });
  await core.request('unlock', { passphrase });
  return core;
}

/** The first peopleAdmin value `accept` takes, or the error the core sends. */
function view(
  core: AdminCore,
  accept: (v: PeopleAdminView) => boolean = () => true,
  o: { refresh?: boolean; timeoutMs?: number } = {},
): Promise<PeopleAdminView> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  // what the screen's Refresh button does: fetch again (a device's contact is written in the background)
  const poll = o.refresh
    ? setInterval(() => void core.request('refreshPeopleAdmin', {}).catch(() => undefined), 500)
    : null;
  return new Promise<PeopleAdminView>((resolve, reject) => {
    let last: unknown;
    const timer = setTimeout(() => {
      unsub();
      reject(
        new Error(`no accepted peopleAdmin value in ${timeoutMs} ms; last ${JSON.stringify(last)?.slice(0, 400)}`),
      );
    }, timeoutMs);
    const unsub = core.subscribe(
      'peopleAdmin',
      {},
      (v) => {
        last = v;
        if (!accept(v)) return;
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        resolve(v);
      },
      (e: ApiError) => {
        clearTimeout(timer);
        queueMicrotask(() => unsub());
        reject(Object.assign(new Error(`${e.code}: ${e.message}`), { code: e.code }));
      },
    );
  }).finally(() => {
    if (poll) clearInterval(poll);
  });
}

/** The API error code a request ends with (as the dispatcher would send it), or null when it succeeds. */
async function codeOf(p: Promise<unknown>, core?: AdminCore): Promise<string | null> {
  return p.then(
    () => null,
    (e: unknown) => (core ? core.toApiError(e).code : ((e as { code?: string }).code ?? String(e))),
  );
}

const client = () => new ServerClient({ url: org.srv.url });
const loginCode = (user: string, password: string) => codeOf(client().login(user, password));

describe('people and devices (admin core, real server)', () => {
  let admin: AdminCore;

  it('lists accounts with roles, teams with their managers and members, devices with last contact, and the org fingerprint', async () => {
    admin = await openCore('root', ROOT_PASSWORD, PASSPHRASE);
    const v = await view(admin);
    expect(v.canManage).toBe(true);
    expect(v.source).toBe('server');
    expect(v.orgFingerprint).toBe(orgFingerprint);
    expect(v.accounts.map((a) => [a.userId, a.role])).toEqual([
      [HR_USER.id, 'hr'],
      [MANAGER_USER.id, 'manager'],
      ['root', 'super-admin'],
    ]);
    expect(v.accounts.find((a) => a.userId === 'root')!.liveSessions).toBeGreaterThanOrEqual(1);
    expect(v.teams).toEqual([
      {
        teamId: 'blue',
        managers: [MANAGER_USER.id],
        members: [
          { employeeId: 'ada', displayName: 'ada' },
          { employeeId: 'bob', displayName: 'bob' },
        ],
      },
    ]);
    expect(v.devices.map((d) => [d.employeeId, d.name, d.revokedAt])).toEqual([
      ['ada', 'ada-laptop', null],
      ['bob', 'bob-laptop', null],
    ]);
    // each device pushed its records with its own credential: the server saw it
    for (const d of v.devices) expect(d.lastSeenAt).toEqual(expect.any(Number));
  });

  let cleoPassword = '';
  it('invites an employee: account with a one-time password, key ring, signed directory entry with the display name', async () => {
    const r = await admin.request('inviteUser', {
      userId: 'cleo',
      role: 'member',
      employeeId: 'cleo',
      teams: ['blue'],
      displayName: 'Cleo Park',
    });
    expect(r.temporaryPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(r.employee).toMatchObject({
      employeeId: 'cleo',
      recoveryKey: expect.any(String),
      keyringPassphrase: expect.any(String),
    });
    cleoPassword = r.temporaryPassword;
    expect(await loginCode('cleo', cleoPassword)).toBeNull();
    // the ring opens with the passphrase shown once
    const ring = await org.ctx.custody.requireRing('employee', 'cleo', (await org.ctx.custody.orgRing()).signPublicKey);
    expect(() => unlockRing(ring, r.employee!.keyringPassphrase)).not.toThrow();
    const entry = await org.ctx.client.getDoc<{ displayName?: string; teamId: string; signature?: unknown }>(
      DIRECTORY_DB,
      employeeDocId('cleo'),
    );
    expect(entry).toMatchObject({ displayName: 'Cleo Park', teamId: 'blue', signature: expect.anything() });
    // reviewers see the name
    expect((await admin.request('people', {})).find((p) => p.employeeId === 'cleo')?.displayName).toBe('Cleo Park');
    const v = await view(admin, (x) => x.accounts.some((a) => a.userId === 'cleo'));
    expect(v.accounts.find((a) => a.userId === 'cleo')).toMatchObject({
      role: 'member',
      employeeId: 'cleo',
      displayName: 'Cleo Park',
      disabled: false,
    });
    expect(v.teams[0]!.members.map((m) => m.displayName)).toEqual(['ada', 'bob', 'Cleo Park']);
  });

  it('an invitation for a taken account id is refused and creates nothing', async () => {
    expect(
      await codeOf(
        admin.request('inviteUser', { userId: HR_USER.id, role: 'member', employeeId: 'dan', teams: ['blue'] }),
        admin,
      ),
    ).toBe('invalid-input');
    expect(await org.ctx.custody.exists('employee', 'dan')).toBe(false);
    expect(await loginCode(HR_USER.id, HR_USER.password)).toBeNull();
  });

  it('disable: the account cannot log in and its live token is refused; enable restores it', async () => {
    const token = (await client().login('cleo', cleoPassword)).token;
    expect(await admin.request('setUserDisabled', { userId: 'cleo', disabled: true })).toEqual({
      userId: 'cleo',
      disabled: true,
    });
    expect(await loginCode('cleo', cleoPassword)).toBe('not-logged-in');
    expect(await codeOf(client().withToken(token).me())).toBe('not-logged-in');
    expect(
      (await view(admin, (x) => x.accounts.find((a) => a.userId === 'cleo')?.disabled === true)).accounts.length,
    ).toBe(4);
    await admin.request('setUserDisabled', { userId: 'cleo', disabled: false });
    expect(await loginCode('cleo', cleoPassword)).toBeNull();
  });

  it('reset password: a new one-time password works, the old one is refused', async () => {
    const r = await admin.request('resetUserPassword', { userId: 'cleo' });
    expect(r.temporaryPassword).not.toBe(cleoPassword);
    expect(await loginCode('cleo', cleoPassword)).toBe('not-logged-in');
    expect(await loginCode('cleo', r.temporaryPassword)).toBeNull();
    cleoPassword = r.temporaryPassword;
  });

  it('revoke sessions: every token of the account is refused at once', async () => {
    const a = (await client().login('cleo', cleoPassword)).token;
    const b = (await client().login('cleo', cleoPassword)).token;
    expect((await client().withToken(a).me()).userId).toBe('cleo');
    const r = await admin.request('revokeUserSessions', { userId: 'cleo' });
    expect(r.ended).toBeGreaterThanOrEqual(2);
    expect(await codeOf(client().withToken(a).me())).toBe('not-logged-in');
    expect(await codeOf(client().withToken(b).me())).toBe('not-logged-in');
    // the password still works: only sessions ended
    expect(await loginCode('cleo', cleoPassword)).toBeNull();
  });

  it('an enrollment code carries the org fingerprint, publishes the recipients document, and enrolls a device; revoking it refuses its next push', async () => {
    const code = await admin.request('issueEnrollmentCode', { employeeId: 'cleo', ttlHours: 1 });
    expect(code.fingerprint).toBe(orgFingerprint);
    expect(code.agentCommand).toContain(code.code);
    expect(code.expiresAt).toBeGreaterThan(Date.now());
    expect(await org.ctx.client.getDoc('st-emp-cleo-inbox', RECIPIENTS_DOC_ID)).not.toBeNull();

    const paths = agentPaths(await newDir());
    await enrollDevice({ paths, serverUrl: org.srv.url, code: code.code, name: 'cleo-desktop' });
    const device = await unlockAgentKeystore(paths);
    const auth = {
      authorization: `Basic ${Buffer.from(`${device.identity.deviceId}:${device.deviceCredential}`).toString('base64')}`,
      'content-type': 'application/json',
    };
    const push = () =>
      fetch(`${org.srv.url}/st-emp-cleo-records/_bulk_docs`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ docs: [] }),
      });
    expect((await push()).status).toBeLessThan(300);

    const v = await view(
      admin,
      (x) => x.devices.some((d) => d.deviceId === device.identity.deviceId && d.lastSeenAt !== null),
      { refresh: true },
    );
    expect(v.devices.find((d) => d.deviceId === device.identity.deviceId)).toMatchObject({
      employeeId: 'cleo',
      displayName: 'Cleo Park',
      name: 'cleo-desktop',
      revokedAt: null,
    });

    const r = await admin.request('revokeDevice', { deviceId: device.identity.deviceId });
    expect(r.revokedAt).toEqual(expect.any(Number));
    expect((await push()).status).toBe(401);
    const after = await view(
      admin,
      (x) => x.devices.find((d) => d.deviceId === device.identity.deviceId)?.revokedAt !== null,
      { refresh: true },
    );
    expect(after.devices.filter((d) => d.revokedAt === null).map((d) => d.employeeId)).toEqual(['ada', 'bob']);
  });

  it('creates a team: its ring opens with the passphrase shown once, and it is listed', async () => {
    const r = await admin.request('createTeam', { teamId: 'green' });
    const ring = await org.ctx.custody.requireRing('team', 'green', (await org.ctx.custody.orgRing()).signPublicKey);
    expect(() => unlockRing(ring, r.passphrase)).not.toThrow();
    expect(r.recoveryKey.length).toBeGreaterThan(20);
    const v = await view(admin, (x) => x.teams.some((t) => t.teamId === 'green'));
    expect(v.teams.find((t) => t.teamId === 'green')).toEqual({ teamId: 'green', managers: [], members: [] });
  });

  it('changes a role: the manager gets a second team; an admin may not promote to admin', async () => {
    expect(
      await admin.request('setUserRole', { userId: MANAGER_USER.id, role: 'manager', teams: ['blue', 'green'] }),
    ).toEqual({ userId: MANAGER_USER.id, role: 'manager', teams: ['blue', 'green'] });
    await admin.request('setUserRole', { userId: MANAGER_USER.id, role: 'manager', teams: ['blue'] });
    const pw = 'second admin long password';
    await org.ctx.client.createUser({ id: 'adele', password: pw, role: 'admin' });
    const adele = await openCore('adele', pw, PASSPHRASE);
    expect(await codeOf(adele.request('setUserRole', { userId: 'cleo', role: 'admin' }), adele)).toBe('forbidden');
    // and cannot see a super-admin's sessions: shown as unknown, not as zero
    const v = await view(adele);
    expect(v.accounts.find((a) => a.userId === 'root')!.liveSessions).toBeNull();
    expect(v.accounts.find((a) => a.userId === 'cleo')!.liveSessions).toEqual(expect.any(Number));
  });

  it('a manager sees their team read-only and is refused every change; HR sees nothing and is refused', async () => {
    const manager = await openCore(MANAGER_USER.id, MANAGER_USER.password, TEAM_PASSPHRASE, org.teamRingFile);
    await manager.awaitInSync();
    const v = await view(manager, (x) => x.devices.length >= 2);
    expect(v.canManage).toBe(false);
    expect(v.accounts).toEqual([]);
    expect(v.devices.map((d) => d.employeeId)).toEqual(expect.arrayContaining(['ada', 'bob']));
    expect(v.teams.map((t) => t.teamId)).toEqual(['blue']);
    const sessionsBefore = (await org.ctx.client.sessions('cleo')).filter((s) => s.state === 'live').length;
    for (const attempt of [
      manager.request('inviteUser', { userId: 'eve', role: 'member', employeeId: 'eve', teams: ['blue'] }),
      manager.request('resetUserPassword', { userId: 'cleo' }),
      manager.request('revokeUserSessions', { userId: 'cleo' }),
      manager.request('revokeDevice', { deviceId: v.devices[0]!.deviceId }),
      manager.request('issueEnrollmentCode', { employeeId: 'ada' }),
    ])
      expect(await codeOf(attempt, manager)).toBe('forbidden');
    // nothing changed: cleo's account, sessions and password, ada's devices (logins are rate-limited per account: checked without one)
    expect((await org.ctx.client.users()).find((u) => u.id === 'cleo')).toMatchObject({
      disabled: false,
      role: 'member',
    });
    expect((await org.ctx.client.sessions('cleo')).filter((s) => s.state === 'live').length).toBe(sessionsBefore);
    expect((await org.ctx.client.devices('ada')).every((d) => d.revokedAt === null)).toBe(true);

    const hr = await openCore(HR_USER.id, HR_USER.password, PASSPHRASE, org.hrRingFile);
    expect(await codeOf(view(hr))).toBe('forbidden');
    expect(await codeOf(hr.request('setUserDisabled', { userId: 'cleo', disabled: true }), hr)).toBe('forbidden');
    expect((await org.ctx.client.users()).find((u) => u.id === 'cleo')?.disabled).toBe(false);
  });

  it('with the server unreachable the last fetched list is shown, marked as kept', async () => {
    await closeCores();
    const dir = await newDir();
    const p = await lowParams();
    const core = new AdminCore({
      dataDir: dir,
      timeZone: 'UTC',
      params: { opsLimit: p.opsLimit, memLimitBytes: p.memLimitBytes },
      now: () => Date.now() + clockSkew,
    });
    cores.push(core);
    await core.start();
    await core.request('signIn', { serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
    await core.request('unlock', { passphrase: PASSPHRASE });
    const online = await view(core);
    expect(online.source).toBe('server');
    // the fetched copy is older than the freshness window, and the server stops
    clockSkew = 60_000;
    await org.srv.s.close();
    serverStopped = true;
    const offline = await view(core, (x) => x.source === 'kept');
    expect(offline.accounts.map((a) => a.userId)).toEqual(online.accounts.map((a) => a.userId));
    expect(await codeOf(core.request('resetUserPassword', { userId: 'cleo' }), core)).toBe('server-unreachable');
  });
});
