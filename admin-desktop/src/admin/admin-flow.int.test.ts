// The admin use-cases against a real in-process server and a real agent:
// org init → team → employee → enrollment code → the agent gets its keys →
// a team policy reaches it live → its records sync → HR's view lists the
// correction → the signed decision reaches the agent → the day review with an
// intact chain. Plus the refusals: wrong passphrase, tampered directory, member.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDateOf, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT } from '@sealtime/shared';
import { agentPaths, enrollDevice, startAgent } from '@sealtime/agent/testing';
import { AdminError } from './admin-error.js';
import { login, openContext, type AdminContext, type ContextOptions } from './node/admin-context.js';
import { DIRECTORY_DB, keyringDocId } from './directory-docs.js';
import { initOrganisation } from './org-setup.js';
import { addEmployee, createTeam } from './people-setup.js';
import { issueEnrollmentCode } from './enrollment.js';
import { setPolicy, showPolicy, withdrawPolicy } from './policy-publishing.js';
import { decideCorrection, listCorrections } from './corrections.js';
import { reviewDay } from './review-day.js';
import {
  PASSPHRASE,
  ROOT_PASSWORD,
  startAdminTestServer,
  waitFor,
  type AdminTestServer,
} from './test-support/admin-server.js';

const params = { opsLimit: MIN_OPS_LIMIT, memLimitBytes: MIN_MEM_LIMIT_BYTES };
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function adminSession(
  srv: AdminTestServer,
  userId = 'root',
  password = ROOT_PASSWORD,
): Promise<{ ctx: AdminContext; opts: ContextOptions }> {
  const opts: ContextOptions = { profileDir: await srv.profile(), server: srv.url, params };
  await login(opts, userId, password);
  return { ctx: await openContext(opts), opts };
}

async function server(): Promise<AdminTestServer> {
  const srv = await startAdminTestServer();
  cleanups.push(() => srv.close());
  return srv;
}

async function expectAdminError(p: Promise<unknown>, code: string): Promise<AdminError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminError);
  expect((err as AdminError).code).toBe(code);
  return err as AdminError;
}

