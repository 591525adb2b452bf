/**
 * Passphrase-derived wrapping keys (Argon2id, crypto_pwhash).
 *
 * Limits: 3 passes over 64 MiB — RFC 9106's second recommended setting for
 * memory-constrained machines. Measured here (WebAssembly, one core) ~0.5 s per
 * unlock: tolerable once per session, and a GPU attacker pays 64 MiB per guess.
 * The parameters travel with the wrapped key so they can be raised later; what
 * a document may ask for is bounded both ways, so a tampered document can
 * neither weaken the derivation below the floor nor demand gigabytes.
 */
import { ok, type Result } from '../envelope/errors.js';
import { sodium } from '../envelope/sodium.js';

export interface PwhashParams {
  alg: 'argon2id13';
  opsLimit: number;
  memLimitBytes: number;
  /** base64url of 16 bytes */
  salt: string;
}

export const DEFAULT_OPS_LIMIT = 3;
export const DEFAULT_MEM_LIMIT_BYTES = 64 * 1024 * 1024;
export const MIN_OPS_LIMIT = 2;
export const MIN_MEM_LIMIT_BYTES = 19 * 1024 * 1024; // OWASP's Argon2id floor
export const MAX_OPS_LIMIT = 10;
export const MAX_MEM_LIMIT_BYTES = 1024 * 1024 * 1024;
export const MIN_PASSPHRASE_CHARS = 10;

export type PassphraseError = { code: 'weak-passphrase' | 'bad-params'; message: string };

export function newPwhashParams(opsLimit = DEFAULT_OPS_LIMIT, memLimitBytes = DEFAULT_MEM_LIMIT_BYTES): PwhashParams {
  const s = sodium();
  return {
    alg: 'argon2id13',
    opsLimit,
    memLimitBytes,
    salt: s.to_base64(s.randombytes_buf(16), s.base64_variants.URLSAFE_NO_PADDING),
  };
}

export function checkPassphrase(passphrase: unknown): PassphraseError | undefined {
  if (typeof passphrase !== 'string') return { code: 'weak-passphrase', message: 'the passphrase must be text' };
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
    return { code: 'weak-passphrase', message: `a passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters` };
  return undefined;
}

export function checkParams(p: unknown): PassphraseError | undefined {
  const q = p as Partial<PwhashParams> | null;
  if (!q || typeof q !== 'object') return { code: 'bad-params', message: 'key derivation parameters missing' };
  if (q.alg !== 'argon2id13') return { code: 'bad-params', message: `unsupported key derivation ${String(q.alg)}` };
  if (!Number.isInteger(q.opsLimit) || q.opsLimit! < MIN_OPS_LIMIT || q.opsLimit! > MAX_OPS_LIMIT)
    return { code: 'bad-params', message: `opsLimit must be ${MIN_OPS_LIMIT}..${MAX_OPS_LIMIT}` };
  if (
    !Number.isInteger(q.memLimitBytes) ||
    q.memLimitBytes! < MIN_MEM_LIMIT_BYTES ||
    q.memLimitBytes! > MAX_MEM_LIMIT_BYTES
  ) {
    return { code: 'bad-params', message: `memLimitBytes must be ${MIN_MEM_LIMIT_BYTES}..${MAX_MEM_LIMIT_BYTES}` };
  }
  if (typeof q.salt !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(q.salt))
    return { code: 'bad-params', message: 'salt must be 16 bytes of base64url' };
  return undefined;
}

/** Derives the 32-byte wrapping key. Call once per unlock: it is deliberately slow. */
export function derivePassphraseKey(passphrase: string, params: PwhashParams): Result<Uint8Array, PassphraseError> {
  const bad = checkParams(params);
  if (bad) return { ok: false, error: bad };
  const s = sodium();
  const salt = s.from_base64(params.salt, s.base64_variants.URLSAFE_NO_PADDING);
  const key = s.crypto_pwhash(
    32,
    passphrase.normalize('NFKC'),
    salt,
    params.opsLimit,
    params.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  return ok(key);
}
