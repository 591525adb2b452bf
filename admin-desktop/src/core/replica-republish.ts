/**
 * Between replica rows landing and the views being published again: rows are
 * noted as they arrive (who, which device, which sealing hour) and, a quarter
 * second after the first, only the touched people's opened hours are dropped,
 * someone new (or a new device) has their directory entry read again, and
 * every subscription is published once. A burst of pulled batches therefore
 * costs one re-publish, not one per batch.
 */
import type { DeviceKeys } from './record-opening.js';
import type { ReplicaDoc } from './replica-store.js';
import type { Unlocked } from './unlocked-session.js';

export interface RepublishHooks {
  /** The session now unlocked (null when locked: pending changes are then dropped). */
  current: () => Unlocked | null;
  /** Reads the directory and device keys again for these people. */
  refresh: (u: Unlocked, people: Set<string>) => Promise<void>;
  /** Publishes every subscription again (`syncOnly`: only the sync status changed). */
  publishAll: (syncOnly: boolean) => void;
  /** A refresh failed while its session was still unlocked. */
  fail: (err: unknown) => void;
}

export const REPUBLISH_DELAY_MS = 250;

export class ReplicaRepublisher {
  private timer: NodeJS.Timeout | null = null;
  /** People to read again from the directory (new to the core, or a device not known yet). */
  private readonly changed = new Set<string>();
  /** Sealing hours of the rows that arrived per employee since the last re-publish: only their opened days are dropped. */
  private readonly changedHours = new Map<string, Set<number>>();
  /** The refresh in progress: lock/close wait for it before closing the store. */
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly hooks: RepublishHooks) {}

  /** A row written to (or deleted from) the replica. */
  noteRow(row: Pick<ReplicaDoc, 'employeeId' | 'deviceId' | 'hour'>, devices: ReadonlyMap<string, DeviceKeys>): void {
    const e = row.employeeId;
    // the directory and device keys are read again only for someone new or a device not known yet
    const known = devices.get(e);
    if (known === undefined || (known !== null && !known.has(row.deviceId))) this.changed.add(e);
    let hours = this.changedHours.get(e);
    if (!hours) this.changedHours.set(e, (hours = new Set()));
    hours.add(row.hour);
  }

  /** Re-publishes soon; calls within the delay share one run. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.run(), REPUBLISH_DELAY_MS);
  }

  /** Resolves when the refresh started last has settled (never rejects). */
  settled(): Promise<void> {
    return this.inflight;
  }

  /** Cancels a scheduled run (the core is closing). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    const u = this.hooks.current();
    if (!u || (this.changed.size === 0 && this.changedHours.size === 0)) {
      this.hooks.publishAll(true);
      return;
    }
    const changed = new Set(this.changed);
    this.changed.clear();
    for (const [e, hours] of this.changedHours) u.index.invalidateHours(e, hours);
    this.changedHours.clear();
    u.index.invalidate(changed);
    const refresh = changed.size > 0 ? this.hooks.refresh(u, changed) : Promise.resolve();
    this.inflight = refresh.then(
      () => this.hooks.publishAll(false),
      (err: unknown) => {
        // a lock or close while this ran is not a failure worth showing
        if (this.hooks.current() === u) this.hooks.fail(err);
      },
    );
  }
}
