/**
 * Secrets handed to clients (session tokens, device credentials, enrollment
 * codes). They carry 128–256 random bits, so a fast hash is enough at rest:
 * nobody can brute-force the preimage, and a stolen st-system holds nothing
 * that authenticates.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_TOKEN_BYTES = 32;
export const DEVICE_CREDENTIAL_BYTES = 32;

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex digests without leaking where they differ. */
export function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** base64url text of exactly `bytes` bytes (canonical, no padding). */
export function isTokenOf(text: unknown, bytes: number): text is string {
  const chars = Math.ceil((bytes * 4) / 3);
  return (
    typeof text === 'string' &&
    text.length === chars &&
    /^[A-Za-z0-9_-]+$/.test(text) &&
    Buffer.from(text, 'base64url').length === bytes
  );
}

/** Hex id for things derived from random bytes (device ids, audit ids). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
