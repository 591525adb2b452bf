/**
 * Integrity of a device's sealed writes (DESIGN.md decision 8), as pure
 * functions over one `_bulk_docs` batch: every envelope must verify against
 * the writing device's enrolled Ed25519 key, and every record must sit in the
 * device's chain — seq n's prevHash is the hash of seq n−1 wherever that is
 * known (in the batch or already stored), and a stored seq n+1 must point at
 * the new record (an out-of-order arrival is checked when its neighbour
 * arrives). A predecessor not known yet is no refusal: the record is checked
 * again from the other side when the gap fills.
 *
 *   stored:   … [n−1] ──────────── [n+1] …
 *   batch:               [n]
 *   checks:   n.prevHash = hash(n−1)   and   (n+1).prevHash = hash(n)
 *
 * Images (blobs) are verified for their signature only: the gateway does not
 * follow the image chain.
 */
import {
  decodeEnvelope,
  equalBytes,
  fromBase64,
  GENESIS_HASH,
  MAX_ENVELOPE_BYTES,
  MEDIA_ID_MARK,
  recordDocId,
  recordDocIdOf,
  recordDocIdsOfSeq,
  toHex,
  verifyDecoded,
  type Envelope,
} from '@sealtime/shared';
import { checkedEnvelopeBytes } from './write-validation.js';

/** A blob's id: the plain form whatever its header's class (write-validation.ts checks the same). */
export const blobIdOf = (e: Envelope): string => recordDocId(e.deviceId, e.seq);

export type IntegrityCode = 'forged_record' | 'chain_broken' | 'record_fork';

export interface IntegrityFailure {
  code: IntegrityCode;
  docId: string;
  seq: number | null;
  reason: string;
}

/** One verified envelope: where it sits in the chain. */
export interface ChainLink {
  docId: string;
  seq: number;
  hash: Uint8Array;
  prevHash: Uint8Array;
  /** The envelope text exactly as written (forks compare it). */
  envelope: string;
}

export type VerifyResult = { ok: true; links: ChainLink[] } | { ok: false; failure: IntegrityFailure };

const failure = (
  code: IntegrityCode,
  docId: string,
  seq: number | null,
  reason: string,
): { ok: false; failure: IntegrityFailure } => ({
  ok: false,
  failure: { code, docId, seq, reason },
});

/** Verifies one stored or written envelope text against the device key: its link, or why not. */
export function linkOf(
  docId: string,
  envelope: unknown,
  deviceId: string,
  signPublicKey: Uint8Array,
  /** The id the envelope must be stored under: a record's by its class; a blob's is always `<deviceId>:<seq>`. */
  idOf: (e: Envelope) => string = recordDocIdOf,
  /** `envelope` decoded already, by the same fromBase64 (write-validation.ts checkedEnvelopeBytes). */
  known?: Uint8Array,
): { ok: true; link: ChainLink } | { ok: false; failure: IntegrityFailure } {
  const bytes = known ? { ok: true as const, value: known } : fromBase64(envelope, MAX_ENVELOPE_BYTES);
  if (!bytes.ok)
    return failure('forged_record', docId, null, `${docId}: envelope is unreadable (${bytes.error.message})`);
  const decoded = decodeEnvelope(bytes.value);
  if (!decoded.ok)
    return failure('forged_record', docId, null, `${docId}: envelope is unreadable (${decoded.error.message})`);
  const e = decoded.value.envelope;
  if (e.deviceId !== deviceId)
    return failure('forged_record', docId, e.seq, `${docId}: sealed by ${e.deviceId}, written by ${deviceId}`);
  const v = verifyDecoded(decoded.value, signPublicKey);
  if (!v.ok) {
    const why =
      v.error.code === 'unknown-signer'
        ? "signed by a key that is not this device's enrolled key"
        : 'signature does not verify (altered or forged)';
    return failure('forged_record', docId, e.seq, `${docId}: ${why}`);
  }
  if (docId !== idOf(e))
    return failure('forged_record', docId, e.seq, `${docId}: id disagrees with the signed seq ${e.seq}`);
  return {
    ok: true,
    link: { docId, seq: e.seq, hash: v.value.hash, prevHash: e.prevHash, envelope: envelope as string },
  };
}

/** Signature check of every written envelope (shape and ownership were checked before: write-validation.ts). */
export function verifyWrites(
  docs: ReadonlyArray<{ docId: string; doc: Record<string, unknown> }>,
  deviceId: string,
  signPublicKey: Uint8Array,
  idOf: (e: Envelope) => string = recordDocIdOf,
): VerifyResult {
  const links: ChainLink[] = [];
  const byId = new Map<string, ChainLink>();
  for (const { docId, doc } of docs) {
    const r = linkOf(docId, doc.envelope, deviceId, signPublicKey, idOf, checkedEnvelopeBytes(doc));
    if (!r.ok) return r;
    const twin = byId.get(docId);
    if (twin && twin.envelope !== r.link.envelope)
      return failure('record_fork', docId, r.link.seq, `${docId}: two different records for one seq in one request`);
    byId.set(docId, r.link);
    links.push(r.link);
  }
  return { ok: true, links };
}

