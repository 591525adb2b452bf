// The composed agent against the real server, in-process: enrollment over the
// API, keys and policy from the signed inbox, a clock-in that reaches the
// server with a chain that verifies, a policy change applied live, and a
// forged inbox document refused and reported.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RECIPIENTS_DOC_ID,
  activePublicKeys,
  createKeyring,
  createPolicyDocument,
  createRecipientsDocument,
  fromBase64,
  inboxDoc,
  newPwhashParams,
  newSeed,
  openerKeys,
  personKeysFromSeed,
  policyDocId,
  toBase64,
  verifyChain,
} from '@sealtime/shared';
import { startAgent, type AgentHandle } from './compose.js';
import { agentPaths } from './enroll/data-dir.js';
import { enrollDevice } from './enroll/enroll-device.js';
import { controlRequest } from './control/control-client.js';
import type { OwnDataExport } from './export/export-own-data.js';
import { startAgentTestServer, waitFor, type AgentTestServer } from './cli/test-support/agent-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ srv: AgentTestServer; dataDir: string }> {
  const srv = await startAgentTestServer();
  cleanups.push(() => srv.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'st-agent-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return { srv, dataDir };
}

describe('startAgent with a real server', () => {
  it('waits for verified keys, records and syncs a chain that verifies, and applies a later policy live', async () => {
    const { srv, dataDir } = await setup();
    const code = await srv.enrollmentCode('emp-ada', 'team-blue');
    const enrolled = await enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code });
    expect(enrolled).toMatchObject({ employeeId: 'emp-ada', teamId: 'team-blue' });
    expect(statSync(agentPaths(dataDir).keystore).mode & 0o777).toBe(0o600);
    expect(statSync(agentPaths(dataDir).keysDir).mode & 0o777).toBe(0o700);

    // no display: input/window report errors, the rest runs
    const agent: AgentHandle = await startAgent({
      dataDir,
      env: {},
      sync: { minRetryMs: 200, maxRetryMs: 1000, reconcileMs: 200 },
    });
    cleanups.push(() => agent.stop());
    const before = await agent.status();
    expect(before.keys.ready).toBe(false);
    expect(before.capture.state).toBe('waiting-for-keys');
    expect(before.capture.reason).toMatch(/recipients/);
    const refused = await agent.clockIn();
    expect(refused.ok ? 'ok' : refused.error.code).toBe('no-recipients');
    expect(await srv.records('emp-ada')).toEqual([]); // nothing was written in the clear, nor at all

    await srv.putInbox('emp-ada', [
      srv.org.recipients('emp-ada', 'team-blue'),
      srv.org.policy('emp-ada', {
        level: 'organisation',
        id: 'acme',
        settings: { screenshots: { enabled: false }, idle: { thresholdSeconds: 600 } },
      }),
      srv.org.policy('emp-ada', { level: 'team', id: 'team-blue', settings: { activity: { slotSeconds: 300 } } }),
    ]);
    await agent.waitForKeys(20_000);
    const ready = await waitFor('the team policy', async () => {
      const s = await agent.status();
      return s.policy.sources['activity.slotSeconds'] === 'team:team-blue' && s.capture.state === 'running' ? s : null;
    });
    expect(ready.policy.effective.idle.thresholdSeconds).toBe(600);
    expect(ready.policy.sources['idle.thresholdSeconds']).toBe('organisation:acme');
    expect(ready.policy.sources['retention.days']).toBe('default');
    expect(agent.session?.state.screenshots).toBe(false);

    const clocked = await agent.clockIn();
    expect(clocked.ok && clocked.value.state).toBe('working');
    const synced = await waitFor('the backlog to drain', async () => {
      const s = await agent.status();
      return s.backlog.count === 0 && s.lastSyncAt !== null ? s : null;
    });
    expect(synced.connected).toBe(true);

    const onServer = await srv.records('emp-ada');
    expect(onServer.map((r) => r.kind)).toContain('attendance');
    const envelopes = onServer.map((r) => {
      const b = fromBase64(r.envelope);
      if (!b.ok) throw new Error(b.error.message);
      return b.value;
    });
    const report = verifyChain(envelopes, {
      deviceId: enrolled.deviceId,
      deviceSignPublicKey: await srv.signPublicKey(enrolled.deviceId),
    });
    expect(report.ok).toBe(true);

    // the admin switches screenshots on for this employee: applied without a restart
    await srv.policy('emp-ada', {
      level: 'employee',
      id: 'emp-ada',
      settings: { screenshots: { enabled: true, perHour: 30 } },
    });
    const live = await waitFor('the employee policy', async () => {
      const s = await agent.status();
      return s.policy.sources['screenshots.enabled'] === 'employee:emp-ada' ? s : null;
    });
    expect(live.policy.effective.screenshots.perHour).toBe(30);
    await waitFor('screenshots to start', async () => agent.session?.state.screenshots === true);

    // a policy signed by someone else: refused, kept out of the policy, and reported as a record
    const intruder = personKeysFromSeed(newSeed());
    const layer = { level: 'device' as const, id: enrolled.deviceId, settings: { idle: { enabled: false } } };
    const forged = createPolicyDocument(layer, Date.now(), intruder);
    if (!forged.ok) throw new Error(forged.error.message);
    await srv.putInbox('emp-ada', [inboxDoc(policyDocId(layer), 'policy', 'emp-ada', Date.now(), forged.value)]);
    const after = await waitFor('the refusal', async () => {
      const s = await agent.status();
      return s.inbox.refused.some((r) => r.id === policyDocId(layer)) ? s : null;
    });
    expect(after.policy.effective.idle.enabled).toBe(true);
    expect(after.policy.sources['idle.enabled']).toBe('default');
    const alerts = await waitFor('the alert on the server', async () => {
      const recs = await srv.records('emp-ada');
      return recs.filter((r) => r.kind === 'integrity-alert').length >= 1 ? recs : null;
    });
    expect(alerts.filter((r) => r.kind === 'integrity-alert').length).toBeGreaterThanOrEqual(1);

    // the server operator deletes the employee layer (a `_deleted` revision, replicated down):
    // no signed withdrawal, so the layer stays in force and the deletion is reported
    const inbox = srv.s.server.engine.nano.use('st-emp-emp-ada-inbox');
    const employeeLayer = policyDocId({ level: 'employee', id: 'emp-ada' });
    await inbox.destroy(employeeLayer, (await inbox.get(employeeLayer))._rev);
    const kept = await waitFor('the deletion reported', async () => {
      const s = await agent.status();
      return s.inbox.refused.some((r) => r.id === employeeLayer) ? s : null;
    });
    expect(kept.policy.sources['screenshots.enabled']).toBe('employee:emp-ada');
    expect(agent.session?.state.screenshots).toBe(true);
    await waitFor('its alert on the server', async () =>
      (await srv.records('emp-ada')).filter((r) => r.kind === 'integrity-alert').length >= 2 ? true : null,
    );
  }, 120_000);

  it('refuses enrollment when the server names another organisation key than the code', async () => {
    const { srv, dataDir } = await setup();
    const code = await srv.enrollmentCode('emp-bo');
    // the code's fingerprint part is changed by one digit: the server refuses it as altered, or the agent does
    const fp = code.split('.')[2]!;
    const altered = `${code.split('.').slice(0, 2).join('.')}.${(fp[0] === '0' ? '1' : '0') + fp.slice(1)}`;
    await expect(enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code: altered })).rejects.toMatchObject(
      { code: expect.stringMatching(/refused|fingerprint-mismatch/) },
    );
    await expect(
      enrollDevice({ paths: agentPaths(dataDir), serverUrl: 'http://127.0.0.1:9', code }),
    ).rejects.toMatchObject({ code: 'unreachable' });
    const ok = await enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code });
    expect(ok.employeeId).toBe('emp-bo');
    const again = await srv.enrollmentCode('emp-bo');
    await expect(enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code: again })).rejects.toMatchObject({
      code: 'already-enrolled',
    });
    // the server's reason is shown: this code is used up
    await expect(
      enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code, force: true }),
    ).rejects.toMatchObject({
      code: 'refused',
      serverError: 'enrollment-used',
      message: expect.stringMatching(/already used/),
    });
  }, 60_000);
});

