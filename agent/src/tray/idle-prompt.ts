/**
 * Keep or discard an idle period: when the employee comes back, the tray
 * asks. Until they answer, the period waits here; with no answer within
 * `answerWithinMs` the policy's default applies (discardIdle), so a record
 * is never held back forever by a prompt nobody saw.
 *
 *   idle opens ──► (away) ──► period closes ──► decide(period) ─┬─ answer(id, keep|discard)
 *                                                               └─ timeout → policy default
 *
 * One prompt at a time, oldest first; later periods queue behind it.
 */
import type { IdlePeriodPayload } from '@sealtime/shared';
import { formatDistanceStrict } from 'date-fns';

export type IdleChoice = 'keep' | 'discard';
export type IdleDecision = 'kept' | 'discarded';

export interface IdlePromptView {
  promptId: string;
  start: number;
  end: number;
  /** Why the period counts as away (the prompt says it in words). */
  cause: IdlePeriodPayload['cause'];
  /** "You were away for 29 minutes (no input)." */
  message: string;
  /** What happens without an answer. */
  defaultChoice: IdleChoice;
  answerBy: number;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Pending {
  view: IdlePromptView;
  resolve: (d: IdleDecision) => void;
  timer: unknown;
}

export interface IdleDeciderOptions {
  /** The policy's idle.discardIdle, read at decision time. */
  discardByDefault: () => boolean;
  answerWithinMs?: number;
  now?: () => number;
  timers?: Timers;
  /** The front prompt changed (open/refresh the prompt window, update the tray). null = none. */
  onChange?: (current: IdlePromptView | null) => void;
}

const CAUSE: Record<IdlePeriodPayload['cause'], string> = {
  'no-input': 'no keyboard or mouse input',
  'screen-locked': 'screen locked',
  suspended: 'computer asleep',
};

export function idleMessage(period: Pick<IdlePeriodPayload, 'start' | 'end' | 'cause'>): string {
  return `You were away for ${formatDistanceStrict(period.start, period.end)} (${CAUSE[period.cause]}). Keep this time as worked, or discard it?`;
}

export class IdleDecider {
  private readonly queue: Pending[] = [];
  private seq = 0;
  private readonly within: number;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly options: IdleDeciderOptions) {
    this.within = options.answerWithinMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? realTimers;
  }

  get current(): IdlePromptView | null {
    return this.queue[0]?.view ?? null;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The hook handed to the agent: resolves once the employee (or the timeout) decides. */
  decide(period: IdlePeriodPayload): Promise<IdleDecision> {
    // a period someone already decided (screen-lock rules, replays) is passed through
    if (period.decision !== 'pending') return Promise.resolve(period.decision);
    return new Promise<IdleDecision>((resolve) => {
      const discard = this.options.discardByDefault();
      const view: IdlePromptView = {
        promptId: `idle-${++this.seq}`,
        start: period.start,
        end: period.end,
        cause: period.cause,
        message: idleMessage(period),
        defaultChoice: discard ? 'discard' : 'keep',
        answerBy: this.now() + this.within,
      };
      const entry: Pending = { view, resolve, timer: undefined };
      entry.timer = this.timers.set(() => this.settle(view.promptId, discard ? 'discarded' : 'kept'), this.within);
      this.queue.push(entry);
      if (this.queue.length === 1) this.options.onChange?.(view);
    });
  }

  /** The employee's answer. False for an unknown or already settled prompt (a stale window, a double click). */
  answer(promptId: string, choice: IdleChoice): boolean {
    return this.settle(promptId, choice === 'keep' ? 'kept' : 'discarded');
  }

  /** Shutting down: every open prompt takes its default, so no period is lost. */
  settleAll(): void {
    for (const p of [...this.queue])
      this.settle(p.view.promptId, p.view.defaultChoice === 'discard' ? 'discarded' : 'kept');
  }

  private settle(promptId: string, decision: IdleDecision): boolean {
    const i = this.queue.findIndex((p) => p.view.promptId === promptId);
    if (i < 0) return false;
    const [p] = this.queue.splice(i, 1);
    this.timers.clear(p!.timer);
    p!.resolve(decision);
    if (i === 0) this.options.onChange?.(this.current);
    return true;
  }
}
