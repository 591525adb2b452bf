/**
 * Opening envelopes: verify, unwrap the epoch's data key, decrypt. Opening
 * needs a recipient's X25519 key pair. An opener is a session: it unwraps each
 * data key once (one crypto_box_seal_open per epoch and recipient, not per
 * record) and keeps it, bounded, in memory only, until dispose() zeroes it.
 * openMany verifies each device's envelopes in bulk (batch-verify.ts).
 */
import { equalBytes } from './bytes.js';
import { verifyDecodedBatch } from './batch-verify.js';
import { decodeEnvelope, type DecodedEnvelope, type Envelope } from './envelope-format.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { keyIdOf, latin1 } from './hash.js';
import { decodeContent, hourOf } from './sealed-content.js';
import { sodium } from './sodium.js';
import { verifyDecoded, type VerifiedEnvelope } from './verify.js';

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** An opened envelope's header: the real kind and createdAt, from the header (v1) or the sealed content (v2). */
export type OpenedHeader = Envelope & { kind: string; createdAt: number };

export interface OpenedEnvelope {
  envelope: OpenedHeader;
  payload: Uint8Array;
  hash: Uint8Array;
}

export interface OpenerOptions {
  /** Unwrapped data keys kept at most (one per epoch and recipient key); the oldest is zeroed and dropped first. Default 4096. */
  maxCachedKeys?: number;
}

/** One envelope to open and the signing key of the device it claims. */
export interface OpenRequest {
  bytes: Uint8Array;
  deviceSignPublicKey: Uint8Array;
}

interface CachedKey {
  /** The exact wrapped bytes this key came from: an entry is used only for the same wrap. */
  wrapped: Uint8Array;
  key: Uint8Array;
}

type OwnKey = BoxKeyPair & { keyIdL1: string };

export class EnvelopeOpener {
  private keys: Map<string, OwnKey[]>;
  private readonly cache = new Map<string, CachedKey>();
  private readonly maxCachedKeys: number;
  private unwrapCount = 0;
  private lastUsed: { epochId: Uint8Array; keyId: Uint8Array; entry: CachedKey } | undefined;
  private disposed = false;

  constructor(keyPairs: readonly BoxKeyPair[], maxCachedKeys: number | OpenerOptions = 4096) {
    this.maxCachedKeys = Math.max(
      1,
      typeof maxCachedKeys === 'number' ? maxCachedKeys : (maxCachedKeys.maxCachedKeys ?? 4096),
    );
    this.keys = new Map();
    for (const k of keyPairs) {
      const keyIdL1 = latin1(keyIdOf(k.publicKey));
      this.keys.set(keyIdL1, [...(this.keys.get(keyIdL1) ?? []), { ...k, keyIdL1 }]);
    }
  }

  /** crypto_box_seal_open calls so far: one per epoch and recipient while the cache holds. */
  get unwraps(): number {
    return this.unwrapCount;
  }

  /** Data keys held unwrapped right now. */
  get cachedKeys(): number {
    return this.cache.size;
  }

  /** Verify the signature, unwrap the data key, decrypt. */
  open(bytes: Uint8Array, deviceSignPublicKey: Uint8Array): Result<OpenedEnvelope, EnvelopeError> {
    const decoded = decodeEnvelope(bytes);
    if (!decoded.ok) return decoded;
    return this.openDecoded(decoded.value, deviceSignPublicKey);
  }

  /** open() for an envelope the caller decoded already (to check its clear fields first). */
  openDecoded(decoded: DecodedEnvelope, deviceSignPublicKey: Uint8Array): Result<OpenedEnvelope, EnvelopeError> {
    const verified = verifyDecoded(decoded, deviceSignPublicKey);
    if (!verified.ok) return verified;
    return this.decrypt(verified.value);
  }

  /**
   * Opens many envelopes, results in the same order. Each device's envelopes
   * are verified together: a linked run costs one Ed25519 verification.
   * The results are the ones open() would give each.
   */
  openMany(requests: readonly OpenRequest[]): Result<OpenedEnvelope, EnvelopeError>[] {
    const out: Result<OpenedEnvelope, EnvelopeError>[] = new Array(requests.length);
    const byDevice = new Map<string, { key: Uint8Array; indexes: number[]; decoded: DecodedEnvelope[] }>();
    requests.forEach((req, index) => {
      const decoded = decodeEnvelope(req.bytes);
      if (!decoded.ok) {
        out[index] = decoded;
        return;
      }
      const id = latin1(req.deviceSignPublicKey);
      let group = byDevice.get(id);
      if (!group) byDevice.set(id, (group = { key: req.deviceSignPublicKey, indexes: [], decoded: [] }));
      group.indexes.push(index);
      group.decoded.push(decoded.value);
    });
    for (const group of byDevice.values()) {
      verifyDecodedBatch(group.decoded, group.key).forEach((verified, i) => {
        out[group.indexes[i]!] = verified.ok ? this.decrypt(verified.value) : verified;
      });
    }
    return out;
  }

