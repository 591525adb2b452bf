/**
 * The recipients document: which public keys an employee's device seals to,
 * signed by the organisation. The server hands it to the device, but cannot
 * forge or swap it: the device pins the organisation signing key by the
 * fingerprint its enrollment code carried (typed in by a person, out of the
 * server's reach) and accepts a document only if that key signed it.
 *
 * Each role lists its current key generations (several during a rotation):
 * `box` is the X25519 key records are sealed to, `sign` the Ed25519 key that
 * holder signs decisions with.
 */
import { fromBase64, toBase64 } from '../envelope/codec.js';
import { fingerprint } from '../envelope/hash.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument, type DocumentSignature } from '../keys/signed-document.js';
import type { RecipientRole } from '../records/record-kinds.js';

export const RECIPIENTS_FORMAT = 'sealtime-recipients' as const;
export const RECIPIENT_ROLES: readonly RecipientRole[] = ['organisation', 'team', 'hr', 'employee'];
const MAX_KEYS_PER_ROLE = 8;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface RecipientKeyText {
  box: string;
  sign: string;
}

export interface RecipientsDocument {
  format: typeof RECIPIENTS_FORMAT;
  v: 1;
  employeeId: string;
  teamId: string | null;
  issuedAt: number;
  /** base64url Ed25519 key of the organisation; its fingerprint is in the enrollment code. */
  orgSignPublicKey: string;
  keys: Record<RecipientRole, RecipientKeyText[]>;
  signature: DocumentSignature;
}

export interface RecipientKeyPair {
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
}

export interface VerifiedRecipients {
  employeeId: string;
  teamId: string | null;
  issuedAt: number;
  orgSignPublicKey: Uint8Array;
  keys: Record<RecipientRole, RecipientKeyPair[]>;
}

export interface RecipientsInput {
  employeeId: string;
  teamId: string | null;
  issuedAt: number;
  keys: Partial<Record<RecipientRole, readonly RecipientKeyPair[]>>;
}

/** Fingerprints compare as 32 hex digits whatever the grouping they were typed with. */
export function sameFingerprint(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(n(a)) && n(a) === n(b);
}

export function createRecipientsDocument(
  input: RecipientsInput,
  org: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): KeyResult<RecipientsDocument> {
  if (!ID.test(input.employeeId)) return keyFail('malformed-document', 'employeeId must be a short id');
  if (input.teamId !== null && !ID.test(input.teamId))
    return keyFail('malformed-document', 'teamId must be a short id or null');
  const keys = {} as Record<RecipientRole, RecipientKeyText[]>;
  for (const role of RECIPIENT_ROLES) {
    const list = input.keys[role] ?? [];
    if (list.length > MAX_KEYS_PER_ROLE)
      return keyFail('malformed-document', `at most ${MAX_KEYS_PER_ROLE} ${role} keys`);
    keys[role] = list.map((k) => ({ box: toBase64(k.boxPublicKey), sign: toBase64(k.signPublicKey) }));
  }
  if (keys.organisation.length === 0) return keyFail('malformed-document', 'the organisation must be a recipient');
  const doc = {
    format: RECIPIENTS_FORMAT,
    v: 1 as const,
    employeeId: input.employeeId,
    teamId: input.teamId,
    issuedAt: input.issuedAt,
    orgSignPublicKey: toBase64(org.signPublicKey),
    keys,
  };
  return signDocument(doc, org.signPublicKey, org.signSecretKey);
}

function key32(text: unknown, what: string): KeyResult<Uint8Array> {
  const b = fromBase64(text, 32);
  if (!b.ok || b.value.length !== 32) return keyFail('malformed-document', `${what} is not a base64url 32-byte key`);
  return { ok: true, value: b.value };
}

/**
 * Checks a recipients document for `employeeId` against the organisation key
 * fingerprint the device pinned at enrollment. Never throws.
 */
export function verifyRecipientsDocument(
  input: unknown,
  expected: { orgKeyFingerprint: string; employeeId: string },
): KeyResult<VerifiedRecipients> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a recipients document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== RECIPIENTS_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 recipients document');
  const org = key32(d.orgSignPublicKey, 'orgSignPublicKey');
  if (!org.ok) return org;
  if (!sameFingerprint(fingerprint(org.value), expected.orgKeyFingerprint)) {
    return keyFail(
      'untrusted-signer',
      'the organisation key in this document is not the one named by the enrollment code',
    );
  }
  const sig = verifyDocument(d, [org.value]);
  if (!sig.ok) return sig;
  if (d.employeeId !== expected.employeeId)
    return keyFail('malformed-document', `the document is for ${String(d.employeeId)}, not ${expected.employeeId}`);
  if (d.teamId !== null && (typeof d.teamId !== 'string' || !ID.test(d.teamId)))
    return keyFail('malformed-document', 'teamId must be a short id or null');
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const rawKeys = d.keys;
  if (typeof rawKeys !== 'object' || rawKeys === null) return keyFail('malformed-document', 'keys must be an object');
  const keys = {} as Record<RecipientRole, RecipientKeyPair[]>;
  for (const role of RECIPIENT_ROLES) {
    const list = (rawKeys as Record<string, unknown>)[role];
    if (!Array.isArray(list) || list.length > MAX_KEYS_PER_ROLE)
      return keyFail('malformed-document', `keys.${role} must be a list of at most ${MAX_KEYS_PER_ROLE}`);
    keys[role] = [];
    for (const k of list as unknown[]) {
      const box = key32((k as RecipientKeyText)?.box, `keys.${role}.box`);
      if (!box.ok) return box;
      const sign = key32((k as RecipientKeyText)?.sign, `keys.${role}.sign`);
      if (!sign.ok) return sign;
      keys[role].push({ boxPublicKey: box.value, signPublicKey: sign.value });
    }
  }
  if (keys.organisation.length === 0) return keyFail('malformed-document', 'the organisation must be a recipient');
  return {
    ok: true,
    value: {
      employeeId: expected.employeeId,
      teamId: d.teamId as string | null,
      issuedAt: d.issuedAt as number,
      orgSignPublicKey: org.value,
      keys,
    },
  };
}
