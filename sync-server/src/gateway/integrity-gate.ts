/**
 * The gateway's integrity wall for a device's sealed writes: verifies a
 * `_bulk_docs` batch (record-integrity.ts) with the device's enrolled key,
 * reading the stored neighbours it needs in one keyed `_all_docs`, and turns
 * a failure into a refusal of the whole request plus one audit entry with
 * action `integrity.alert` (who, device, db, seq, reason) — the alert admins
 * list at GET /_sealtime/api/alerts.
 *
 * Stored neighbours are verified too: one that does not verify (written
 * before this wall existed, or straight into the engine) is not trusted as a
 * chain anchor and is itself reported.
 */
import type { AuditSink } from '../audit/audit-log.js';
import type { DevicePrincipal } from '../auth/principal.js';
import type { ParsedDbName } from '../provisioning/db-names.js';
import { GatewayError } from './gateway-errors.js';
import {
  blobIdOf,
  checkChain,
  linkOf,
  neighbourIds,
  planStoredRead,
  verifyWrites,
  type ChainLink,
  type IntegrityFailure,
} from './record-integrity.js';
import { dbPath, readUpstream, type Upstream } from './upstream.js';

export const INTEGRITY_ALERT_ACTION = 'integrity.alert';

export interface SealedBatch {
  upstream: Upstream;
  audit?: AuditSink;
  principal: DevicePrincipal;
  dbName: string;
  db: ParsedDbName;
  docs: ReadonlyArray<{ docId: string; doc: Record<string, unknown>; deleting: boolean }>;
  /** `new_edits: false` writes revisions as given: same-id records are compared too (forks). */
  newEdits?: boolean;
  ip: string;
}

/** Decoded device keys: base64url text → bytes, bounded. */
const keyCache = new Map<string, Uint8Array>();
function keyBytes(text: string): Uint8Array | null {
  let k = keyCache.get(text);
  if (!k) {
    const b = Buffer.from(text, 'base64url');
    if (b.length !== 32) return null;
    k = new Uint8Array(b);
    if (keyCache.size >= 10_000) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(text, k);
  }
  return k;
}

interface StoredRow {
  id?: string;
  doc?: Record<string, unknown> | null;
}

/** Runs one `_all_docs` read for readStored; any failure is the engine's. */
async function allDocsRows(upstream: Upstream, dbName: string, query: URLSearchParams, keys?: string[]) {
  try {
    const res = await upstream.request({
      method: keys ? 'POST' : 'GET',
      path: dbPath(dbName, '/_all_docs'),
      query,
      ...(keys ? { body: { keys } } : {}),
    });
    const raw = await readUpstream(res);
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    return (JSON.parse(raw.toString('utf8')) as { rows?: StoredRow[] }).rows ?? [];
  } catch {
    throw new GatewayError(
      'service_unavailable',
      'the chain of these records could not be checked: the engine did not answer; try again shortly',
    );
  }
}

async function readStored(
  upstream: Upstream,
  dbName: string,
  deviceId: string,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (ids.length === 0) return out;
  const wanted = new Set(ids);
  const plan = planStoredRead(deviceId, ids);
  const reads = plan.ranges.map((r) =>
    allDocsRows(
      upstream,
      dbName,
      new URLSearchParams({ startkey: JSON.stringify(r.from), endkey: JSON.stringify(r.to), include_docs: 'true' }),
    ),
  );
  if (plan.keyed.length > 0)
    reads.push(allDocsRows(upstream, dbName, new URLSearchParams({ include_docs: 'true' }), plan.keyed));
  // a range brings the stored records between the wanted ones too: only the wanted are looked at
  for (const rows of await Promise.all(reads))
    for (const r of rows)
      if (r.doc && typeof r.id === 'string' && wanted.has(r.id) && r.doc._deleted !== true) out.set(r.id, r.doc);
  return out;
}

function alert(b: SealedBatch, f: IntegrityFailure, extra: Record<string, unknown> = {}): void {
  b.audit?.record({
    actor: `device:${b.principal.deviceId}`,
    action: INTEGRITY_ALERT_ACTION,
    target: `db:${b.dbName}/${f.docId}`,
    ip: b.ip,
    details: {
      code: f.code,
      deviceId: b.principal.deviceId,
      employeeId: b.principal.employeeId,
      db: b.dbName,
      seq: f.seq,
      reason: f.reason,
      ...extra,
    },
  });
}

/**
 * Standing conditions (a device without an enrolled key, a stored record
 * that does not verify) are met again on every retry: alerted once per
 * process, not once per request.
 */
const alertedOnce = new Set<string>();
function alertOnce(b: SealedBatch, what: string, f: IntegrityFailure, extra: Record<string, unknown>): void {
  const k = `${b.dbName}/${what}`;
  if (alertedOnce.has(k)) return;
  if (alertedOnce.size >= 10_000) alertedOnce.delete(alertedOnce.values().next().value!);
  alertedOnce.add(k);
  alert(b, f, extra);
}

function refuse(b: SealedBatch, f: IntegrityFailure): never {
  alert(b, f, { outcome: 'refused' });
  throw new GatewayError(f.code, f.reason);
}

/** Resolves when every sealed document of the batch verifies and fits the chain; throws the refusal otherwise. */
export async function checkSealedBatch(b: SealedBatch): Promise<void> {
  const writes = b.docs.filter((d) => !d.deleting);
  if (writes.length === 0 || (b.db.kind !== 'employee-records' && b.db.kind !== 'employee-blobs')) return;
  const deviceId = b.principal.deviceId;
  const key = b.principal.signPublicKey ? keyBytes(b.principal.signPublicKey) : null;
  if (!key) {
    const f: IntegrityFailure = {
      code: 'forged_record',
      docId: writes[0]!.docId,
      seq: null,
      reason: `device ${deviceId} has no enrolled signing key: its records cannot be verified; enroll it again`,
    };
    alertOnce(b, `no-key:${deviceId}`, f, { outcome: 'refused' });
    throw new GatewayError('forbidden', f.reason);
  }

  const verified = verifyWrites(writes, deviceId, key, b.db.kind === 'employee-blobs' ? blobIdOf : undefined);
  if (!verified.ok) refuse(b, verified.failure);
  if (b.db.kind !== 'employee-records') return; // images: signature only

  const links = verified.links;
  const ids = neighbourIds(links, deviceId);
  if (b.newEdits === false) for (const l of links) ids.push(l.docId);
  const storedDocs = await readStored(b.upstream, b.dbName, deviceId, ids);
  const stored = new Map<number, ChainLink>();
  for (const [id, doc] of storedDocs) {
    const r = linkOf(id, doc.envelope, deviceId, key);
    if (r.ok) stored.set(r.link.seq, r.link);
    // a stored record that does not verify is no anchor; it is reported, and the write goes on
    else alertOnce(b, `stored:${id}`, r.failure, { outcome: 'stored record does not verify' });
  }
  const problem = checkChain(links, stored);
  if (problem) refuse(b, problem);
}
