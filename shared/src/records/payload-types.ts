/**
 * What is inside a sealed envelope, per record kind. Times are epoch ms
 * (device monotonic clock anchored to wall time); `v` is the payload version.
 * Counts only, never key codes or their order.
 */
import type { ProjectRef } from '../projects/project-ref.js';
import type { AttendanceEventType, AttendanceSource } from '../attendance/types.js';
import type { KeyringDoc } from '../keys/keyring-document.js';
import type { PolicyPatch, LayerLevel, ManualTimeApproval } from '../policy/policy-types.js';

/** One app (and title / URL host where the policy allows) focused within a slot. */
export interface SlotAppUsage {
  app: string;
  title?: string;
  url?: string;
  /** Seconds in focus within the slot. */
  seconds: number;
}

/**
 * Version 2 carries the slot's app usage (`apps`, in order of first use)
 * instead of one app-event record per focus change: about 5x fewer records.
 * Version 1 (sealed before, read as sealed) has no `apps`; its time's app
 * usage is in app-event records. Readers take both (views/app-spans.ts).
 */
export interface ActivitySlotPayload {
  v: 1 | 2;
  start: number;
  slotSeconds: number;
  /** Seconds of the slot with at least one input event (Hubstaff's definition). */
  activeSeconds: number;
  keyPresses: number;
  clicks: number;
  mouseMoves: number;
  scrolls: number;
  /** v2, app tracking on: the slot's app usage (may be empty). Absent: app usage of this time is in app-event records, if any. */
  apps?: SlotAppUsage[];
  /** v2: focus seconds of entries past the cap, summed. */
  appsOtherSeconds?: number;
  /** What the employee was tracking when the slot was sealed; absent: nothing tracked (older slots too). */
  project?: ProjectRef;
}

/** Heartbeat-merged foreground window span (ActivityWatch style). */
export interface AppEventPayload {
  v: 1;
  start: number;
  durationMs: number;
  app: string;
  title?: string;
  url?: string;
  /** What was tracked while the span was sealed, if anything. */
  project?: ProjectRef;
}

export interface IdlePeriodPayload {
  v: 1;
  start: number;
  end: number;
  cause: 'no-input' | 'screen-locked' | 'suspended';
  /** What the employee chose on return; pending until they answer. */
  decision: 'pending' | 'kept' | 'discarded';
}

export interface ScreenshotPayload {
  v: 1;
  takenAt: number;
  screen: number;
  width: number;
  height: number;
  format: 'webp' | 'jpeg' | 'png';
  blurred: boolean;
  /** The sealed image lives in the blobs collection under this id. */
  blobId: string;
  blobBytes: number;
  /** Chain hash (hex) of the sealed blob envelope: binds metadata to image. */
  blobHash: string;
  app?: string;
  /**
   * A small WebP preview (base64, about 320 px wide, at most
   * MAX_THUMB_BYTES), made from the image as stored (so blurred when the
   * image is): reviewers' galleries fill from metadata without the blob.
   */
  thumb?: string;
  /** What was tracked when it was taken, if anything. */
  project?: ProjectRef;
}

// the attendance arithmetic owns these names; payloads reuse them
type AttendanceType = AttendanceEventType;

export interface AttendancePayload {
  v: 1;
  at: number;
  type: AttendanceType;
  source: AttendanceSource;
  note?: string;
}

export interface CorrectionRequestPayload {
  v: 1;
  requestId: string;
  /** Local date (YYYY-MM-DD) the correction is about. */
  date: string;
  change: 'add' | 'remove' | 'move';
  eventType: AttendanceType;
  /** Proposed time (add, move) */
  at?: number;
  /** Record being removed or moved: "<deviceId>:<seq>" */
  target?: string;
  reason: string;
}

export interface CorrectionDecisionPayload {
  v: 1;
  requestId: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: number;
  comment?: string;
}

/**
 * Time the employee states they worked away from the computer. Its kind marks
 * it manual: it is never added to tracked time, and it counts only as its
 * approval says (views/manual-time.ts).
 */
export interface ManualTimePayload {
  v: 1;
  /** The device's id for the entry; decisions name it. */
  entryId: string;
  start: number;
  end: number;
  note: string;
  project?: ProjectRef;
  /**
   * Who approves it, as the policy in force on the device said when it was
   * made: reviewers know whose decision counts without reading policies, and
   * 'none' means approved at once.
   */
  approval: ManualTimeApproval;
}

export interface DeviceInfoPayload {
  v: 1;
  hostname: string;
  platform: 'linux' | 'win32' | 'darwin';
  osVersion: string;
  agentVersion: string;
  screens: number;
  timeZone: string;
}

export interface PolicyPayload {
  v: 1;
  level: LayerLevel;
  id: string;
  settings: PolicyPatch;
  locked?: string[];
  issuedAt: number;
}

export interface KeyringPayload {
  v: 1;
  keyring: KeyringDoc;
}

export interface AuditPayload {
  v: 1;
  at: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, string>;
}

export interface IntegrityAlertPayload {
  v: 1;
  at: number;
  deviceId: string;
  issue:
    | 'missing'
    | 'reordered'
    | 'altered'
    | 'forged'
    | 'fork'
    | 'broken-link'
    | 'malformed'
    | 'clock-jump'
    | 'dropped-capture'
    | 'capture-failed';
  fromSeq?: number;
  toSeq?: number;
  detail: string;
}

export interface PayloadByKind {
  'activity-slot': ActivitySlotPayload;
  'app-event': AppEventPayload;
  'idle-period': IdlePeriodPayload;
  screenshot: ScreenshotPayload;
  attendance: AttendancePayload;
  'correction-request': CorrectionRequestPayload;
  'correction-decision': CorrectionDecisionPayload;
  'device-info': DeviceInfoPayload;
  policy: PolicyPayload;
  keyring: KeyringPayload;
  audit: AuditPayload;
  'integrity-alert': IntegrityAlertPayload;
  'manual-time': ManualTimePayload;
}

export type RecordKind = keyof PayloadByKind;
export type AnyPayload = PayloadByKind[RecordKind];