describe('sealtime-admin use-cases', () => {
  it('takes a device from enrollment to a reviewed day: keys, team policy, corrections, chain', async () => {
    const srv = await server();
    const { ctx } = await adminSession(srv);
    const init = await initOrganisation(ctx, { orgId: 'acme', passphrase: PASSPHRASE });
    expect(init.fingerprint).toMatch(/^[0-9a-f ]+$/i);
    expect(init.recoveryKeys.map((k) => k.role)).toEqual(['organisation', 'hr']);
    // the directory holds wrapped rings only: no seed, no secret key in the clear
    const dir = await ctx.client.allDocs<Record<string, unknown>>(DIRECTORY_DB);
    expect(dir.map((d) => d._id).sort()).toEqual(['keyring:hr:acme', 'keyring:organisation:acme']);
    expect(JSON.stringify(dir)).not.toMatch(/secret|seed/i);
    await expectAdminError(initOrganisation(ctx, { orgId: 'acme', passphrase: PASSPHRASE }), 'exists');

    await createTeam(ctx, { teamId: 'blue', orgPassphrase: PASSPHRASE, teamPassphrase: 'blue team passphrase' });
    const added = await addEmployee(ctx, {
      employeeId: 'ada',
      teamId: 'blue',
      orgPassphrase: PASSPHRASE,
      employeePassphrase: 'ada own passphrase',
      user: { id: 'ada-user', password: 'member password for A 1' },
    });
    expect(added).toMatchObject({ employeeId: 'ada', teamId: 'blue', inboxCopy: false, userId: 'ada-user' });
    // an organisation layer before anyone is enrolled waits in the directory
    const orgPolicy = await setPolicy(ctx, {
      level: 'organisation',
      id: 'acme',
      set: ['idle.thresholdSeconds=600'],
      lock: ['screenshots.blur'],
      orgPassphrase: PASSPHRASE,
    });
    expect(orgPolicy.notProvisioned).toEqual(['ada']);

    // wrong passphrase: a clear error and no code issued, nothing published
    await expectAdminError(
      issueEnrollmentCode(ctx, { employeeId: 'ada', orgPassphrase: 'not the passphrase at all' }),
      'wrong-passphrase',
    );
    expect((await srv.s.server.engine.nano.db.list()).includes('st-emp-ada-inbox')).toBe(false);

    const code = await issueEnrollmentCode(ctx, { employeeId: 'ada', orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
    expect(code.teamId).toBe('blue');
    expect(code.agentCommand).toBe(`sealtime-agent enroll ${srv.url} ${code.code}`);
    const inbox = await ctx.client.allDocs<{ type: string }>('st-emp-ada-inbox');
    expect(inbox.map((d) => d._id).sort()).toEqual(['keyring:employee:ada', 'policy:organisation:acme', 'recipients']);

    // the real agent enrolls with the code and gets its keys from the signed recipients document
    const agentDir = await mkdtemp(join(tmpdir(), 'st-admin-agent-'));
    cleanups.push(() => rm(agentDir, { recursive: true, force: true }));
    const enrolled = await enrollDevice({
      paths: agentPaths(agentDir),
      serverUrl: srv.url,
      code: code.code,
      name: 'ada-laptop',
    });
    expect(enrolled.orgKeyFingerprint.replace(/\s/g, '')).toBe(init.fingerprint.replace(/\s/g, ''));
    const agent = await startAgent({
      dataDir: agentDir,
      mode: 'run',
      capture: false,
      env: {},
      sync: { minRetryMs: 200, maxRetryMs: 1000, reconcileMs: 200 },
    });
    cleanups.push(() => agent.stop());
    await agent.waitForKeys(30_000);
    await waitFor(
      'the organisation policy on the agent',
      async () => (await agent.status()).policy.sources['idle.thresholdSeconds'] === 'organisation:acme',
    );

    // a team layer reaches the running agent
    const teamPolicy = await setPolicy(ctx, {
      level: 'team',
      id: 'blue',
      set: ['activity.slotSeconds=300', 'screenshots.perHour=6'],
      orgPassphrase: PASSPHRASE,
    });
    expect(teamPolicy.publishedTo).toEqual(['ada']);
    const st = await waitFor('the team policy on the agent', async () => {
      const s = await agent.status();
      return s.policy.sources['activity.slotSeconds'] === 'team:blue' ? s : null;
    });
    expect(st.policy.effective.activity.slotSeconds).toBe(300);
    const shown = await showPolicy(ctx, 'ada');
    expect(shown.sources['activity.slotSeconds']).toBe('team:blue');
    expect(shown.sources['idle.thresholdSeconds']).toBe('organisation:acme');
    expect(shown.sources['retention.days']).toBe('default');
    expect(shown.policy.screenshots.perHour).toBe(6);
    // merging: a second set on the same layer keeps the first one's settings
    await setPolicy(ctx, { level: 'team', id: 'blue', set: ['retention.days=30'], orgPassphrase: PASSPHRASE });
    const merged = await showPolicy(ctx, 'ada');
    expect(merged.policy.activity.slotSeconds).toBe(300);
    expect(merged.sources['retention.days']).toBe('team:blue');
    // a layer is taken away only by a signed withdrawal, which the running agent follows
    await setPolicy(ctx, { level: 'employee', id: 'ada', set: ['retention.days=10'], orgPassphrase: PASSPHRASE });
    await waitFor(
      'the employee layer on the agent',
      async () => (await agent.status()).policy.sources['retention.days'] === 'employee:ada',
    );
    const withdrawn = await withdrawPolicy(ctx, { level: 'employee', id: 'ada', orgPassphrase: PASSPHRASE });
    expect(withdrawn.publishedTo).toEqual(['ada']);
    await waitFor(
      'the employee layer withdrawn on the agent',
      async () => (await agent.status()).policy.sources['retention.days'] === 'team:blue',
    );
    expect((await showPolicy(ctx, 'ada')).sources['retention.days']).toBe('team:blue');
    await expectAdminError(
      withdrawPolicy(ctx, { level: 'employee', id: 'ada', orgPassphrase: PASSPHRASE }),
      'not-found',
    );

    // the employee works and asks for a correction
    const mustOk = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    mustOk(await agent.clockIn());
    mustOk(await agent.breakStart());
    mustOk(await agent.breakEnd());
    const today = localDateOf(Date.now(), TZ);
    const correction = mustOk(
      await agent.requestCorrection({
        date: today,
        change: 'add',
        eventType: 'clock-in',
        at: Date.now() - 3_600_000,
        reason: 'forgot to clock in on arrival',
      }),
    );
    mustOk(await agent.clockOut());
    await waitFor('the backlog to drain', async () => (await agent.status()).backlog.count === 0);

    const pending = await waitFor('the request in st-hr-attendance', async () => {
      const rows = await listCorrections(ctx, { passphrase: PASSPHRASE });
      return rows.length > 0 ? rows : null;
    });
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      requestId: correction.requestId,
      employeeId: 'ada',
      date: today,
      change: 'add',
      eventType: 'clock-in',
      reason: 'forgot to clock in on arrival',
      status: 'pending',
      verified: true,
    });

    const decided = await decideCorrection(ctx, {
      requestId: correction.requestId,
      decision: 'approve',
      comment: 'fine',
      passphrase: PASSPHRASE,
    });
    expect(decided).toMatchObject({
      employeeId: 'ada',
      decision: 'approved',
      docId: `correction-decision:${correction.requestId}`,
    });
    await waitFor('the decision on the agent', async () =>
      (await agent.status()).inbox.decisions.some(
        (d) => d.requestId === correction.requestId && d.decision === 'approved',
      ),
    );
    expect(await listCorrections(ctx, { passphrase: PASSPHRASE })).toEqual([]);
    await expectAdminError(
      decideCorrection(ctx, { requestId: correction.requestId, decision: 'reject', passphrase: PASSPHRASE }),
      'exists',
    );

    // the admin's review of the day, from st-org-records
    const own = (await srv.s.server.engine.nano.use('st-emp-ada-records').list()).rows.filter(
      (r) => !r.id.startsWith('_design/'),
    ).length;
    const review = await waitFor('consolidation into st-org-records', async () => {
      const r = await reviewDay(ctx, { employeeId: 'ada', date: today, timeZone: TZ, passphrase: PASSPHRASE });
      return r.records.total >= own ? r : null;
    });
    expect(review.role).toBe('super-admin');
    expect(review.attendance?.events.map((e) => e.type)).toEqual(['clock-in', 'break-start', 'break-end', 'clock-out']);
    expect(review.attendance?.workedMs).toBeGreaterThanOrEqual(0);
    expect(review.chains).toHaveLength(1);
    expect(review.chains[0]).toMatchObject({ deviceId: enrolled.deviceId, status: 'intact', ok: true, gaps: 0 });
    expect(review.chains[0]!.verified).toBe(own);
    expect(review.records.failed).toEqual([]);
    expect(review.alerts).toEqual([]);
  }, 180_000);

  it('refuses a tampered directory and a member account, publishing nothing', async () => {
    const srv = await server();
    const { ctx } = await adminSession(srv);
    await initOrganisation(ctx, { orgId: 'acme', passphrase: PASSPHRASE });
    await createTeam(ctx, { teamId: 'blue', orgPassphrase: PASSPHRASE, teamPassphrase: 'blue team passphrase' });
    await addEmployee(ctx, {
      employeeId: 'bob',
      teamId: 'blue',
      orgPassphrase: PASSPHRASE,
      employeePassphrase: 'bob own passphrase',
      user: { id: 'bob-user', password: 'member password for B 1' },
    });

    // the server operator swaps the team's public key for one they hold
    const team = (await ctx.client.getDoc<{ generations: Array<{ boxPublicKey: string }> }>(
      DIRECTORY_DB,
      keyringDocId('team', 'blue'),
    ))!;
    const hrRing = (await ctx.client.getDoc<{ generations: Array<{ boxPublicKey: string }> }>(
      DIRECTORY_DB,
      keyringDocId('hr', 'acme'),
    ))!;
    team.generations[0]!.boxPublicKey = hrRing.generations[0]!.boxPublicKey;
    await ctx.client.bulkDocs(DIRECTORY_DB, [team]);
    const err = await expectAdminError(
      issueEnrollmentCode(ctx, { employeeId: 'bob', orgPassphrase: PASSPHRASE }),
      'tampered',
    );
    expect(err.message).toMatch(/team key ring blue.*not signed by the organisation key/);
    expect((await srv.s.server.engine.nano.db.list()).includes('st-emp-bob-inbox')).toBe(false); // no code was issued

    // the organisation ring itself replaced: its key no longer matches the pinned fingerprint
    const orgDoc = (await ctx.client.getDoc<{ generations: Array<{ signPublicKey: string }> }>(
      DIRECTORY_DB,
      keyringDocId('organisation', 'acme'),
    ))!;
    const original = JSON.parse(JSON.stringify(orgDoc)) as typeof orgDoc;
    orgDoc.generations[0]!.signPublicKey = (team.generations[0] as unknown as { signPublicKey: string }).signPublicKey;
    await ctx.client.bulkDocs(DIRECTORY_DB, [orgDoc]);
    await expectAdminError(ctx.custody.unlockOrg(PASSPHRASE), 'tampered');
    const { _rev } = (await ctx.client.getDoc(DIRECTORY_DB, keyringDocId('organisation', 'acme')))!;
    await ctx.client.bulkDocs(DIRECTORY_DB, [{ ...original, _rev }]);
    await ctx.custody.unlockOrg(PASSPHRASE); // restored: opens again

    // a member account may not publish: the server's 403 becomes a clear 'forbidden'
    const member = await adminSession(srv, 'bob-user', 'member password for B 1');
    const refused = await expectAdminError(
      setPolicy(member.ctx, {
        level: 'employee',
        id: 'bob',
        set: ['screenshots.enabled=true'],
        orgPassphrase: PASSPHRASE,
      }),
      'forbidden',
    );
    expect(refused.message).toMatch(/refused \(403\)/);
    expect(await ctx.client.getDoc(DIRECTORY_DB, 'policy:employee:bob')).toBeNull();
  }, 120_000);
});
