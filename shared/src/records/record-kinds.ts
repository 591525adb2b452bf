/**
 * The registry of record kinds: who receives each kind's data key, the rules
 * across fields, and validation. Recipient roles follow DESIGN.md: the
 * organisation sees everything operational, the team lead what concerns work
 * (activity and attendance of their team), HR attendance and corrections (no
 * activity, no screenshots), the employee all of their own records.
 */
import { manualSpanProblem } from '../manual-time/manual-entry.js';
import { checkShape } from './check.js';
import { PAYLOAD_SHAPES } from './payload-shapes.js';
import type { AnyPayload, PayloadByKind, RecordKind } from './payload-types.js';

export type RecipientRole = 'organisation' | 'team' | 'hr' | 'employee';

export const RECORD_KINDS = Object.keys(PAYLOAD_SHAPES) as RecordKind[];

export const RECIPIENTS: Record<RecordKind, readonly RecipientRole[]> = {
  'activity-slot': ['organisation', 'team', 'employee'],
  'app-event': ['organisation', 'team', 'employee'],
  'idle-period': ['organisation', 'team', 'employee'],
  screenshot: ['organisation', 'team', 'employee'],
  // a manager reviews their team's worked time (dashboard hours, attendance sheets): attendance is theirs to open too
  attendance: ['organisation', 'team', 'hr', 'employee'],
  'correction-request': ['organisation', 'team', 'hr', 'employee'],
  'correction-decision': ['organisation', 'team', 'hr', 'employee'],
  'device-info': ['organisation', 'employee'],
  policy: ['organisation', 'team', 'employee'],
  keyring: ['organisation'],
  audit: ['organisation'],
  'integrity-alert': ['organisation', 'employee'],
  // like corrections: the team's manager or HR approves it, per policy
  'manual-time': ['organisation', 'team', 'hr', 'employee'],
};

export function isRecordKind(x: unknown): x is RecordKind {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(PAYLOAD_SHAPES, x);
}

/** Rules that span fields, beyond what the shapes say. */
function crossCheck(kind: RecordKind, p: Record<string, unknown>): string | undefined {
  switch (kind) {
    case 'activity-slot': {
      if ((p.activeSeconds as number) > (p.slotSeconds as number)) return 'activeSeconds cannot exceed slotSeconds';
      if (p.v === 1 && (p.apps !== undefined || p.appsOtherSeconds !== undefined)) return 'app usage needs version 2';
      const apps = (p.apps ?? []) as { seconds: number }[];
      const focused = apps.reduce((sum, a) => sum + a.seconds, 0) + ((p.appsOtherSeconds as number | undefined) ?? 0);
      return focused > (p.slotSeconds as number) ? 'app focus seconds cannot exceed slotSeconds' : undefined;
    }
    case 'idle-period':
      return (p.end as number) < (p.start as number) ? 'end is before start' : undefined;
    case 'correction-request': {
      if ((p.change === 'add' || p.change === 'move') && p.at === undefined)
        return `a ${String(p.change)} correction needs the proposed time`;
      if ((p.change === 'remove' || p.change === 'move') && p.target === undefined)
        return `a ${String(p.change)} correction names its target record`;
      return undefined;
    }
    case 'manual-time':
      return manualSpanProblem(p.start as number, p.end as number);
    case 'integrity-alert':
      return p.fromSeq !== undefined && p.toSeq !== undefined && (p.toSeq as number) < (p.fromSeq as number)
        ? 'toSeq is before fromSeq'
        : undefined;
    default:
      return undefined;
  }
}

export type PayloadCheck<K extends RecordKind> = { ok: true; value: PayloadByKind[K] } | { ok: false; message: string };

export function validatePayload<K extends RecordKind>(kind: K, payload: unknown): PayloadCheck<K> {
  if (!isRecordKind(kind)) return { ok: false, message: `unknown record kind ${String(kind)}` };
  let problem: string | undefined;
  try {
    problem = checkShape(payload, PAYLOAD_SHAPES[kind]) ?? crossCheck(kind, payload as Record<string, unknown>);
  } catch {
    problem = 'payload could not be inspected'; // hostile getters or proxies
  }
  return problem ? { ok: false, message: `${kind}: ${problem}` } : { ok: true, value: payload as PayloadByKind[K] };
}

export type { AnyPayload };
