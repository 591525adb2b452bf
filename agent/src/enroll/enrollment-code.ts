/**
 * The enrollment code as the employee types it: `st1.<secret>.<fingerprint>`,
 * secret = 16 random bytes base64url (22 characters), fingerprint = 32 hex
 * digits of the organisation signing key. The agent's own parser (the agent
 * does not import the server); the format is fixed by the server's
 * auth/enrollment-code.ts.
 */
const SECRET = /^[A-Za-z0-9_-]{22}$/;
const FINGERPRINT = /^[0-9a-f]{32}$/;

export interface EnrollmentCode {
  /** The whole code, trimmed, as sent to the server. */
  code: string;
  /** 32 lowercase hex digits. */
  orgKeyFingerprint: string;
}

export type CodeParse = { ok: true; value: EnrollmentCode } | { ok: false; reason: string };

export function parseEnrollmentCode(input: string): CodeParse {
  const code = input.trim();
  if (code.length > 200) return { ok: false, reason: 'the enrollment code is too long' };
  const parts = code.split('.');
  if (parts.length !== 3 || parts[0] !== 'st1')
    return { ok: false, reason: 'an enrollment code looks like st1.<secret>.<fingerprint>' };
  const [, secret, fp] = parts as [string, string, string];
  if (!SECRET.test(secret))
    return { ok: false, reason: 'the secret part of the enrollment code is not 22 base64url characters' };
  if (!FINGERPRINT.test(fp))
    return { ok: false, reason: 'the fingerprint part of the enrollment code is not 32 lowercase hex digits' };
  return { ok: true, value: { code, orgKeyFingerprint: fp } };
}

/** "abcd 0123 …" as @sealtime/shared prints fingerprints. */
export function groupFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}
