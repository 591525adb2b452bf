/**
 * Applies the inbox live. It watches the local inbox collection (an RxDB
 * query observable, so a document pulled by replication is applied as soon
 * as it is stored) and folds it (fold-inbox.ts) one pass at a time:
 *
 *   verified recipients  → the RecipientDirectory's keys are replaced
 *   policy layers        → onPolicy(effective policy with sources)
 *   decisions            → onDecisions
 *   refused documents    → logged and onRejected (an integrity-alert record),
 *                          once per document version, never used
 *
 * What must survive a restart is in local state ('inbox-trust'): the last
 * accepted recipients document (so a replayed or broken copy cannot take the
 * keys away), the last verified policy layers and decisions (so a deleted
 * one stays in force, even when it vanished while the agent was off), the
 * high-water marks against replays, and which refusals were
 * already recorded (marked only after the alert is durable: a crash repeats
 * an alert rather than losing it).
 */
import type { Subscription } from 'rxjs';
import {
  verifyRecipientsDocument,
  type CorrectionDecisionPayload,
  type InboxDoc,
  type ProjectVersion,
  type ProductivityRuleSet,
  type VerifiedRecipients,
} from '@sealtime/shared';
import type { StaticRecipientDirectory } from '../recorder/recipients.js';
import type { AgentStore } from '../store/agent-store.js';
import { silentLogger, type Logger } from '../store/logger.js';
import {
  foldInbox,
  defaultEffectivePolicy,
  type EffectivePolicy,
  type InboxTrust,
  type RejectedDoc,
} from './fold-inbox.js';

const STATE_ID = 'inbox-trust';
const KEEP_ALERTED = 500;

interface SavedTrust {
  highWater: Record<string, number>;
  recipientsDoc: Record<string, unknown> | null;
  kept: Record<string, InboxDoc>;
  keyrings: string[];
  alerted: string[];
}

export interface InboxWatcherOptions {
  store: AgentStore;
  trust: InboxTrust;
  directory: StaticRecipientDirectory;
  onRecipients?: (recipients: VerifiedRecipients) => void | Promise<void>;
  onPolicy?: (policy: EffectivePolicy) => void | Promise<void>;
  onDecisions?: (decisions: CorrectionDecisionPayload[]) => void | Promise<void>;
  onProjects?: (projects: ProjectVersion[]) => void | Promise<void>;
  /** Records an alert for a refused document; true once it is durable, false when it cannot be recorded yet. */
  onRejected?: (rejected: RejectedDoc) => Promise<boolean>;
  logger?: Logger;
}

export class InboxWatcher {
  private recipientsValue: VerifiedRecipients | null = null;
  private policyValue: EffectivePolicy = defaultEffectivePolicy();
  private policyKey = '';
  private decisionsValue: CorrectionDecisionPayload[] = [];
  private projectsValue: ProjectVersion[] = [];
  private manualDecisionsValue: CorrectionDecisionPayload[] = [];
  private productivityValue: ProductivityRuleSet[] = [];
  private rejectedValue: RejectedDoc[] = [];
  private waiting: string | null = null;
  private saved: SavedTrust;
  private readonly alerted: Set<string>;
  private readonly pendingAlerts = new Map<string, RejectedDoc>();
  private sub: Subscription | undefined;
  private queue: Promise<void> = Promise.resolve();
  private latest: InboxDoc[] | null = null;
  private readonly log: Logger;
  private stopped = false;

  private constructor(
    private readonly options: InboxWatcherOptions,
    saved: SavedTrust,
  ) {
    this.saved = saved;
    this.alerted = new Set(saved.alerted);
    this.log = options.logger ?? silentLogger;
  }