  decrypt(v: VerifiedEnvelope): Result<OpenedEnvelope, EnvelopeError> {
    const { envelope, aad } = v;
    const dataKey = this.dataKeyFor(envelope);
    if (!dataKey) {
      const why = this.disposed
        ? 'this opener was disposed'
        : `none of the ${this.ownKeyCount()} unlocked keys is a recipient`;
      return fail('not-a-recipient', `${why} of ${envelope.deviceId}#${envelope.seq}`);
    }
    let payload: Uint8Array;
    try {
      payload = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        envelope.ciphertext,
        aad,
        envelope.nonce,
        dataKey,
      );
    } catch {
      return fail('decrypt-failed', `payload of ${envelope.deviceId}#${envelope.seq} does not authenticate`);
    }
    if (envelope.version === 1) return ok({ envelope, payload, hash: v.hash });
    const content = decodeContent(payload);
    if (!content.ok)
      return fail(
        content.error.code,
        `sealed content of ${envelope.deviceId}#${envelope.seq}: ${content.error.message}`,
        content.error.at,
      );
    const { kind, createdAt } = content.value;
    // the device signed both; a disagreement is a broken device, not something to route by
    if (hourOf(createdAt) !== envelope.hour)
      return fail(
        'invalid-field',
        `${envelope.deviceId}#${envelope.seq}: sealed time is outside the header's hour`,
        'hour',
      );
    return ok({ envelope: withSealedFields(envelope, kind, createdAt), payload: content.value.payload, hash: v.hash });
  }

  /** Zeroes and drops every unwrapped data key and forgets the key pairs: the opener opens nothing more. */
  dispose(): void {
    const s = sodium();
    for (const c of this.cache.values()) s.memzero(c.key);
    this.cache.clear();
    this.lastUsed = undefined;
    this.keys = new Map();
    this.disposed = true;
  }

  private ownKeyCount(): number {
    let n = 0;
    for (const list of this.keys.values()) n += list.length;
    return n;
  }

  private dataKeyFor(envelope: Envelope): Uint8Array | undefined {
    // records come in runs of one epoch: the last key used answers most calls without building a cache key
    const last = this.lastUsed;
    if (last && equalBytes(last.epochId, envelope.epochId)) {
      for (const r of envelope.recipients)
        if (equalBytes(r.keyId, last.keyId) && equalBytes(r.wrappedKey, last.entry.wrapped)) return last.entry.key;
    }
    const found = this.lookUp(envelope);
    this.lastUsed = found;
    return found?.entry.key;
  }

  private lookUp(envelope: Envelope): { epochId: Uint8Array; keyId: Uint8Array; entry: CachedKey } | undefined {
    const epoch = latin1(envelope.epochId);
    for (const r of envelope.recipients) {
      const keyId = latin1(r.keyId);
      const candidates = this.keys.get(keyId);
      if (!candidates) continue;
      const cacheKey = epoch + keyId;
      const cached = this.cache.get(cacheKey);
      if (cached && equalBytes(cached.wrapped, r.wrappedKey))
        return { epochId: Uint8Array.from(envelope.epochId), keyId: Uint8Array.from(r.keyId), entry: cached };
      for (const k of candidates) {
        let key: Uint8Array;
        try {
          key = sodium().crypto_box_seal_open(r.wrappedKey, k.publicKey, k.secretKey);
        } catch {
          continue; // a keyId collision or a tampered wrap: try the next candidate
        } finally {
          this.unwrapCount++;
        }
        const entry = { wrapped: Uint8Array.from(r.wrappedKey), key };
        this.remember(cacheKey, entry);
        return { epochId: Uint8Array.from(envelope.epochId), keyId: Uint8Array.from(r.keyId), entry };
      }
    }
    return undefined;
  }

  private remember(cacheKey: string, entry: CachedKey): void {
    const s = sodium();
    const old = this.cache.get(cacheKey);
    if (old) {
      s.memzero(old.key);
      this.cache.delete(cacheKey);
      if (this.lastUsed?.entry === old) this.lastUsed = undefined;
    }
    while (this.cache.size >= this.maxCachedKeys) {
      const [oldestKey, oldest] = this.cache.entries().next().value!;
      s.memzero(oldest.key);
      this.cache.delete(oldestKey);
      if (this.lastUsed?.entry === oldest) this.lastUsed = undefined;
    }
    this.cache.set(cacheKey, entry);
  }
}

/**
 * A version 2 header with the sealed kind and time, field by field: a spread
 * of the decoded header cost more than the decryption of a 1 KB record.
 */
function withSealedFields(e: Envelope & { version: 2 }, kind: string, createdAt: number): OpenedHeader {
  return {
    version: e.version,
    routingClass: e.routingClass,
    deviceId: e.deviceId,
    employeeId: e.employeeId,
    seq: e.seq,
    hour: e.hour,
    signerKeyId: e.signerKeyId,
    epochId: e.epochId,
    prevHash: e.prevHash,
    recipients: e.recipients,
    nonce: e.nonce,
    ciphertext: e.ciphertext,
    signature: e.signature,
    kind,
    createdAt,
  };
}

/** An opener for a session: the admin core and the agent's export open thousands of records with one unwrap per epoch. */
export function createEnvelopeOpener(keyPairs: readonly BoxKeyPair[], options: OpenerOptions = {}): EnvelopeOpener {
  return new EnvelopeOpener(keyPairs, options);
}
