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
import { chainHash, decodeEnvelope, decodePayload, fromBase64, signedDigest, type EnvelopeOpener, type OpenedRecord, type RecordKind } from '@sealtime/shared';
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

export function openReplicaDocs(docs: readonly OpenableRow[], opener: EnvelopeOpener, keysFor: (employeeId: string) => DeviceKeys): OpenOutcome {
  const out: OpenOutcome = { records: [], cannotOpen: 0, problems: [] };
  const problem = (d: OpenableRow, code: RecordProblem['code'], message: string) => out.problems.push({ id: d.id, employeeId: d.employeeId, code, message });
  for (const d of docs) {
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
    const opened = devKey
      ? opener.open(bytes.value, devKey)
      : opener.decrypt({ ...decoded.value, hash: chainHash(signedDigest(decoded.value.signed), decoded.value.envelope.signature) });
    if (!opened.ok) {
      if (opened.error.code === 'not-a-recipient') out.cannotOpen++;
      else problem(d, opened.error.code === 'bad-signature' ? 'bad-signature' : 'undecodable', opened.error.message);
      continue;
    }
    const kind = opened.value.envelope.kind as RecordKind;
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
      createdAt: opened.value.envelope.createdAt,
      payload: payload.value,
      integrity: devKey ? 'ok' : 'unverified',
    } as OpenedRecord);
  }
  return out;
}