  /** Reads the saved trust state, subscribes, and resolves after the first pass over what is stored. */
  static async start(options: InboxWatcherOptions): Promise<InboxWatcher> {
    const raw = await options.store.getState<Partial<SavedTrust>>(STATE_ID);
    const saved: SavedTrust = {
      highWater: raw?.highWater && typeof raw.highWater === 'object' ? raw.highWater : {},
      recipientsDoc: raw?.recipientsDoc && typeof raw.recipientsDoc === 'object' ? raw.recipientsDoc : null,
      // kept documents are re-verified by every fold, never taken on trust from local state
      kept: raw?.kept && typeof raw.kept === 'object' && !Array.isArray(raw.kept) ? raw.kept : {},
      keyrings: Array.isArray(raw?.keyrings) ? raw.keyrings.filter((x): x is string => typeof x === 'string') : [],
      alerted: Array.isArray(raw?.alerted) ? raw.alerted.filter((x): x is string => typeof x === 'string') : [],
    };
    const w = new InboxWatcher(options, saved);
    if (saved.recipientsDoc) {
      // re-verified, never taken on trust from local state
      const v = verifyRecipientsDocument(saved.recipientsDoc, {
        orgKeyFingerprint: options.trust.orgKeyFingerprint,
        employeeId: options.trust.employeeId,
      });
      if (v.ok) await w.useRecipients(v.value);
    }
    let first: () => void = () => undefined;
    const firstPass = new Promise<void>((r) => (first = r));
    w.sub = options.store.inbox.find().$.subscribe({
      next: (docs) => {
        w.latest = docs.map((d) => d.toJSON() as InboxDoc);
        w.queue = w.queue
          .then(() => w.pass())
          .catch((err: unknown) => w.log.error({ err: (err as Error).message }, 'inbox pass failed'))
          .finally(first);
      },
      error: (err: unknown) => w.log.error({ err: (err as Error).message }, 'inbox query failed'),
    });
    await firstPass;
    return w;
  }

  get keysReady(): boolean {
    return this.recipientsValue !== null;
  }
  get recipients(): VerifiedRecipients | null {
    return this.recipientsValue;
  }
  /** Why capture waits (no verified keys), or null. */
  get waitingReason(): string | null {
    return this.recipientsValue ? null : this.waiting;
  }
  get effective(): EffectivePolicy {
    return this.policyValue;
  }
  get decisions(): readonly CorrectionDecisionPayload[] {
    return this.decisionsValue;
  }
  /** Verified projects that concern this employee (archived ones too). */
  get projects(): readonly ProjectVersion[] {
    return this.projectsValue;
  }
  /** Verified decisions on manual time entries. */
  get manualDecisions(): readonly CorrectionDecisionPayload[] {
    return this.manualDecisionsValue;
  }
  /** The verified productivity rule sets for this employee, organisation first (what classify() takes). */
  get productivityRules(): readonly ProductivityRuleSet[] {
    return this.productivityValue;
  }
  get rejected(): readonly RejectedDoc[] {
    return this.rejectedValue;
  }

