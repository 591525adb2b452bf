/**
 * Opening replica rows into OpenedRecord values: pure (no I/O). Each envelope
 * is verified against its device's enrolled signing key, decrypted with the
 * role's unlocked keys and its payload decoded. Who wrote it, what it is and
 * when it was made come from the signed envelope, never from the clear row.
 *
 *   sealed to keys this role lacks   → counted in cannotOpen, never shown
 *   forged, altered, unparsable      → a problem (id + code), never shown as data
 *   no device key for this role      → opened, integrity 'unverified'
 */
import {
  chainHash,
  decodeEnvelope,
  decodePayload,
  fromBase64,
  signedDigest,
  type DecodedEnvelope,
  type EnvelopeOpener,
  type OpenedRecord,
  type RecordKind,
} from '@sealtime/shared';
import type { ReplicaDoc } from './replica-store.js';

export interface RecordProblem {
  id: string;
  employeeId: string;
  code: 'bad-signature' | 'unknown-device' | 'undecodable';
  message: string;
}

export interface OpenOutcome {
  records: OpenedRecord[];
  cannotOpen: number;
  problems: RecordProblem[];
}

/** deviceId → Ed25519 public key; null when this role may not see devices. */
export type DeviceKeys = ReadonlyMap<string, Uint8Array> | null;

/** What opening reads of a replica row (the rest is only for finding it). */
export type OpenableRow = Pick<ReplicaDoc, 'id' | 'employeeId' | 'deviceId' | 'seq' | 'envelope'> & Partial<ReplicaDoc>;

export function openReplicaDocs(
  docs: readonly OpenableRow[],
  opener: EnvelopeOpener,
  keysFor: (employeeId: string) => DeviceKeys,
): OpenOutcome {
  const out: OpenOutcome = { records: [], cannotOpen: 0, problems: [] };
  // problems are reported in row order, though found in two passes
  const found: Array<{ at: number; problem: RecordProblem }> = [];
  let at = 0;
  const problem = (d: OpenableRow, code: RecordProblem['code'], message: string) =>
    found.push({ at, problem: { id: d.id, employeeId: d.employeeId, code, message } });
  // first the clear checks, row by row; then every verifiable row opened in one openMany, which
  // verifies a device's linked run of envelopes with one signature check instead of one per record
  const checked: Array<{
    at: number;
    d: OpenableRow;
    bytes: Uint8Array;
    decoded: DecodedEnvelope;
    devKey: Uint8Array | undefined;
  }> = [];
  for (const [i, d] of docs.entries()) {
    at = i;
    const bytes = fromBase64(d.envelope);
    if (!bytes.ok) {
      problem(d, 'undecodable', bytes.error.message);
      continue;
    }
    const decoded = decodeEnvelope(bytes.value);
    if (!decoded.ok) {
      problem(d, 'undecodable', decoded.error.message);
      continue;
    }
    const env = decoded.value.envelope;
    // the clear row is only an index: it must agree with the signed header
    if (env.deviceId !== d.deviceId || env.employeeId !== d.employeeId || env.seq !== d.seq) {
      problem(d, 'bad-signature', `${d.id}: the stored routing fields disagree with the signed envelope`);
      continue;
    }
    const keys = keysFor(env.employeeId);
    const devKey = keys?.get(env.deviceId);
    if (keys && !devKey) {
      problem(d, 'unknown-device', `device ${env.deviceId} is not enrolled for ${env.employeeId}`);
      continue;
    }
    checked.push({ at, d, bytes: bytes.value, decoded: decoded.value, devKey });
  }
  const withKey = checked.filter((c) => c.devKey);
  const verifiedResults = opener.openMany(withKey.map((c) => ({ bytes: c.bytes, deviceSignPublicKey: c.devKey! })));
  let next = 0;
  for (const { at: row, d, decoded, devKey } of checked) {
    at = row;
    const opened = devKey
      ? verifiedResults[next++]!
      : opener.decrypt({ ...decoded, hash: chainHash(signedDigest(decoded.signed), decoded.envelope.signature) });
    if (!opened.ok) {
      if (opened.error.code === 'not-a-recipient') out.cannotOpen++;
      else problem(d, opened.error.code === 'bad-signature' ? 'bad-signature' : 'undecodable', opened.error.message);
      continue;
    }
    const env = opened.value.envelope;
    const kind = env.kind as RecordKind;
    const payload = decodePayload(kind, opened.value.payload);
    if (!payload.ok) {
      problem(d, 'undecodable', payload.error.message);
      continue;
    }
    out.records.push({
      id: d.id,
      deviceId: env.deviceId,
      employeeId: env.employeeId,
      seq: env.seq,
      kind,
      createdAt: env.createdAt,
      payload: payload.value,
      integrity: devKey ? 'ok' : 'unverified',
    } as OpenedRecord);
  }
  out.problems = found.sort((a, b) => a.at - b.at).map((f) => f.problem);
  return out;
}