/**
 * Ids of the stored records the chain check needs: seq n−1 and n+1 of each
 * link, unless in the batch, under both ids a seq may have (media records
 * have their own range: shared recordDocId), and each link's own seq under
 * its other id, where a second record for that seq would be a fork.
 */
export function neighbourIds(links: readonly ChainLink[], deviceId: string): string[] {
  const inBatch = new Set(links.map((l) => l.seq));
  const want = new Set<string>();
  const add = (ids: readonly string[]) => ids.forEach((id) => want.add(id));
  for (const l of links) {
    if (l.seq > 0 && !inBatch.has(l.seq - 1)) add(recordDocIdsOfSeq(deviceId, l.seq - 1));
    if (!inBatch.has(l.seq + 1)) add(recordDocIdsOfSeq(deviceId, l.seq + 1));
    add(recordDocIdsOfSeq(deviceId, l.seq).filter((id) => id !== l.docId));
  }
  return [...want];
}

/**
 * The chain check of a batch against its neighbours (verified stored links
 * by seq) and, for replication that writes revisions as given
 * (`new_edits: false`), against what is stored under the same ids: a second,
 * different record for a seq the server holds is a fork, never a new revision.
 */
export function checkChain(
  links: readonly ChainLink[],
  stored: ReadonlyMap<number, ChainLink>,
): IntegrityFailure | undefined {
  const batch = new Map<number, ChainLink>();
  for (const l of links) batch.set(l.seq, l);
  const at = (seq: number): ChainLink | undefined => batch.get(seq) ?? stored.get(seq);
  for (const l of links) {
    const same = stored.get(l.seq);
    if (same && same.envelope !== l.envelope)
      return {
        code: 'record_fork',
        docId: l.docId,
        seq: l.seq,
        reason: `${l.docId}: the server already holds a different record for seq ${l.seq}`,
      };
    const prev = l.seq === 0 ? { hash: GENESIS_HASH } : at(l.seq - 1);
    if (prev && !equalBytes(l.prevHash, prev.hash)) {
      return {
        code: 'chain_broken',
        docId: l.docId,
        seq: l.seq,
        reason: `${l.docId}: prevHash ${toHex(l.prevHash).slice(0, 16)}… is not the hash of seq ${l.seq - 1}`,
      };
    }
    const next = at(l.seq + 1);
    if (next && !equalBytes(next.prevHash, l.hash)) {
      return {
        code: 'chain_broken',
        docId: l.docId,
        seq: l.seq,
        reason: `${l.docId}: the stored seq ${l.seq + 1} does not link to it`,
      };
    }
  }
  return undefined;
}

/** A run of one id family (`<device>:<seq>` or `<device>:m<seq>`) read as one range, and the ids left to read by key. */
export interface StoredReadPlan {
  ranges: Array<{ from: string; to: string }>;
  keyed: string[];
}

const SEQ_DIGITS = /^\d{12}$/;

/**
 * A keyed `_all_docs` costs the embedded engine an index walk per key (300
 * for a week's backlog, the largest part of its ingest); the ids a batch
 * needs are mostly one dense run of seqs per id family, read as one range.
 * A family is read as a range when its span holds at most about twice the
 * ids wanted, so a range never reads much more than the keys would.
 */
export function planStoredRead(deviceId: string, ids: readonly string[]): StoredReadPlan {
  const prefix = `${deviceId}:`;
  const families = new Map<string, number[]>();
  const keyed: string[] = [];
  for (const id of ids) {
    const rest = id.startsWith(prefix) ? id.slice(prefix.length) : null;
    const mark = rest?.startsWith(MEDIA_ID_MARK) ? MEDIA_ID_MARK : '';
    const digits = rest?.slice(mark.length);
    if (digits === undefined || !SEQ_DIGITS.test(digits)) keyed.push(id);
    else families.set(mark, [...(families.get(mark) ?? []), Number(digits)]);
  }
  const ranges: StoredReadPlan['ranges'] = [];
  for (const [mark, seqs] of families) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const q of seqs) {
      lo = Math.min(lo, q);
      hi = Math.max(hi, q);
    }
    const idOf = (q: number) => `${prefix}${mark}${String(q).padStart(12, '0')}`;
    if (seqs.length >= 4 && hi - lo + 1 <= 2 * seqs.length + 8) ranges.push({ from: idOf(lo), to: idOf(hi) });
    else keyed.push(...seqs.map(idOf));
  }
  return { ranges, keyed };
}
