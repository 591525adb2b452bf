/** The key-ring document as stored and replicated (JSON), and its strict validator. */
import { checkParams, type PwhashParams } from './passphrase.js';
import { KEY_ROLES, type KeyRole } from './person-keys.js';
import { keyFail, type KeyResult } from './key-errors.js';

export type GenerationStatus = 'active' | 'retired' | 'revoked' | 'shredded';

export interface KeyGeneration {
  keyId: string;
  boxPublicKey: string;
  signPublicKey: string;
  createdAt: number;
  status: GenerationStatus;
  statusChangedAt?: number;
  reason?: string;
  /** The generation seed under the passphrase key: XChaCha20-Poly1305, AD = owner + keyId. */
  byPassphrase?: { nonce: string; ciphertext: string };
  /** The generation seed sealed to the recovery public key. */
  byRecovery?: string;
}

export interface KeyringDoc {
  type: 'keyring';
  v: 1;
  ownerId: string;
  role: KeyRole;
  passphrase: PwhashParams;
  recoveryPublicKey: string;
  generations: KeyGeneration[];
  updatedAt: number;
}

const B64 = /^[A-Za-z0-9_-]+$/;
const STATUSES: readonly GenerationStatus[] = ['active', 'retired', 'revoked', 'shredded'];
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

function checkGeneration(g: unknown, i: number): string | undefined {
  if (!isObj(g)) return `generation ${i} is not an object`;
  if (typeof g.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(g.keyId))
    return `generation ${i}: keyId must be 16 hex digits`;
  for (const f of ['boxPublicKey', 'signPublicKey'] as const)
    if (typeof g[f] !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(g[f] as string))
      return `generation ${i}: ${f} must be 32 bytes base64url`;
  if (!isTime(g.createdAt)) return `generation ${i}: createdAt must be ms since epoch`;
  if (!STATUSES.includes(g.status as GenerationStatus)) return `generation ${i}: unknown status`;
  if (g.statusChangedAt !== undefined && !isTime(g.statusChangedAt)) return `generation ${i}: bad statusChangedAt`;
  if (g.reason !== undefined && (typeof g.reason !== 'string' || g.reason.length > 500))
    return `generation ${i}: reason must be text up to 500 chars`;
  if (g.byPassphrase !== undefined) {
    const w = g.byPassphrase;
    if (
      !isObj(w) ||
      typeof w.nonce !== 'string' ||
      !B64.test(w.nonce) ||
      typeof w.ciphertext !== 'string' ||
      !B64.test(w.ciphertext)
    )
      return `generation ${i}: malformed byPassphrase`;
  }
  if (g.byRecovery !== undefined && (typeof g.byRecovery !== 'string' || !B64.test(g.byRecovery)))
    return `generation ${i}: malformed byRecovery`;
  if (g.status === 'shredded' && (g.byPassphrase || g.byRecovery))
    return `generation ${i}: a shredded generation keeps no wrapped secret`;
  if (g.status !== 'shredded' && (!g.byPassphrase || !g.byRecovery)) return `generation ${i}: wrapped secret missing`;
  const known = new Set([
    'keyId',
    'boxPublicKey',
    'signPublicKey',
    'createdAt',
    'status',
    'statusChangedAt',
    'reason',
    'byPassphrase',
    'byRecovery',
  ]);
  const extra = Object.keys(g).find((k) => !known.has(k));
  if (extra) return `generation ${i}: unknown field ${extra}`;
  return undefined;
}

export function validateKeyringDoc(input: unknown): KeyResult<KeyringDoc> {
  const bad = (m: string) => keyFail('malformed-keyring', m);
  if (!isObj(input)) return bad('a key ring is a JSON object');
  if (input.type !== 'keyring' || input.v !== 1) return bad('not a version 1 key ring');
  if (typeof input.ownerId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(input.ownerId))
    return bad('ownerId must be an identifier');
  if (!KEY_ROLES.includes(input.role as KeyRole)) return bad(`role must be one of ${KEY_ROLES.join(', ')}`);
  const p = checkParams(input.passphrase);
  if (p) return keyFail('bad-params', p.message);
  if (typeof input.recoveryPublicKey !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(input.recoveryPublicKey))
    return bad('recoveryPublicKey must be 32 bytes base64url');
  if (!Array.isArray(input.generations) || input.generations.length === 0 || input.generations.length > 1000)
    return bad('generations must be a non-empty list');
  for (let i = 0; i < input.generations.length; i++) {
    const m = checkGeneration(input.generations[i], i);
    if (m) return bad(m);
  }
  const active = (input.generations as KeyGeneration[]).filter((g) => g.status === 'active').length;
  if (active > 1) return bad('more than one active generation');
  if (!isTime(input.updatedAt)) return bad('updatedAt must be ms since epoch');
  const known = new Set([
    'type',
    'v',
    'ownerId',
    'role',
    'passphrase',
    'recoveryPublicKey',
    'generations',
    'updatedAt',
    'signature',
  ]);
  const extra = Object.keys(input).find((k) => !known.has(k));
  if (extra) return bad(`unknown field ${extra}`);
  return { ok: true, value: input as unknown as KeyringDoc };
}
