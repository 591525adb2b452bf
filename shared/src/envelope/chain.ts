/**
 * Verifies one device's sequence of envelopes as it was received or stored and
 * names every problem precisely: which records are missing (seq ranges), which
 * arrived out of order, which were altered after signing, which are forged
 * (another signer or another device), and where two validly signed records
 * disagree about the chain (a fork: the device key signed two histories).
 */
import { equalBytes, toHex } from './bytes.js';
import { verifyDecodedBatch } from './batch-verify.js';
import { decodeEnvelope, type DecodedEnvelope } from './envelope-format.js';
import type { EnvelopeError } from './errors.js';
import { GENESIS_HASH } from './hash.js';
import { verifyDecoded } from './verify.js';

export type ChainIssue =
  | { type: 'malformed'; index: number; error: EnvelopeError }
  | { type: 'forged'; index: number; seq: number; reason: string }
  | { type: 'altered'; index: number; seq: number; reason: string }
  | { type: 'missing'; fromSeq: number; toSeq: number; claimedByInvalid: number[] }
  | { type: 'reordered'; index: number; seq: number; afterSeq: number }
  | { type: 'duplicate'; index: number; seq: number; firstIndex: number }
  | { type: 'fork'; index: number; seq: number; firstIndex: number }
  | { type: 'broken-link'; seq: number; index: number; expectedPrevHash: string; foundPrevHash: string };

export interface ChainReport {
  ok: boolean;
  /** Envelopes whose signature verified. */
  verified: number;
  issues: ChainIssue[];
  /** Highest verified seq + its hash: where the next check continues. */
  head?: { seq: number; hash: string };
  /** Seqs covered by a deletion marker instead of an envelope. */
  deleted?: number[];
}

export interface ChainExpectations {
  deviceId: string;
  deviceSignPublicKey: Uint8Array;
  /** First seq expected in this batch (default 0) and the hash before it (default genesis). */
  fromSeq?: number;
  prevHash?: Uint8Array;
  /**
   * Records deleted on purpose (an admin's signed deletion marker, checked by
   * the caller): their seq, chain hash and prevHash stand in for the missing
   * envelope, so the links either side still have to meet. A marker never
   * hides anything else: its neighbours must link to exactly its hashes.
   */
  deleted?: ReadonlyArray<{ seq: number; hash: Uint8Array; prevHash: Uint8Array }>;
}

interface Link {
  index: number;
  seq: number;
  hash: Uint8Array;
  prevHash: Uint8Array;
}

export interface VerifyChainOptions {
  /**
   * Verify linked runs with one signature each (batch-verify.ts; default). false
   * checks every signature on its own: the same report, kept for comparison.
   */
  bulk?: boolean;
}

export function verifyChain(
  envelopes: readonly Uint8Array[],
  expect: ChainExpectations,
  options: VerifyChainOptions = {},
): ChainReport {
  const issues: ChainIssue[] = [];
  const bySeq = new Map<number, Link>();
  const invalidClaims = new Map<number, number[]>();
  let maxSeen = -1;
  let maxSeenSeq = -1;

  const decodedAll = envelopes.map((bytes) => decodeEnvelope(bytes));
  const ours: DecodedEnvelope[] = [];
  for (const d of decodedAll) if (d.ok && d.value.envelope.deviceId === expect.deviceId) ours.push(d.value);
  const verifiedAll =
    options.bulk === false
      ? ours.map((d) => verifyDecoded(d, expect.deviceSignPublicKey))
      : verifyDecodedBatch(ours, expect.deviceSignPublicKey);
  let next = 0;

  decodedAll.forEach((decoded, index) => {
    if (!decoded.ok) {
      issues.push({ type: 'malformed', index, error: decoded.error });
      return;
    }
    const env = decoded.value.envelope;
    const claim = () => invalidClaims.set(env.seq, [...(invalidClaims.get(env.seq) ?? []), index]);
    if (env.deviceId !== expect.deviceId) {
      issues.push({
        type: 'forged',
        index,
        seq: env.seq,
        reason: `claims device ${env.deviceId}, expected ${expect.deviceId}`,
      });
      return;
    }
    const verified = verifiedAll[next++]!;
    if (!verified.ok) {
      claim();
      const type = verified.error.code === 'unknown-signer' ? 'forged' : 'altered';
      issues.push({ type, index, seq: env.seq, reason: verified.error.message });
      return;
    }
    const link: Link = { index, seq: env.seq, hash: verified.value.hash, prevHash: env.prevHash };
    const first = bySeq.get(env.seq);
    if (first) {
      const same = equalBytes(first.hash, link.hash);
      issues.push({ type: same ? 'duplicate' : 'fork', index, seq: env.seq, firstIndex: first.index });
      return;
    }
    if (env.seq < maxSeen) issues.push({ type: 'reordered', index, seq: env.seq, afterSeq: maxSeenSeq });
    if (env.seq > maxSeen) {
      maxSeen = env.seq;
      maxSeenSeq = env.seq;
    }
    bySeq.set(env.seq, link);
  });

  const present = bySeq.size;
  const bridged: number[] = [];
  for (const d of expect.deleted ?? []) {
    if (bySeq.has(d.seq)) continue; // the record is still there: the envelope speaks for itself
    bySeq.set(d.seq, { index: -1, seq: d.seq, hash: d.hash, prevHash: d.prevHash });
    bridged.push(d.seq);
  }

  const fromSeq = expect.fromSeq ?? 0;
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  let expected = fromSeq;
  let prevHash = expect.prevHash ?? GENESIS_HASH;
  for (const seq of seqs) {
    const link = bySeq.get(seq)!;
    if (seq < fromSeq) continue; // before this window: nothing to link to
    if (seq > expected) {
      issues.push({
        type: 'missing',
        fromSeq: expected,
        toSeq: seq - 1,
        claimedByInvalid: claimsIn(invalidClaims, expected, seq - 1),
      });
    } else if (!equalBytes(link.prevHash, prevHash)) {
      issues.push({
        type: 'broken-link',
        seq,
        index: link.index,
        expectedPrevHash: toHex(prevHash),
        foundPrevHash: toHex(link.prevHash),
      });
    }
    expected = seq + 1;
    prevHash = link.hash;
  }
  // invalid records after the last valid one still leave a hole at the tail
  const tailClaims = [...invalidClaims.keys()].filter((s) => s >= expected);
  if (tailClaims.length > 0) {
    const to = Math.max(...tailClaims);
    issues.push({
      type: 'missing',
      fromSeq: expected,
      toSeq: to,
      claimedByInvalid: claimsIn(invalidClaims, expected, to),
    });
  }

  const last = seqs.length > 0 ? bySeq.get(seqs[seqs.length - 1]!) : undefined;
  const report: ChainReport = {
    ok: issues.every((i) => i.type === 'duplicate'),
    verified: present + issues.filter((i) => i.type === 'duplicate').length,
    issues,
  };
  if (bridged.length > 0) report.deleted = bridged.sort((a, b) => a - b);
  if (last) report.head = { seq: last.seq, hash: toHex(last.hash) };
  return report;
}

function claimsIn(claims: Map<number, number[]>, from: number, to: number): number[] {
  const out: number[] = [];
  for (const [seq, idx] of claims) if (seq >= from && seq <= to) out.push(...idx);
  return out.sort((a, b) => a - b);
}
