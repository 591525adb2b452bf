/**
 * An organisation to review, on a real server: set up with the admin
 * use-cases (org, team, employees, HR and manager accounts), each employee's
 * device enrolled with the agent's real enrollment, and several days of
 * records sealed with the shared DeviceSealer the agent's recorder uses
 * (records chain + a separate image chain), pushed with the device's own
 * credential through the gateway, which verifies and consolidates them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeviceSealer,
  encodePayload,
  hourOf,
  RECIPIENTS,
  RECIPIENTS_DOC_ID,
  toBase64,
  toHex,
  toRecordDoc,
  verifyRecipientsDocument,
  zonedTimeToEpoch,
  type PayloadByKind,
  type RecordKind,
} from '@sealtime/shared';
import { agentPaths, enrollDevice, unlockAgentKeystore } from '@sealtime/agent/testing';
import { login, openContext, type AdminContext } from '../../admin/node/admin-context.js';
import { DIRECTORY_DB, keyringDocId } from '../../admin/directory-docs.js';
import { issueEnrollmentCode } from '../../admin/enrollment.js';
import { initOrganisation } from '../../admin/org-setup.js';
import { addEmployee, createTeam } from '../../admin/people-setup.js';
import {
  lowParams,
  PASSPHRASE,
  ROOT_PASSWORD,
  startAdminTestServer,
  type AdminTestServer,
} from '../../admin/test-support/admin-server.js';

export { PASSPHRASE, ROOT_PASSWORD };
export const TEAM_PASSPHRASE = 'blue team passphrase';
export const HR_USER = { id: 'helen', password: 'human resources secret 1' };
export const MANAGER_USER = { id: 'mona', password: 'team lead secret pass 1' };

export interface ReviewOrg {
  srv: AdminTestServer;
  ctx: AdminContext;
  dates: string[];
  people: string[];
  /** Records pushed per employee (all kinds). */
  pushed: Map<string, number>;
  screenshots: Map<string, string[]>;
  correctionRequestId: string;
  /** Exported key ring files (wrapped), as an admin hands them over. */
  hrRingFile: string;
  teamRingFile: string;
  close(): Promise<void>;
}

const PNG_1x1 = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** The passphrase of a team other than 'blue' (opts.teams). */
export const teamPassphrase = (teamId: string): string =>
  teamId === 'blue' ? TEAM_PASSPHRASE : `${teamId} team passphrase`;

