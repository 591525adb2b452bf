/**
 * Sealing on the device: XChaCha20-Poly1305 under an epoch data key, the key
 * wrapped with crypto_box_seal once per epoch and recipient set (the asymmetric
 * cost is paid once an hour, not per record), a counter nonce under a random
 * per-epoch prefix (randombytes is slow in WebAssembly and a counter cannot
 * repeat), an Ed25519 signature and a link to the previous envelope's hash.
 * Version 2 (the default) shows the server a routing class and the hour; the
 * kind and exact time are sealed with the payload, padded to a size bucket.
 */
import { ByteWriter, toHex } from './bytes.js';
import {
  EPOCH_ID_BYTES,
  MAX_PAYLOAD_BYTES,
  checkHeader,
  encodeAad,
  isValidKind,
  encodeEnvelope,
  encodeSigned,
  type EnvelopeHeader,
  type Recipient,
} from './envelope-format.js';
import { fail, ok, type EnvelopeError, type Result } from './errors.js';
import { GENESIS_HASH, chainHash, keyIdOf, signedDigest } from './hash.js';
import { contentLength, encodeContent, hourOf, paddedSize } from './sealed-content.js';
import { sodium } from './sodium.js';
import { routingClassOf } from '../records/routing-class.js';

export interface DeviceIdentity {
  deviceId: string;
  employeeId: string;
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
}

/** Where the device's chain stands; persisted by the recorder with each record. */
export interface ChainHead {
  nextSeq: number;
  prevHash: Uint8Array;
}

export const GENESIS_HEAD: ChainHead = { nextSeq: 0, prevHash: GENESIS_HASH };

export interface SealedRecord {
  bytes: Uint8Array;
  seq: number;
  /** This envelope's chain hash: the next envelope's prevHash. */
  hash: Uint8Array;
  epochId: Uint8Array;
}

export interface SealerOptions {
  /** How long a data key is reused for one recipient set. Default one hour. */
  epochMs?: number;
  /** Upper bound of records per data key, whatever the time. */
  maxRecordsPerEpoch?: number;
  /** Envelope format to write. Default 2; 1 only to produce legacy envelopes (tests, fixtures). */
  format?: 1 | 2;
  /** The routing class a version 2 header shows for a kind. Default: the record kinds' classes. */
  routingClassOf?: (kind: string) => string | undefined;
}

interface Epoch {
  id: Uint8Array;
  key: Uint8Array;
  noncePrefix: Uint8Array;
  counter: number;
  startedAt: number;
  recipients: Recipient[];
}

export class DeviceSealer {
  private head: ChainHead;
  private readonly epochs = new Map<string, Epoch>();
  private readonly signerKeyId: Uint8Array;
  private readonly epochMs: number;
  private readonly maxRecords: number;
  private readonly format: 1 | 2;
  private readonly classOf: (kind: string) => string | undefined;

  constructor(
    private readonly device: DeviceIdentity,
    head: ChainHead = GENESIS_HEAD,
    options: SealerOptions = {},
  ) {
    this.head = { nextSeq: head.nextSeq, prevHash: Uint8Array.from(head.prevHash) };
    this.signerKeyId = keyIdOf(device.signPublicKey);
    this.epochMs = options.epochMs ?? 3_600_000;
    this.maxRecords = options.maxRecordsPerEpoch ?? 1_000_000;
    this.format = options.format ?? 2;
    this.classOf = options.routingClassOf ?? routingClassOf;
  }

  get chainHead(): ChainHead {
    return { nextSeq: this.head.nextSeq, prevHash: Uint8Array.from(this.head.prevHash) };
  }

  /** Drops every cached data key, e.g. after a policy or key-ring change. */
  endEpochs(): void {
    for (const e of this.epochs.values()) sodium().memzero(e.key);
    this.epochs.clear();
  }

