/**
 * The printed recovery key: the seed of an X25519 key pair whose public half is
 * in every key ring. Each key generation is also sealed to it, so rotation never
 * needs the paper, and whoever holds the paper can set a new passphrase.
 *
 * Text form: Crockford base32 of seed + 2-byte checksum, in groups of five —
 * readable aloud, tolerant of case, O/0 and I/L/1 mix-ups, and typos are caught.
 */
import { concatBytes, equalBytes, utf8 } from '../envelope/bytes.js';
import { sodium } from '../envelope/sodium.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_CONTEXT = utf8('sealtime recovery v1');

export interface RecoveryKey {
  text: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export type RecoveryKeyError = { code: 'bad-recovery-key'; message: string };

function checksum(seed: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, seed, CHECK_CONTEXT).subarray(0, 2);
}

function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function decodeBase32(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) return undefined;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

function fromSeed(seed: Uint8Array): RecoveryKey {
  const kp = sodium().crypto_box_seed_keypair(seed);
  const text = encodeBase32(concatBytes([seed, checksum(seed)]))
    .match(/.{1,5}/g)!
    .join('-');
  return { text, publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export function generateRecoveryKey(): RecoveryKey {
  return fromSeed(sodium().randombytes_buf(32));
}

export function parseRecoveryKey(
  input: unknown,
): { ok: true; value: RecoveryKey } | { ok: false; error: RecoveryKeyError } {
  if (typeof input !== 'string' || input.length > 200)
    return {
      ok: false,
      error: { code: 'bad-recovery-key', message: 'a recovery key is 55 characters in groups of five' },
    };
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const bytes = cleaned.length === 55 ? decodeBase32(cleaned) : undefined;
  if (!bytes || bytes.length !== 34)
    return {
      ok: false,
      error: {
        code: 'bad-recovery-key',
        message: 'a recovery key is 55 characters of 0-9 and A-Z (without I, L, O, U)',
      },
    };
  const seed = bytes.subarray(0, 32);
  if (!equalBytes(checksum(seed), bytes.subarray(32)))
    return {
      ok: false,
      error: { code: 'bad-recovery-key', message: 'the recovery key has a typo: its checksum does not match' },
    };
  return { ok: true, value: fromSeed(Uint8Array.from(seed)) };
}
