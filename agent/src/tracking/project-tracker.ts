/**
 * What the employee is tracking now, kept in the agent's local state so it
 * survives a restart and can be switched with no server (the CLI writes it
 * through the store when no agent runs).
 *
 * A switch first cuts the open activity slot and focus span at the switch
 * time (capture-session cutAt), with the old project still current, so the
 * time before the switch is sealed with the old project and the time after
 * with the new one: attribution is exact to the second, not to the slot.
 * Switches are serialised; the state is durable before a switch resolves.
 */
import { isProjectRef, type ProjectRef } from '@sealtime/shared';

export const TRACKING_STATE_ID = 'tracking';
const MAX_RECENT = 5;

export interface TrackingState {
  current: ProjectRef | null;
  /** epoch ms the current tracking started */
  since: number | null;
  /** most recent first, without the current one's duplicates */
  recent: ProjectRef[];
}

export interface TrackingStore {
  getState<T extends object>(id: string): Promise<T | undefined>;
  putState(id: string, data: object): Promise<void>;
}

/** Stored state is re-checked on load: junk in it means "nothing tracked", never a crash. */
function readState(raw: Partial<TrackingState> | undefined): TrackingState {
  const current = raw?.current && isProjectRef(raw.current) ? raw.current : null;
  const since = current && Number.isSafeInteger(raw?.since) ? (raw!.since as number) : null;
  const recent = Array.isArray(raw?.recent) ? raw.recent.filter(isProjectRef).slice(0, MAX_RECENT) : [];
  return { current, since, recent };
}

const sameRef = (a: ProjectRef, b: ProjectRef) => a.projectId === b.projectId && a.taskId === b.taskId;

export class ProjectTracker {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: TrackingStore,
    private value: TrackingState,
    private readonly now: () => number,
  ) {}

  static async open(store: TrackingStore, now: () => number = Date.now): Promise<ProjectTracker> {
    return new ProjectTracker(store, readState(await store.getState<Partial<TrackingState>>(TRACKING_STATE_ID)), now);
  }

  get state(): TrackingState {
    return this.value;
  }

  /** The project sealed records carry now. */
  get current(): ProjectRef | undefined {
    return this.value.current ?? undefined;
  }

  /**
   * Switches to `ref` (null: stop tracking). `cut` hands out the capture so
   * far while the old project is still current; if it fails the switch still
   * happens (the open slot then goes to the new project: at most one slot).
   */
  switchTo(ref: ProjectRef | null, cut?: (at: number) => Promise<void>): Promise<TrackingState> {
    const run = async (): Promise<TrackingState> => {
      const at = this.now();
      const cur = this.value.current;
      if ((cur === null && ref === null) || (cur && ref && sameRef(cur, ref))) return this.value;
      if (cut) await cut(at).catch(() => undefined);
      const recent = ref
        ? [ref, ...this.value.recent.filter((r) => !sameRef(r, ref))].slice(0, MAX_RECENT)
        : this.value.recent;
      const next: TrackingState = { current: ref, since: ref ? at : null, recent };
      await this.store.putState(TRACKING_STATE_ID, next);
      this.value = next;
      return next;
    };
    const p = this.queue.then(run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