describe('the privacy centre export', () => {
  it("decrypts the employee's own records with their key ring, through the socket and through the CLI", async () => {
    const { srv, dataDir } = await setup();
    const code = await srv.enrollmentCode('emp-di');
    const enrolled = await enrollDevice({ paths: agentPaths(dataDir), serverUrl: srv.url, code });
    // the employee's key ring, as the admin side creates it (fast Argon2 parameters for the test)
    const PASS = 'employee ring passphrase 9';
    const ring = createKeyring({
      ownerId: 'emp-di',
      role: 'employee',
      passphrase: PASS,
      now: Date.now(),
      params: newPwhashParams(2, 19 * 1024 * 1024),
    });
    if (!ring.ok) throw new Error(ring.error.message);
    const active = activePublicKeys(ring.value.unlocked.doc)!;
    const pair = (k: { boxPublicKey: Uint8Array; signPublicKey: Uint8Array }) => [
      { boxPublicKey: k.boxPublicKey, signPublicKey: k.signPublicKey },
    ];
    const recipients = createRecipientsDocument(
      {
        employeeId: 'emp-di',
        teamId: null,
        issuedAt: Date.now(),
        keys: { organisation: pair(srv.org.org), hr: pair(srv.org.hr), employee: pair(active) },
      },
      srv.org.org,
    );
    if (!recipients.ok) throw new Error(recipients.error.message);
    await srv.putInbox('emp-di', [inboxDoc(RECIPIENTS_DOC_ID, 'recipients', 'emp-di', Date.now(), recipients.value)]);

    const agent = await startAgent({ dataDir, env: {}, capture: false, sync: { minRetryMs: 200, reconcileMs: 200 } });
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : agent.stop()));
    await agent.waitForKeys(20_000);
    expect((await agent.clockIn()).ok).toBe(true);
    const keyPairs = openerKeys(ring.value.unlocked).map((k) => ({
      publicKey: toBase64(k.publicKey),
      secretKey: toBase64(k.secretKey),
    }));
    const viaSocket = (await controlRequest(agent.paths.controlSocket, 'export', { keyPairs })) as OwnDataExport;
    expect(viaSocket.chain.ok).toBe(true);
    const clockIn = viaSocket.records.find((r) => r.kind === 'attendance');
    expect(clockIn?.payload).toMatchObject({ type: 'clock-in', source: 'manual' });
    // a key that is not the employee's reads nothing
    const stranger = personKeysFromSeed(newSeed());
    const blind = (await controlRequest(agent.paths.controlSocket, 'export', {
      keyPairs: [{ publicKey: toBase64(stranger.boxPublicKey), secretKey: toBase64(stranger.boxSecretKey) }],
    })) as OwnDataExport;
    expect(blind.summary.readable).toBe(0);
    await agent.stop();
    stopped = true;

    // the CLI, with no agent running: key ring file + passphrase from the environment
    const ringFile = join(dataDir, 'ring.json');
    writeFileSync(ringFile, JSON.stringify(ring.value.unlocked.doc));
    const out = join(dataDir, 'export.json');
    const bin = fileURLToPath(new URL('../bin/sealtime-agent.js', import.meta.url));
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [bin, 'export', '--data-dir', dataDir, '--keyring', ringFile, '--out', out],
        { env: { ...process.env, SEALTIME_KEYRING_PASSPHRASE: PASS } },
        (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve()),
      ),
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(out, 'utf8')) as OwnDataExport;
    expect(file.deviceId).toBe(enrolled.deviceId);
    expect(file.records.find((r) => r.kind === 'attendance')?.payload).toMatchObject({ type: 'clock-in' });
    const wrong = await new Promise<number>((resolve) =>
      execFile(
        process.execPath,
        [bin, 'export', '--data-dir', dataDir, '--keyring', ringFile],
        { env: { ...process.env, SEALTIME_KEYRING_PASSPHRASE: 'not the passphrase at all' } },
        (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
      ),
    );
    expect(wrong).toBe(2);
  }, 90_000);
});
