/**
 * Where the capture session's output goes: each payload to the recorder, with
 * the two choices the agent makes on the way.
 *
 *   idle period (pending) ──► decideIdle hook (tray: ask the employee)
 *                         └─► the policy's idle.discardIdle: headless, the hook
 *                             failing, or the agent stopping while it waits
 *   screenshot ──► recorder ──► onScreenshot hook, once the image is durable
 *
 * A hook that throws never loses the record. Slots, app events and
 * screenshots carry the project tracked when they are sealed (a switch cuts
 * the open slot first: tracking/project-tracker.ts).
 */
import type { CapturePolicy, IdlePeriodPayload, ProjectRef } from '@sealtime/shared';
import { toIntegrityAlert } from './collectors/anti-bypass/integrity-flag.js';
import type { CaptureSinks } from './collectors/capture-session.js';
import type { Recorder } from './recorder/recorder.js';
import type { RecorderResult } from './recorder/recorder-errors.js';
import type { Logger } from './store/logger.js';

export type IdleDecision = 'kept' | 'discarded';

export interface SinkHooks {
  /** A closed idle period came back pending: the answer to record (the tray's prompt). */
  decideIdle?: (period: IdlePeriodPayload) => Promise<IdleDecision>;
  /** A screenshot's image and record are stored. */
  onScreenshot?: (shot: { takenAt: number; blobId: string }) => void;
  /** An idle period closed (input is back) and is recorded. */
  onIdleEnd?: () => Promise<void>;
  /** An activity slot is recorded (manual time checks new entries against it). */
  onActivitySlot?: (slot: { start: number; slotSeconds: number; activeSeconds: number }) => Promise<void>;
}

export interface SinkDeps {
  recorder: Recorder;
  deviceId: string;
  policy: () => CapturePolicy;
  log: Logger;
  hooks: SinkHooks;
  /** Resolves when the agent stops: a decision still awaited takes the policy default. */
  stopping: Promise<void>;
  /** What the employee tracks now (absent: nothing). */
  project?: () => ProjectRef | undefined;
}

async function must<T>(r: Promise<RecorderResult<T>>): Promise<void> {
  const out = await r;
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
}

export function captureSinks(d: SinkDeps): CaptureSinks {
  const rec = d.recorder;
  const policyDefault = (): IdleDecision => (d.policy().idle.discardIdle ? 'discarded' : 'kept');

  const decide = async (p: IdlePeriodPayload): Promise<IdleDecision> => {
    if (!d.hooks.decideIdle) return policyDefault(); // headless: nobody to ask on return
    try {
      const answer = await Promise.race([d.hooks.decideIdle(p), d.stopping.then(() => 'stopping' as const)]);
      if (answer === 'kept' || answer === 'discarded') return answer;
      if (answer !== 'stopping')
        d.log.warn(
          { answer: String(answer).slice(0, 20) },
          'idle decision hook gave no decision: policy default applied',
        );
    } catch (err) {
      d.log.warn({ err: (err as Error).message }, 'idle decision hook failed: policy default applied');
    }
    return policyDefault();
  };

  const tracked = <T extends object>(p: T): T => {
    const project = d.project?.();
    return project ? { ...p, project } : p;
  };

  return {
    activitySlot: async (p) => {
      const slot = tracked(p);
      await must(rec.record('activity-slot', slot));
      // the slot is durable: a failing hook only weakens the manual-time overlap check
      await d.hooks.onActivitySlot?.(slot).catch(() => undefined);
    },
    appEvent: (p) => must(rec.record('app-event', tracked(p))),
    deviceInfo: (p) => must(rec.record('device-info', p)),
    idlePeriod: async (p) => {
      await must(rec.record('idle-period', p.decision === 'pending' ? { ...p, decision: await decide(p) } : p));
      await d.hooks.onIdleEnd?.();
    },
    screenshot: async (shot) => {
      const r = await rec.recordScreenshot(tracked(shot.meta), shot.image);
      if (!r.ok && r.error.code === 'screenshots-paused') return; // the budget alert is already a record
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      if (d.policy().screenshots.notify) d.log.info({ blobId: r.value.blobId }, 'screenshot taken');
      try {
        d.hooks.onScreenshot?.({ takenAt: shot.meta.takenAt, blobId: r.value.blobId });
      } catch (err) {
        d.log.warn({ err: (err as Error).message }, 'screenshot listener failed');
      }
    },
    integrity: (flag) => must(rec.record('integrity-alert', toIntegrityAlert(flag, d.deviceId))),
  };
}