  /** Waits for passes already triggered (tests, and stop). */
  async settled(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  /** Tries again to record alerts that could not be recorded yet (called once keys are there). */
  retryAlerts(): Promise<void> {
    return (this.queue = this.queue.then(() => this.flushAlerts()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sub?.unsubscribe();
    await this.settled();
  }

  private async pass(): Promise<void> {
    const docs = this.latest;
    if (!docs || this.stopped) return;
    this.latest = null;
    const folded = foldInbox(docs, this.options.trust, this.saved.highWater, {
      recipients: this.recipientsValue,
      policy: this.policyValue,
      kept: this.saved.kept,
      keyrings: this.saved.keyrings,
    });
    this.waiting = folded.waitingReason;
    let changed =
      JSON.stringify([folded.highWater, folded.kept, folded.keyrings]) !==
      JSON.stringify([this.saved.highWater, this.saved.kept, this.saved.keyrings]);
    this.saved.highWater = folded.highWater;
    this.saved.kept = folded.kept;
    this.saved.keyrings = folded.keyrings;

    if (folded.recipients && folded.recipients !== this.recipientsValue) {
      const raw = docs.find((d) => d.type === 'recipients');
      const fresh =
        !this.recipientsValue ||
        folded.recipients.issuedAt !== this.recipientsValue.issuedAt ||
        !sameKeys(folded.recipients, this.recipientsValue);
      if (raw && fresh) {
        this.saved.recipientsDoc = raw.doc;
        changed = true;
      }
      if (fresh) await this.useRecipients(folded.recipients);
    }

    const key = JSON.stringify([folded.policy.policy, folded.policy.layers]);
    if (key !== this.policyKey) {
      this.policyKey = key;
      this.policyValue = folded.policy;
      this.log.info({ layers: folded.policy.layers.map((l) => `${l.level}:${l.id}`) }, 'effective policy changed');
      await this.call(() => this.options.onPolicy?.(folded.policy), 'policy');
    } else {
      this.policyValue = folded.policy;
    }

    if (JSON.stringify(folded.decisions) !== JSON.stringify(this.decisionsValue)) {
      this.decisionsValue = folded.decisions;
      await this.call(() => this.options.onDecisions?.(folded.decisions), 'decisions');
    }

    if (JSON.stringify(folded.projects) !== JSON.stringify(this.projectsValue)) {
      this.projectsValue = folded.projects;
      await this.call(() => this.options.onProjects?.(folded.projects), 'projects');
    }

    this.manualDecisionsValue = folded.manualDecisions;
    this.productivityValue = folded.productivity;
    this.rejectedValue = folded.rejected;
    for (const r of folded.rejected) {
      if (this.alerted.has(r.version) || this.pendingAlerts.has(r.version)) continue;
      this.log.warn({ id: r.id, code: r.code }, `inbox document refused: ${r.reason}`);
      this.pendingAlerts.set(r.version, r);
    }
    if (changed) await this.persist();
    await this.flushAlerts();
  }

  private async useRecipients(r: VerifiedRecipients): Promise<void> {
    const pick = (role: keyof VerifiedRecipients['keys']) => r.keys[role].map((k) => k.boxPublicKey);
    this.options.directory.replace({
      organisation: pick('organisation'),
      team: pick('team'),
      hr: pick('hr'),
      employee: pick('employee'),
    });
    this.recipientsValue = r;
    this.log.info({ issuedAt: r.issuedAt, teamId: r.teamId }, 'recipient keys in force');
    await this.call(() => this.options.onRecipients?.(r), 'recipients');
  }

  private async flushAlerts(): Promise<void> {
    if (!this.options.onRejected || this.pendingAlerts.size === 0) return;
    let any = false;
    for (const [version, r] of [...this.pendingAlerts]) {
      let done = false;
      try {
        done = await this.options.onRejected(r);
      } catch (err) {
        this.log.error({ id: r.id, err: (err as Error).message }, 'could not record the refusal of an inbox document');
      }
      if (!done) continue;
      this.pendingAlerts.delete(version);
      this.alerted.add(version);
      any = true;
    }
    if (any) await this.persist();
  }

  private async persist(): Promise<void> {
    const alerted = [...this.alerted].slice(-KEEP_ALERTED);
    this.saved.alerted = alerted;
    await this.options.store
      .putState(STATE_ID, this.saved)
      .catch((err: Error) => this.log.error({ err: err.message }, 'could not persist the inbox trust state'));
  }

  private async call(fn: () => void | Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // a listener failing must not stop the inbox from being applied
      this.log.error({ what, err: (err as Error).message }, 'inbox listener failed');
    }
  }
}

function sameKeys(a: VerifiedRecipients, b: VerifiedRecipients): boolean {
  const t = (r: VerifiedRecipients) =>
    JSON.stringify(
      Object.entries(r.keys).map(([role, ks]) => [role, ks.map((k) => Buffer.from(k.boxPublicKey).toString('hex'))]),
    );
  return t(a) === t(b) && a.teamId === b.teamId;
}