  /**
   * Seals one payload to the given recipient public keys (X25519). On success the
   * chain advances; on failure it does not, so a failed record leaves no gap.
   */
  seal(
    kind: string,
    payload: Uint8Array,
    recipientPublicKeys: readonly Uint8Array[],
    createdAt: number,
  ): Result<SealedRecord, EnvelopeError> {
    if (payload.length > MAX_PAYLOAD_BYTES)
      return fail('oversize', `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
    if (recipientPublicKeys.length === 0)
      return fail('invalid-field', 'a record needs at least one recipient', 'recipients');
    if (recipientPublicKeys.some((k) => k.length !== 32))
      return fail('invalid-field', 'recipient public keys are 32 bytes', 'recipients');
    if (!Number.isSafeInteger(createdAt) || createdAt < 0)
      return fail('invalid-field', 'createdAt must be a non-negative safe integer (ms)', 'createdAt');
    if (!isValidKind(kind)) return fail('invalid-field', `kind ${JSON.stringify(kind)} is not a valid kind`, 'kind');
    let routingClass: string | undefined;
    if (this.format === 2) {
      routingClass = this.classOf(kind);
      if (routingClass === undefined) return fail('invalid-field', `kind ${kind} has no routing class`, 'kind');
      if (paddedSize(contentLength(kind, payload.length)) > MAX_PAYLOAD_BYTES)
        return fail('oversize', `payload of ${payload.length} bytes exceeds the limit once padded`);
    }
    const s = sodium();
    const epoch = this.epochFor(recipientPublicKeys, createdAt);
    const nonce = new ByteWriter().bytes(epoch.noncePrefix).u64(epoch.counter).finish();
    const common = {
      deviceId: this.device.deviceId,
      employeeId: this.device.employeeId,
      seq: this.head.nextSeq,
      hour: hourOf(createdAt),
      signerKeyId: this.signerKeyId,
      epochId: epoch.id,
      prevHash: this.head.prevHash,
      recipients: epoch.recipients,
    };
    const header: EnvelopeHeader =
      routingClass === undefined ? { version: 1, kind, createdAt, ...common } : { version: 2, routingClass, ...common };
    const problem = checkHeader(header);
    if (problem) return fail('invalid-field', problem);
    const aad = encodeAad(header, nonce);
    const plaintext = header.version === 1 ? payload : encodeContent({ kind, createdAt, payload });
    const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, epoch.key);
    const signed = encodeSigned(aad, ciphertext);
    const digest = signedDigest(signed);
    const signature = s.crypto_sign_detached(digest, this.device.signSecretKey);
    const hash = chainHash(digest, signature);
    epoch.counter++;
    const seq = this.head.nextSeq;
    this.head = { nextSeq: seq + 1, prevHash: hash };
    return ok({ bytes: encodeEnvelope(signed, signature), seq, hash, epochId: epoch.id });
  }

  /** Key ids cost a hash each; callers usually pass the same key objects record after record. */
  private readonly ids = new WeakMap<Uint8Array, { pk: Uint8Array; id: Uint8Array; hex: string }>();
  private idOf(pk: Uint8Array): { pk: Uint8Array; id: Uint8Array; hex: string } {
    let entry = this.ids.get(pk);
    if (!entry) {
      const id = keyIdOf(pk);
      entry = { pk: Uint8Array.from(pk), id, hex: toHex(id) };
      this.ids.set(pk, entry);
    }
    return entry;
  }

  private epochFor(publicKeys: readonly Uint8Array[], now: number): Epoch {
    const s = sodium();
    const withIds = publicKeys.map((pk) => this.idOf(pk));
    withIds.sort((a, b) => (a.hex < b.hex ? -1 : 1));
    const setKey = withIds.map((x) => x.hex).join(',');
    const current = this.epochs.get(setKey);
    const fresh =
      current &&
      now >= current.startedAt &&
      now - current.startedAt < this.epochMs &&
      current.counter < this.maxRecords;
    if (current && fresh) return current;
    if (current) s.memzero(current.key);
    const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
    const recipients: Recipient[] = [];
    const seen = new Set<string>();
    for (const { pk, id, hex } of withIds) {
      if (seen.has(hex)) continue; // the same key named twice gets one wrap
      seen.add(hex);
      recipients.push({ keyId: id, wrappedKey: s.crypto_box_seal(key, pk) });
    }
    const epoch: Epoch = {
      id: s.randombytes_buf(EPOCH_ID_BYTES),
      key,
      noncePrefix: s.randombytes_buf(16),
      counter: 0,
      startedAt: now,
      recipients,
    };
    this.epochs.set(setKey, epoch);
    return epoch;
  }
}
