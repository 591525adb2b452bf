/**
 * What the anti-bypass detectors report. A flag becomes an integrity-alert
 * record for reviewers (toIntegrityAlert). Flags describe patterns and
 * timings only, never input content.
 */
import type { IntegrityAlertPayload } from '@sealtime/shared';
import type { InputGap } from '../input/hook-supervisor.js';

export type FlagKind =
  /** input too regular to be human: mouse jiggler, auto-clicker, key repeater */
  | 'synthetic-input'
  /** the agent process did not run (SIGSTOP, debugger, starved) */
  | 'process-suspended'
  /** the system clock was changed */
  | 'clock-jump'
  /** a capture source was blind (input hook dead) */
  | 'capture-gap'
  /** a capture helper failed (xrandr, ImageMagick, the X server gone): screenshots missing */
  | 'capture-failed';

export interface IntegrityFlag {
  kind: FlagKind;
  /** The shared payload's issue this maps to. */
  issue: IntegrityAlertPayload['issue'];
  /** When it was noticed (epoch ms). */
  at: number;
  /** The period it concerns, when known. */
  start?: number;
  end?: number;
  detail: string;
}

// IntegrityAlertPayload has no 'synthetic-input' issue yet: faked activity is
// reported as capture that cannot be counted ('dropped-capture'); the detail
// names the pattern.
const ISSUE: Record<FlagKind, IntegrityAlertPayload['issue']> = {
  'synthetic-input': 'dropped-capture',
  'process-suspended': 'dropped-capture',
  'clock-jump': 'clock-jump',
  'capture-gap': 'dropped-capture',
  'capture-failed': 'capture-failed',
};

export function makeFlag(
  kind: FlagKind,
  at: number,
  detail: string,
  period?: { start: number; end: number },
): IntegrityFlag {
  const flag: IntegrityFlag = { kind, issue: ISSUE[kind], at, detail };
  if (period) {
    flag.start = period.start;
    flag.end = period.end;
  }
  return flag;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toIntegrityAlert(flag: IntegrityFlag, deviceId: string): IntegrityAlertPayload {
  const when = flag.start !== undefined && flag.end !== undefined ? ` [${iso(flag.start)} – ${iso(flag.end)}]` : '';
  return {
    v: 1,
    at: flag.at,
    deviceId,
    issue: flag.issue,
    detail: `${flag.kind}: ${flag.detail}${when}`.slice(0, 2000),
  };
}

export function inputGapFlag(gap: InputGap): IntegrityFlag {
  const secs = Math.round((gap.end - gap.start) / 1000);
  const how = gap.recovered
    ? `restarted after ${gap.attempts} attempt(s)`
    : `not recovered after ${gap.attempts} attempt(s)`;
  return makeFlag('capture-gap', gap.end, `input capture was down for ${secs} s (${gap.reason}); ${how}`, {
    start: gap.start,
    end: gap.end,
  });
}