/** `teams`: employee → team for those not in 'blue' (the manager's team); other teams are created, with no manager. */
export async function createReviewOrg(opts: {
  people: string[];
  dates: string[];
  timeZone: string;
  teams?: Record<string, string>;
  /** The first person also states a manual time entry (id 'mt-<person>-1', first date 17:00–18:00) naming this approver. */
  manualApproval?: 'none' | 'manager' | 'hr';
  /** The project that manual entry names (none by default). */
  manualProject?: { projectId: string; taskId?: string };
}): Promise<ReviewOrg> {
  const srv = await startAdminTestServer();
  const tmp = await mkdtemp(join(tmpdir(), 'st-review-org-'));
  const params = await lowParams();
  const copts = {
    profileDir: await srv.profile(),
    server: srv.url,
    params: { opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes },
  };
  await login(copts, 'root', ROOT_PASSWORD);
  const ctx = await openContext(copts);
  const init = await initOrganisation(ctx, { orgId: 'acme', passphrase: PASSPHRASE });
  await createTeam(ctx, { teamId: 'blue', orgPassphrase: PASSPHRASE, teamPassphrase: TEAM_PASSPHRASE });
  for (const teamId of new Set(Object.values(opts.teams ?? {}).filter((t) => t !== 'blue')))
    await createTeam(ctx, { teamId, orgPassphrase: PASSPHRASE, teamPassphrase: teamPassphrase(teamId) });
  await ctx.client.createUser({ id: HR_USER.id, password: HR_USER.password, role: 'hr' });
  await ctx.client.createUser({
    id: MANAGER_USER.id,
    password: MANAGER_USER.password,
    role: 'manager',
    teams: ['blue'],
  });
  const ringFile = async (role: 'hr' | 'team', owner: string) => {
    const {
      _id: _i,
      _rev: _r,
      ...doc
    } = (await ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, keyringDocId(role, owner)))!;
    const file = join(tmp, `${role}-${owner}.json`);
    await writeFile(file, JSON.stringify(doc));
    return file;
  };

  const pushed = new Map<string, number>();
  const screenshots = new Map<string, string[]>();
  let correctionRequestId = '';
  for (const [i, employeeId] of opts.people.entries()) {
    await addEmployee(ctx, {
      employeeId,
      teamId: opts.teams?.[employeeId] ?? 'blue',
      orgPassphrase: PASSPHRASE,
      employeePassphrase: `${employeeId} own passphrase`,
    });
    const code = await issueEnrollmentCode(ctx, { employeeId, orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
    const paths = agentPaths(join(tmp, `agent-${employeeId}`));
    await enrollDevice({ paths, serverUrl: srv.url, code: code.code, name: `${employeeId}-laptop` });
    const device = await unlockAgentKeystore(paths);
    const inbox = (await ctx.client.getDoc<{ doc: unknown }>(`st-emp-${employeeId}-inbox`, RECIPIENTS_DOC_ID))!;
    const rec = verifyRecipientsDocument(inbox.doc, { orgKeyFingerprint: init.fingerprint, employeeId });
    if (!rec.ok) throw new Error(rec.error.message);
    const keysFor = (kind: RecordKind) =>
      RECIPIENTS[kind].flatMap((role) => rec.value.keys[role]?.map((k) => k.boxPublicKey) ?? []);

    const sealer = new DeviceSealer(device.identity);
    const imageSealer = new DeviceSealer(device.identity);
    const records: Array<Record<string, unknown>> = [];
    const blobs: Array<Record<string, unknown>> = [];
    const seal = <K extends RecordKind>(kind: K, payload: PayloadByKind[K], at: number) => {
      const p = encodePayload(kind, payload);
      if (!p.ok) throw new Error(p.error.message);
      const s = sealer.seal(kind, p.value, keysFor(kind), at);
      if (!s.ok) throw new Error(s.error.message);
      const d = toRecordDoc(s.value.bytes);
      if (!d.ok) throw new Error(d.error.message);
      const { id, ...rest } = d.value;
      records.push({ _id: id, ...rest });
      return id;
    };
    const shots: string[] = [];
    for (const date of opts.dates) {
      const start = zonedTimeToEpoch(date, `0${8 + (i % 2)}:00`, opts.timeZone);
      seal('attendance', { v: 1, at: start, type: 'clock-in', source: 'agent' }, start);
      for (let k = 0; k < 12; k++) {
        const t = start + k * 600_000;
        seal(
          'activity-slot',
          {
            v: 1,
            start: t,
            slotSeconds: 600,
            activeSeconds: 300 + 20 * k,
            keyPresses: 100 + k,
            clicks: 20,
            mouseMoves: 300,
            scrolls: 5,
          },
          t + 600_000,
        );
      }
      seal('app-event', { v: 1, start, durationMs: 3_600_000, app: 'Editor', title: 'notes.md' }, start + 3_600_000);
      seal('app-event', { v: 1, start: start + 3_600_000, durationMs: 3_600_000, app: 'Browser' }, start + 7_200_000);
      const shotAt = start + 1_800_000;
      const img = imageSealer.seal('screenshot-image', PNG_1x1, keysFor('screenshot'), shotAt);
      if (!img.ok) throw new Error(img.error.message);
      const blobId = `${device.identity.deviceId}:${String(img.value.seq).padStart(12, '0')}`;
      blobs.push({
        _id: blobId,
        deviceId: device.identity.deviceId,
        employeeId,
        hour: hourOf(shotAt),
        envelope: toBase64(img.value.bytes),
        bytes: img.value.bytes.length,
      });
      shots.push(
        seal(
          'screenshot',
          {
            v: 1,
            takenAt: shotAt,
            screen: 0,
            width: 1,
            height: 1,
            format: 'png',
            blurred: false,
            blobId,
            blobBytes: img.value.bytes.length,
            blobHash: toHex(img.value.hash),
            app: 'Editor',
          },
          shotAt,
        ),
      );
      seal(
        'attendance',
        { v: 1, at: start + 8 * 3_600_000, type: 'clock-out', source: 'agent' },
        start + 8 * 3_600_000,
      );
    }
    if (i === 0) {
      correctionRequestId = `req-${employeeId}-1`;
      const date = opts.dates[0]!;
      const at = zonedTimeToEpoch(date, '07:30', opts.timeZone);
      seal(
        'correction-request',
        {
          v: 1,
          requestId: correctionRequestId,
          date,
          change: 'add',
          eventType: 'clock-in',
          at,
          reason: 'forgot to clock in',
        },
        zonedTimeToEpoch(date, '18:00', opts.timeZone),
      );
    }
    if (i === 0 && opts.manualApproval) {
      const date = opts.dates[0]!;
      seal(
        'manual-time',
        {
          v: 1,
          entryId: `mt-${employeeId}-1`,
          start: zonedTimeToEpoch(date, '17:00', opts.timeZone),
          end: zonedTimeToEpoch(date, '18:00', opts.timeZone),
          note: 'client visit',
          approval: opts.manualApproval,
          ...(opts.manualProject ? { project: opts.manualProject } : {}),
        },
        zonedTimeToEpoch(date, '18:30', opts.timeZone),
      );
    }
    const auth = `Basic ${Buffer.from(`${device.identity.deviceId}:${device.deviceCredential}`).toString('base64')}`;
    for (const [db, docs] of [
      [`st-emp-${employeeId}-blobs`, blobs],
      [`st-emp-${employeeId}-records`, records],
    ] as const) {
      const res = await fetch(`${srv.url}/${db}/_bulk_docs`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ docs, new_edits: true }),
      });
      const body = (await res.json()) as Array<{ error?: string; reason?: string }>;
      const bad = Array.isArray(body) ? body.filter((r) => r.error) : [body];
      if (!res.ok || bad.length > 0) throw new Error(`push to ${db} failed: ${res.status} ${JSON.stringify(bad[0])}`);
    }
    pushed.set(employeeId, records.length);
    screenshots.set(employeeId, shots);
  }
  return {
    srv,
    ctx,
    dates: opts.dates,
    people: opts.people,
    pushed,
    screenshots,
    correctionRequestId,
    hrRingFile: await ringFile('hr', 'acme'),
    teamRingFile: await ringFile('team', 'blue'),
    async close() {
      await srv.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
