/**
 * Schedules and holiday lists as signed organisation documents in the
 * directory (`schedule:<level>:<id>`, `holidays:<orgId>`), like policy
 * layers: the organisation key signs, every reader verifies against the key
 * it pinned, so the server (which stores them in the clear) can neither
 * forge nor alter one. A document that fails is refused, never used.
 *
 * Each document also names its signer's public key (`signer`, covered by the
 * signature): a reviewer that holds no organisation key (HR, managers) pins
 * the first one it sees, as the admin app pins the organisation fingerprint,
 * and refuses any other from then on. That key is only a candidate: verify
 * still checks the signature against the keys the caller trusts.
 */
import { fromBase64, toBase64 } from '../envelope/codec.js';
import { keyFail, type KeyResult } from '../keys/key-errors.js';
import { signDocument, verifyDocument } from '../keys/signed-document.js';
import {
  SCHEDULE_LEVELS,
  type HolidayList,
  type ScheduleLayer,
  type ScheduleScope,
  type ScheduleVersion,
} from './schedule-types.js';
import { validateHolidayDates, validateScheduleVersion } from './validate-schedule.js';
import { HOLIDAYS_DOC_PREFIX, SCHEDULE_DOC_PREFIX, holidaysDocId, scheduleDocId } from './schedule-ids.js';

export { HOLIDAYS_DOC_PREFIX, SCHEDULE_DOC_PREFIX, holidaysDocId, scheduleDocId };

export const SCHEDULE_FORMAT = 'sealtime-schedule' as const;
export const HOLIDAYS_FORMAT = 'sealtime-holidays' as const;

type Signer = { signPublicKey: Uint8Array; signSecretKey: Uint8Array };

function checkVersions(versions: unknown): string | undefined {
  if (!Array.isArray(versions) || versions.length === 0 || versions.length > 500)
    return 'a schedule document holds 1 to 500 versions';
  for (const [i, v] of versions.entries()) {
    const problems = validateScheduleVersion(v);
    if (problems.length > 0) return `version ${i}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`;
  }
  const froms = versions.map((v: ScheduleVersion) => v.effectiveFrom);
  // strictly ascending: one version per date, so the one in force on a date is never ambiguous
  if (froms.some((f, i) => i > 0 && f <= froms[i - 1]!))
    return 'versions must be in ascending effective-from order, one per date';
  return undefined;
}

/** Adds `version` to a layer's history: it replaces every version from its date on. */
export function withVersion(previous: readonly ScheduleVersion[], version: ScheduleVersion): ScheduleVersion[] {
  return [...previous.filter((v) => v.effectiveFrom < version.effectiveFrom), version];
}

export function createScheduleDocument(layer: ScheduleLayer, signer: Signer): KeyResult<Record<string, unknown>> {
  const problem = checkVersions(layer.versions);
  if (problem) return keyFail('malformed-document', `schedule ${layer.level} ${layer.id}: ${problem}`);
  const plain = JSON.parse(JSON.stringify(layer.versions)) as ScheduleVersion[]; // canonical JSON needs plain data
  return signDocument(
    {
      format: SCHEDULE_FORMAT,
      v: 1 as const,
      level: layer.level,
      id: layer.id,
      issuedAt: layer.issuedAt,
      versions: plain,
      signer: toBase64(signer.signPublicKey),
    },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

/** The layer a stored document holds, if signed by a trusted key, well-formed and stored under its own id. */
export function verifyScheduleDocument(
  docId: string,
  input: unknown,
  trusted: readonly Uint8Array[],
): KeyResult<ScheduleLayer> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a schedule document is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== SCHEDULE_FORMAT || d.v !== 1)
    return keyFail('malformed-document', 'not a version 1 schedule document');
  const sig = verifyDocument(d, trusted);
  if (!sig.ok) return sig;
  if (!(SCHEDULE_LEVELS as readonly unknown[]).includes(d.level) || typeof d.id !== 'string')
    return keyFail('malformed-document', 'a schedule names its level and id');
  const scope = { level: d.level as ScheduleScope['level'], id: d.id };
  // a valid signature on another scope's document, copied here, must not apply here
  if (scheduleDocId(scope) !== docId)
    return keyFail('malformed-document', `it holds the schedule of ${scope.level} ${scope.id}, not ${docId}`);
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const problem = checkVersions(d.versions);
  if (problem) return keyFail('malformed-document', problem);
  return { ok: true, value: { ...scope, issuedAt: d.issuedAt as number, versions: d.versions as ScheduleVersion[] } };
}

export function createHolidaysDocument(list: HolidayList, signer: Signer): KeyResult<Record<string, unknown>> {
  const problems = validateHolidayDates(list.dates);
  if (problems.length > 0)
    return keyFail('malformed-document', `holidays: ${problems.map((p) => p.message).join('; ')}`);
  return signDocument(
    {
      format: HOLIDAYS_FORMAT,
      v: 1 as const,
      orgId: list.orgId,
      issuedAt: list.issuedAt,
      dates: [...list.dates].sort(),
      signer: toBase64(signer.signPublicKey),
    },
    signer.signPublicKey,
    signer.signSecretKey,
  );
}

export function verifyHolidaysDocument(
  docId: string,
  input: unknown,
  trusted: readonly Uint8Array[],
): KeyResult<HolidayList> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return keyFail('malformed-document', 'a holiday list is a JSON object');
  const d = input as Record<string, unknown>;
  if (d.format !== HOLIDAYS_FORMAT || d.v !== 1) return keyFail('malformed-document', 'not a version 1 holiday list');
  const sig = verifyDocument(d, trusted);
  if (!sig.ok) return sig;
  if (typeof d.orgId !== 'string' || holidaysDocId(d.orgId) !== docId)
    return keyFail('malformed-document', `it is not the holiday list stored as ${docId}`);
  if (!Number.isSafeInteger(d.issuedAt) || (d.issuedAt as number) < 0)
    return keyFail('malformed-document', 'issuedAt must be a time in ms');
  const problems = validateHolidayDates(d.dates);
  if (problems.length > 0) return keyFail('malformed-document', problems.map((p) => p.message).join('; '));
  return { ok: true, value: { orgId: d.orgId, issuedAt: d.issuedAt as number, dates: d.dates as string[] } };
}

/** The public key a schedule or holiday document says signed it (unverified: a candidate to pin). */
export function namedSigner(input: unknown): Uint8Array | null {
  if (typeof input !== 'object' || input === null) return null;
  const k = fromBase64((input as { signer?: unknown }).signer, 32);
  return k.ok && k.value.length === 32 ? k.value : null;
}
