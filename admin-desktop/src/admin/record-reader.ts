/**
 * Reading sealed records as a reviewer: which consolidated database the
 * signed-in role may read and which key opens it, the device signing keys to
 * verify with, and opening every envelope the role's key is a recipient of.
 *
 *   admin / super-admin   st-org-records          organisation key ring
 *   manager               st-team-<team>-records  the team's key ring
 *   hr                    st-hr-attendance        the HR key ring
 *
 * A record whose device key the role may not fetch (an older server refuses
 * HR the device list) is still decrypted, but marked unverified: its
 * signature was not checked.
 */
import {
  dbNames,
  chainHash,
  decodeEnvelope,
  decodePayload,
  EnvelopeOpener,
  fromBase64,
  openerKeys,
  signedDigest,
  validateKeyringDoc,
  verifyChain,
  type ChainIssue,
  type KeyRole,
  type KeyringDoc,
  type PayloadByKind,
  type RecordDoc,
  type DeletedLink,
  type RecordKind,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { AdminError, isAdminError } from './admin-error.js';
import { unlockRing, type KeyCustody } from './key-custody.js';
import type { AdminServer, Me, ReadText } from './ports.js';

export interface ReviewScope {
  role: string;
  db: string;
  keyRole: KeyRole;
  /** Owner of the key ring: the org id (organisation, hr) or the team id. */
  ownerId: string | null;
  teamId: string | null;
}

export function scopeOf(me: Me, opts: { team?: string } = {}): ReviewScope {
  const role = me.role ?? '';
  if (role === 'admin' || role === 'super-admin')
    return { role, db: dbNames.orgRecords, keyRole: 'organisation', ownerId: null, teamId: null };
  if (role === 'hr') return { role, db: dbNames.hrAttendance, keyRole: 'hr', ownerId: null, teamId: null };
  if (role === 'manager') {
    const teams = me.teams ?? [];
    const teamId = opts.team ?? (teams.length === 1 ? teams[0]! : undefined);
    if (!teamId)
      throw new AdminError(
        'bad-input',
        `you manage ${teams.length === 0 ? 'no team' : `several teams (${teams.join(', ')})`}: pass --team`,
      );
    if (!teams.includes(teamId)) throw new AdminError('forbidden', `you do not manage team ${teamId}`);
    return { role, db: dbNames.teamRecords(teamId), keyRole: 'team', ownerId: teamId, teamId };
  }
  throw new AdminError('forbidden', `a ${role || 'device'} account reads no consolidated database`);
}

/**
 * The role's key ring, unlocked: from a file the admin handed over (older
 * set-ups), else from the verified directory (admins), else as the server
 * delivers it to HR and managers, who may not read the directory.
 */
export async function unlockScopeRing(
  deps: { custody: KeyCustody; readText?: ReadText },
  scope: ReviewScope,
  passphrase: string,
  keyringFile?: string,
): Promise<UnlockedKeyring> {
  if (keyringFile) {
    if (!deps.readText)
      throw new AdminError(
        'bad-input',
        `this app reads no files: --keyring-file ${keyringFile} is for the command line`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(await deps.readText(keyringFile)) as unknown;
    } catch (err) {
      throw new AdminError(
        'bad-input',
        `cannot read the key ring ${keyringFile}: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    const v = validateKeyringDoc(raw);
    if (!v.ok) throw new AdminError('tampered', `${keyringFile} is not a valid key ring: ${v.error.message}`);
    if (v.value.role !== scope.keyRole)
      throw new AdminError(
        'bad-input',
        `${keyringFile} is a ${v.value.role} key ring; this review needs the ${scope.keyRole} one`,
      );
    return unlockRing(v.value, passphrase);
  }
  let doc: KeyringDoc;
  try {
    const org = await deps.custody.orgRing();
    if (scope.keyRole === 'organisation') doc = org.doc;
    else doc = await deps.custody.requireRing(scope.keyRole, scope.ownerId ?? org.orgId, org.signPublicKey);
  } catch (err) {
    if (!isAdminError(err, 'forbidden')) throw err;
    const delivered = await deps.custody.deliveredRings(scope.keyRole, scope.ownerId ?? undefined);
    if (delivered.length === 0)
      throw new AdminError(
        'forbidden',
        `the server holds no ${scope.keyRole} key ring for your account: ask an admin to give you the ${scope.role} role${scope.teamId ? ` for team ${scope.teamId}` : ''} (or to create the ring)`,
      );
    doc = delivered[0]!;
  }
  return unlockRing(doc, passphrase);
}

export async function readRecords(client: AdminServer, db: string, employeeId?: string): Promise<RecordDoc[]> {
  const rows = await client.allDocs<Partial<RecordDoc>>(db);
  return rows
    .filter(
      (r): r is typeof r & RecordDoc =>
        typeof r.envelope === 'string' &&
        typeof r.deviceId === 'string' &&
        (employeeId === undefined || r.employeeId === employeeId),
    )
    .sort((a, b) => (a.deviceId === b.deviceId ? a.seq - b.seq : a.deviceId.localeCompare(b.deviceId)));
}

/** deviceId → signing key; null when this role may not see the employee's devices. */
export async function deviceKeys(client: AdminServer, employeeId: string): Promise<Map<string, Uint8Array> | null> {
  try {
    const out = new Map<string, Uint8Array>();
    for (const d of await client.devices(employeeId)) {
      const k = fromBase64(d.signPublicKey, 32);
      if (k.ok && k.value.length === 32) out.set(d.deviceId, k.value);
    }
    return out;
  } catch (err) {
    if (isAdminError(err, 'forbidden')) return null;
    throw err;
  }
}

export interface OpenedRecord<K extends RecordKind = RecordKind> {
  id: string;
  deviceId: string;
  seq: number;
  createdAt: number;
  kind: K;
  payload: PayloadByKind[K];
  /** False when the device key was not available to check the signature. */
  verified: boolean;
}

export interface OpenResult {
  records: OpenedRecord[];
  /** Sealed to keys this role does not hold (expected: e.g. HR cannot read activity). */
  notForUs: number;
  /** Altered, forged or undecodable records. */
  failed: Array<{ id: string; reason: string }>;
}

export function openRecords(
  docs: readonly RecordDoc[],
  ring: UnlockedKeyring,
  keys: Map<string, Uint8Array> | null,
): OpenResult {
  const opener = new EnvelopeOpener(openerKeys(ring));
  const out: OpenResult = { records: [], notForUs: 0, failed: [] };
  for (const d of docs) {
    const bytes = fromBase64(d.envelope);
    if (!bytes.ok) {
      out.failed.push({ id: d.id, reason: bytes.error.message });
      continue;
    }
    const devKey = keys?.get(d.deviceId);
    let opened;
    if (devKey) opened = opener.open(bytes.value, devKey);
    else if (keys !== null) {
      out.failed.push({ id: d.id, reason: `device ${d.deviceId} is not registered for this employee` });
      continue;
    } else {
      // no device keys for this role: decrypt without the signature check (reported as unverified)
      const dec = decodeEnvelope(bytes.value);
      if (!dec.ok) {
        out.failed.push({ id: d.id, reason: dec.error.message });
        continue;
      }
      opened = opener.decrypt({
        ...dec.value,
        hash: chainHash(signedDigest(dec.value.signed), dec.value.envelope.signature),
      });
    }
    if (!opened.ok) {
      if (opened.error.code === 'not-a-recipient') out.notForUs++;
      else out.failed.push({ id: d.id, reason: opened.error.message });
      continue;
    }
    const kind = opened.value.envelope.kind as RecordKind;
    const payload = decodePayload(kind, opened.value.payload);
    if (!payload.ok) {
      out.failed.push({ id: d.id, reason: payload.error.message });
      continue;
    }
    // the kind and exact time come from inside the envelope (v2 documents show only class and hour)
    out.records.push({
      id: d.id,
      deviceId: d.deviceId,
      seq: d.seq,
      createdAt: opened.value.envelope.createdAt,
      kind,
      payload: payload.value,
      verified: devKey !== undefined,
    });
  }
  return out;
}

export interface ChainStatus {
  deviceId: string;
  records: number;
  verified: number;
  ok: boolean;
  /** Issues other than gaps a partial (consolidated, role-filtered) view always has. */
  issues: ChainIssue[];
  /** Gaps in the sequence: real losses in the full view, expected in a filtered one. */
  gaps: number;
  status: 'intact' | 'broken' | 'unverifiable';
}

/** Per device: signatures and links; `complete` says whether the database holds every kind. */
/** `deleted`: links of records deleted on request (verified deletion markers), bridged instead of reported as gaps. */
export function chainStatus(
  docs: readonly RecordDoc[],
  keys: Map<string, Uint8Array> | null,
  complete: boolean,
  deleted: ReadonlyArray<DeletedLink> = [],
): ChainStatus[] {
  const byDevice = new Map<string, RecordDoc[]>();
  for (const d of docs) byDevice.set(d.deviceId, [...(byDevice.get(d.deviceId) ?? []), d]);
  const out: ChainStatus[] = [];
  for (const [deviceId, list] of byDevice) {
    const key = keys?.get(deviceId);
    if (!key) {
      out.push({ deviceId, records: list.length, verified: 0, ok: false, issues: [], gaps: 0, status: 'unverifiable' });
      continue;
    }
    // in seq order: ids are not (screenshot records have their own id range after the others)
    const envelopes = [...list]
      .sort((a, b) => a.seq - b.seq)
      .flatMap((d) => {
        const b = fromBase64(d.envelope);
        return b.ok ? [b.value] : [];
      });
    const report = verifyChain(envelopes, {
      deviceId,
      deviceSignPublicKey: key,
      deleted: deleted.filter((d) => d.deviceId === deviceId),
    });
    // a filtered view lacks other kinds' records, so gaps and the links across them are expected there
    const relevant = report.issues.filter((i) => complete || (i.type !== 'missing' && i.type !== 'broken-link'));
    const gaps = report.issues.filter((i) => i.type === 'missing').length;
    const ok = relevant.length === 0 && envelopes.length === list.length;
    out.push({
      deviceId,
      records: list.length,
      verified: report.verified,
      ok,
      issues: relevant,
      gaps,
      status: ok ? 'intact' : 'broken',
    });
  }
  return out;
}
