/**
 * Manual time on the device: the employee states time worked away from the
 * computer; each entry is one sealed `manual-time` record, written offline
 * like any other and synced later. The decision (when the policy asks for
 * one) comes back signed through the inbox; `list` joins the two.
 *
 * The device cannot open its own sealed records, so it keeps its entries and
 * the active slots it recorded lately in local state, and refuses an entry
 * that overlaps another of its entries or activity it tracked itself (what
 * it cannot know — another device's activity — the admin views flag).
 * The entry is noted as an intent with its seq before the record is written,
 * as the attendance book does, so a crash between the two loses nothing.
 */
import { randomBytes } from 'node:crypto';
import {
  checkManualEntry,
  DEFAULT_POLICY,
  hourOf,
  manualStatusOf,
  recordDocId,
  routingClassOf,
  type CapturePolicy,
  type CorrectionDecisionPayload,
  type ManualStatus,
  type ManualTimeApproval,
  type ManualTimePayload,
  type ProjectRef,
  type Result,
  type TrackedSlot,
} from '@sealtime/shared';
import type { Recorder, RecordedRef } from '../recorder/recorder.js';
import type { RecorderErrorCode } from '../recorder/recorder-errors.js';
import type { AgentStore } from '../store/agent-store.js';

export type ManualErrorCode =
  'disabled' | 'bad-span' | 'in-future' | 'overlaps-manual' | 'overlaps-tracked' | RecorderErrorCode;

export type ManualResult<T> = Result<T, { code: ManualErrorCode; message: string }>;

export interface ManualEntrySummary {
  entryId: string;
  start: number;
  end: number;
  note: string;
  project?: ProjectRef;
  /** Who approves it (the policy when it was made). */
  approval: ManualTimeApproval;
  requestedAt: number;
  seq: number;
}

export interface ManualEntryStatus extends ManualEntrySummary {
  status: ManualStatus;
  decidedBy?: string;
  decidedAt?: number;
  /** The approver's reason. */
  comment?: string;
}

export interface ManualInput {
  start: number;
  end: number;
  note: string;
  project?: ProjectRef;
}

interface SavedState {
  entries: ManualEntrySummary[];
  /** Active slots recorded lately (enough to check an entry of the last day or two). */
  slots: TrackedSlot[];
  intent: ManualEntrySummary | null;
}

const STATE_ID = 'manual-time';
const KEEP_ENTRIES = 500;
const KEEP_SLOTS_MS = 3 * 24 * 3_600_000;

export class ManualBook {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly recorder: Recorder,
    private readonly store: AgentStore,
    private saved: SavedState,
    private readonly policy: () => CapturePolicy,
  ) {}

  static async open(recorder: Recorder, store: AgentStore, policy: () => CapturePolicy): Promise<ManualBook> {
    const raw = await store.getState<Partial<SavedState>>(STATE_ID);
    const saved: SavedState = {
      entries: Array.isArray(raw?.entries) ? raw.entries : [],
      slots: Array.isArray(raw?.slots) ? raw.slots : [],
      intent: raw?.intent ?? null,
    };
    if (saved.intent) {
      const i = saved.intent;
      const doc = await store.records.findOne(recordDocId(recorder.deviceId, i.seq)).exec();
      // the stored document shows only class and hour; with the seq the intent reserved, enough
      if (doc && doc.class === routingClassOf('manual-time') && doc.hour === hourOf(i.requestedAt)) keep(saved, i);
      saved.intent = null;
      await store.putState(STATE_ID, saved);
    }
    return new ManualBook(recorder, store, saved, policy);
  }

  add(input: ManualInput): Promise<ManualResult<ManualEntrySummary>> {
    return this.serialised(async () => {
      // a policy kept by an older agent has no manualTime group: the defaults apply
      const manual = this.policy().manualTime ?? DEFAULT_POLICY.manualTime;
      if (!manual.enabled)
        return { ok: false, error: { code: 'disabled', message: 'manual time is switched off by policy' } };
      const problem = checkManualEntry(input, {
        now: this.recorder.now(),
        existing: this.saved.entries,
        tracked: this.saved.slots,
      });
      if (problem) return { ok: false, error: { code: problem.code, message: problem.message } };
      const entryId = `mt-${randomBytes(8).toString('hex')}`;
      const approval = manual.approval;
      let summary: ManualEntrySummary | undefined;
      const r = await this.recorder.record(
        'manual-time',
        (): ManualTimePayload => ({
          v: 1,
          entryId,
          start: input.start,
          end: input.end,
          note: input.note,
          ...(input.project ? { project: input.project } : {}),
          approval,
        }),
        {
          beforeWrite: async (ref: RecordedRef) => {
            summary = {
              entryId,
              start: input.start,
              end: input.end,
              note: input.note,
              ...(input.project ? { project: input.project } : {}),
              approval,
              requestedAt: ref.createdAt,
              seq: ref.seq,
            };
            this.saved.intent = summary;
            await this.store.putState(STATE_ID, this.saved);
          },
        },
      );
      if (!r.ok) {
        this.saved.intent = null;
        return { ok: false, error: { code: r.error.code, message: r.error.message } };
      }
      keep(this.saved, summary!);
      this.saved.intent = null;
      await this.store.putState(STATE_ID, this.saved).catch(() => undefined); // repaired on the next open
      return { ok: true, value: summary! };
    });
  }

  /** An activity slot the device recorded: kept a few days when it had activity, for the overlap check. */
  noteSlot(slot: TrackedSlot): Promise<void> {
    if (slot.activeSeconds <= 0) return Promise.resolve();
    return this.serialised(async () => {
      const horizon = this.recorder.now() - KEEP_SLOTS_MS;
      this.saved.slots = [...this.saved.slots.filter((s) => s.start >= horizon), slot];
      await this.store.putState(STATE_ID, this.saved).catch(() => undefined); // a lost slot only weakens the check
    });
  }

  /** Every entry with its status, newest first. */
  list(decisions: readonly CorrectionDecisionPayload[]): ManualEntryStatus[] {
    const byId = new Map(decisions.map((d) => [d.requestId, d]));
    return [...this.saved.entries]
      .sort((a, b) => b.start - a.start)
      .map((e) => {
        const d = byId.get(e.entryId);
        return {
          ...e,
          status: manualStatusOf(d, e.approval ?? 'manager'),
          ...(d ? { decidedBy: d.decidedBy, decidedAt: d.decidedAt } : {}),
          ...(d?.comment ? { comment: d.comment } : {}),
        };
      });
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function keep(saved: SavedState, e: ManualEntrySummary): void {
  saved.entries.push(e);
  if (saved.entries.length > KEEP_ENTRIES) saved.entries = saved.entries.slice(-KEEP_ENTRIES);
}
