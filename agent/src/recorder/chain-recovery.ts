/**
 * Finding where a device's chain stands after a restart (or a crash): the
 * newest stored envelope is the head — the record and its head are written in
 * one durable step, so they cannot disagree. Its signature is verified before
 * anything is chained to it.
 *
 * The newest seq is found with O(log n) point reads (gallop, then bisect) and
 * a final index read that makes sure nothing lies beyond a hole, so opening a
 * store with months of records stays fast.
 */
import {
  GENESIS_HEAD,
  chainHash,
  decodeEnvelope,
  fromBase64,
  signedDigest,
  toHex,
  verifyEnvelope,
  type ChainHead,
  type EnvelopeError,
  type Envelope,
} from '@sealtime/shared';
import type { AgentStore } from '../store/agent-store.js';
import { blobDocId, blobIdRange, blobSeqOf } from '../store/ids.js';
import { recordDocIdsOfSeq } from '@sealtime/shared';

export interface RecoveredHead {
  head: ChainHead;
  /** createdAt of the head envelope (0 for an empty chain). */
  lastCreatedAt: number;
  /** Set when the stored head did not verify: the chain continues after it, and the recorder raises an alert. */
  problem?: { seq: number; error: EnvelopeError };
}

export class ForeignChainError extends Error {
  readonly code = 'foreign-chain' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ForeignChainError';
  }
}

/** Highest n with exists(n), given nextAfter(n) finds any stored n' > n. */
export async function highestPresent(
  exists: (n: number) => Promise<boolean>,
  nextAfter: (n: number) => Promise<number | undefined>,
): Promise<number> {
  let lo = (await exists(0)) ? 0 : ((await nextAfter(-1)) ?? -1);
  if (lo < 0) return -1;
  for (;;) {
    let step = 1;
    let hi = lo + step;
    while (await exists(hi)) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (await exists(mid)) lo = mid;
      else hi = mid;
    }
    // a hole (which verifyChain will report) must not hide newer records
    const beyond = await nextAfter(lo);
    if (beyond === undefined) return lo;
    lo = beyond;
  }
}

/**
 * The newest time the header shows: exact in version 1, the hour in version 2
 * (the exact time is sealed, and this device holds no key to open it). A lower
 * bound, so the clock check may miss a backward jump of under an hour.
 */
function lastTimeOf(e: Envelope): number {
  return e.version === 1 ? e.createdAt : e.hour;
}

function headFrom(envelopeText: string, seq: number, signPublicKey: Uint8Array, what: string): RecoveredHead {
  const bytes = fromBase64(envelopeText);
  if (!bytes.ok)
    return {
      head: { nextSeq: seq + 1, prevHash: GENESIS_HEAD.prevHash },
      lastCreatedAt: 0,
      problem: { seq, error: bytes.error },
    };
  const verified = verifyEnvelope(bytes.value, signPublicKey);
  if (verified.ok) {
    const e = verified.value.envelope;
    if (e.seq !== seq) throw new ForeignChainError(`${what} stored as seq ${seq} holds seq ${e.seq}`);
    return { head: { nextSeq: seq + 1, prevHash: verified.value.hash }, lastCreatedAt: lastTimeOf(e) };
  }
  if (verified.error.code === 'unknown-signer') {
    throw new ForeignChainError(
      `${what} #${seq} was signed by another key: this store belongs to a different device identity`,
    );
  }
  // altered or malformed on disk: chain on to what is there (its hash as stored)
  // so later records stay linked, and let the recorder report it
  const decoded = decodeEnvelope(bytes.value);
  const prevHash = decoded.ok
    ? chainHash(signedDigest(decoded.value.signed), decoded.value.envelope.signature)
    : GENESIS_HEAD.prevHash;
  const lastCreatedAt = decoded.ok ? lastTimeOf(decoded.value.envelope) : 0;
  return { head: { nextSeq: seq + 1, prevHash }, lastCreatedAt, problem: { seq, error: verified.error } };
}

export async function recoverRecordHead(
  store: AgentStore,
  deviceId: string,
  signPublicKey: Uint8Array,
): Promise<RecoveredHead> {
  // a seq is stored under one of two ids (media records have their own range)
  const exists = async (seq: number) =>
    (await store.records.findByIds(recordDocIdsOfSeq(deviceId, seq)).exec()).size > 0;
  const nextAfter = async (seq: number) =>
    (
      await store.records
        .findOne({ selector: { deviceId, seq: { $gt: seq } }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }] })
        .exec()
    )?.seq;
  const top = await highestPresent(exists, nextAfter);
  if (top < 0) return { head: GENESIS_HEAD, lastCreatedAt: 0 };
  const found = await store.records.findByIds(recordDocIdsOfSeq(deviceId, top)).exec();
  const doc = [...found.values()][0];
  if (!doc) throw new Error(`record ${top} vanished while recovering the chain head`);
  return headFrom(doc.envelope, top, signPublicKey, 'record');
}

export async function recoverBlobHead(
  store: AgentStore,
  deviceId: string,
  signPublicKey: Uint8Array,
): Promise<RecoveredHead> {
  const range = blobIdRange(deviceId);
  const exists = async (n: number) => (await store.blobs.findByIds([blobDocId(deviceId, n)]).exec()).size > 0;
  const nextAfter = async (n: number) => {
    const after = n < 0 ? range.min : blobDocId(deviceId, n);
    const d = await store.blobs
      .findOne({ selector: { id: { $gt: after, $lt: range.max } }, sort: [{ id: 'asc' }] })
      .exec();
    return d ? blobSeqOf(deviceId, d.id) : undefined;
  };
  const top = await highestPresent(exists, nextAfter);
  if (top < 0) return { head: GENESIS_HEAD, lastCreatedAt: 0 };
  const doc = await store.blobs.findOne(blobDocId(deviceId, top)).exec();
  if (!doc) throw new Error(`blob ${top} vanished while recovering the image chain head`);
  return headFrom(doc.envelope, top, signPublicKey, 'image');
}

export const hexHash = (head: ChainHead): string => toHex(head.prevHash);
