/**
 * The enrollment code an admin hands to an employee's device:
 *
 *   st1.<secret: 16 random bytes, base64url>.<org signing key fingerprint: 32 hex>
 *
 * The secret is what the server checks (it stores only its hash). The
 * fingerprint is for the agent: before trusting the recipient public keys the
 * server sends, it checks that they are signed by a key with this fingerprint
 * (`fingerprint(pk)` of @sealtime/shared, all 16 bytes), so whoever runs the
 * server cannot swap in a key of their own. Pure: usable by the agent too.
 */
export const ENROLLMENT_CODE_VERSION = 'st1';
export const ENROLLMENT_SECRET_BYTES = 16;

const SECRET = /^[A-Za-z0-9_-]{22}$/;

export interface ParsedEnrollmentCode {
  secret: string;
  /** 32 lowercase hex digits. */
  orgKeyFingerprint: string;
}

/**
 * Accepts a fingerprint as @sealtime/shared prints it ("abcd ef01 …") or as
 * plain hex; returns 32 lowercase hex digits, or null when it is not one.
 */
export function normalizeFingerprint(fp: unknown): string | null {
  if (typeof fp !== 'string') return null;
  const hex = fp.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

export function formatEnrollmentCode(secret: string, orgKeyFingerprint: string): string {
  const fp = normalizeFingerprint(orgKeyFingerprint);
  if (!SECRET.test(secret) || !fp)
    throw new RangeError('enrollment code needs a 22-character secret and a 32-hex-digit fingerprint');
  return `${ENROLLMENT_CODE_VERSION}.${secret}.${fp}`;
}

/** Null for anything that is not a well-formed code (whitespace around it is forgiven). */
export function parseEnrollmentCode(code: unknown): ParsedEnrollmentCode | null {
  if (typeof code !== 'string' || code.length > 200) return null;
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== ENROLLMENT_CODE_VERSION) return null;
  const [, secret, fp] = parts as [string, string, string];
  const orgKeyFingerprint = normalizeFingerprint(fp);
  if (!SECRET.test(secret) || !orgKeyFingerprint || fp !== orgKeyFingerprint) return null;
  return { secret, orgKeyFingerprint };
}
