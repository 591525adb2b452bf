/**
 * What the core knows of manual time decisions. They live as signed documents
 * in the employees' inboxes (the devices' copy is the one that counts), so
 * the core reads them by id — `correction-decision:manual-time:<entry>` — for
 * entries it has no decision for, verifies each against the keys it trusts,
 * and keeps the verified ones in the replica's meta: reports stay right
 * offline. A decision this app signs goes in at once, marked queued until
 * the outbox has delivered it.
 *
 * Trusted signers: the reviewer's own rings, the organisation key, and (for
 * admins, who may read inboxes) the keys the employee's signed recipients
 * document names. A document that does not verify is not used.
 */
import {
  decisionDocId,
  fingerprint,
  verifyDecisionDocument,
  verifyRecipientsDocument,
  RECIPIENTS_DOC_ID,
  type ManualDecision,
} from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { employeeInbox } from '../admin/directory-docs.js';
import type { Unlocked } from './unlocked-session.js';

const META_ID = 'manual-decisions';
/** Reads from the server at most this often per session (a decision made here is known at once). */
const REFRESH_MS = 15_000;
/** Decision documents read at once from the server. */
const READS_AT_ONCE = 6;

type Kept = Record<string, ManualDecision>;

const keyOf = (employeeId: string, entryId: string) => `${employeeId}/${entryId}`;

export class ManualDecisions {
  private lastRead: number | null = null;
  private reading: Promise<void> | null = null;

  constructor(private readonly u: Unlocked) {}

  get readAt(): number | null {
    return this.lastRead;
  }

  async all(): Promise<ManualDecision[]> {
    const kept = await this.kept();
    const queued = new Set((await this.u.outbox.list()).map((i) => i.id));
    return Object.values(kept).map((d) => {
      const id = decisionDocId(d.entryId, 'manual-time');
      const { queued: _q, ...rest } = d;
      return queued.has(`${d.employeeId}:${id}`) ? { ...rest, queued: true } : rest;
    });
  }

  async find(employeeId: string, entryId: string): Promise<ManualDecision | undefined> {
    return (await this.kept())[keyOf(employeeId, entryId)];
  }

  /** A decision signed here: known at once, whether or not it has reached the server. */
  async note(d: ManualDecision): Promise<void> {
    const kept = await this.kept();
    kept[keyOf(d.employeeId, d.entryId)] = d;
    await this.u.store.putMeta(META_ID, { decisions: kept });
  }

  /** Reads the decisions of `entries` not decided yet from the server; offline it keeps what it has. */
  refresh(entries: ReadonlyArray<{ employeeId: string; entryId: string }>, now: number, force = false): Promise<void> {
    if (this.reading) return this.reading;
    if (!force && this.lastRead !== null && now - this.lastRead < REFRESH_MS) return Promise.resolve();
    this.reading = this.read(entries, now).finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(entries: ReadonlyArray<{ employeeId: string; entryId: string }>, now: number): Promise<void> {
    const kept = await this.kept();
    const open = entries.filter((e) => !kept[keyOf(e.employeeId, e.entryId)]);
    const trustedBy = new Map<string, Uint8Array[]>();
    let changed = false;
    try {
      // a few reads at once: an organisation's month holds dozens of undecided entries, and one
      // after another they held each report build for a second every REFRESH_MS
      const docs: Array<{ doc?: unknown } | null> = new Array(open.length).fill(null);
      let next = 0;
      const reader = async () => {
        while (next < open.length) {
          const i = next++;
          const e = open[i]!;
          docs[i] = await this.u.client.getDoc<{ doc?: unknown }>(
            employeeInbox(e.employeeId),
            decisionDocId(e.entryId, 'manual-time'),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, open.length) }, reader));
      for (const [i, e] of open.entries()) {
        const doc = docs[i];
        if (!doc?.doc) continue;
        let trusted = trustedBy.get(e.employeeId);
        if (!trusted) trustedBy.set(e.employeeId, (trusted = await this.trustedFor(e.employeeId)));
        const v = verifyDecisionDocument(doc.doc, e.employeeId, trusted, 'manual-time');
        if (!v.ok || v.value.requestId !== e.entryId) continue; // not used: the device refuses it too
        kept[keyOf(e.employeeId, e.entryId)] = {
          entryId: e.entryId,
          employeeId: e.employeeId,
          decision: v.value.decision,
          decidedBy: v.value.decidedBy,
          decidedAt: v.value.decidedAt,
          ...(v.value.comment ? { comment: v.value.comment } : {}),
        };
        changed = true;
      }
      this.lastRead = now;
    } catch (err) {
      // offline, or a role that may not read that inbox: what is kept stands
      if (!isAdminError(err, 'unreachable') && !isAdminError(err, 'forbidden')) throw err;
    }
    if (changed) await this.u.store.putMeta(META_ID, { decisions: kept });
  }

  private async trustedFor(employeeId: string): Promise<Uint8Array[]> {
    const keys: Uint8Array[] = [];
    for (const ring of this.u.keys.rings) for (const k of ring.keys.values()) keys.push(k.signPublicKey);
    const org = this.u.keys.orgSignPublicKey;
    if (!org) return keys;
    keys.push(org);
    const rec = await this.u.client
      .getDoc<{ doc?: unknown }>(employeeInbox(employeeId), RECIPIENTS_DOC_ID)
      .catch(() => null); // not readable for this role: own rings and the org key only
    const v = rec?.doc ? verifyRecipientsDocument(rec.doc, { orgKeyFingerprint: fingerprint(org), employeeId }) : null;
    if (v?.ok)
      for (const role of ['team', 'hr', 'organisation'] as const)
        for (const k of v.value.keys[role]) keys.push(k.signPublicKey);
    return keys;
  }

  private async kept(): Promise<Kept> {
    const m = await this.u.store.getMeta<{ decisions?: Kept }>(META_ID);
    return m?.decisions && typeof m.decisions === 'object' ? { ...m.decisions } : {};
  }
}
