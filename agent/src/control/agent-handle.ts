/**
 * What the control socket, the CLI and the tray drive: a running (or
 * offline) agent. Owned here, by its consumers, so control/ never imports
 * the composition root that implements it (compose.ts).
 */
import type { BoxKeyPair, CorrectionDecisionPayload } from '@sealtime/shared';
import type {
  AttendanceResult,
  AttendanceStatus,
  CorrectionInput,
  CorrectionSummary,
} from '../attendance/attendance-book.js';
import type { ManualEntryStatus, ManualEntrySummary, ManualInput, ManualResult } from '../manual-time/manual-book.js';
import type { CaptureSession } from '../collectors/capture-session.js';
import type { AgentStatus } from '../compose-status.js';
import type { AgentPaths } from '../enroll/data-dir.js';
import type { ImageInclusion, OwnDataExport } from '../export/export-own-data.js';
import type { DevicePublicInfo } from '../keystore/device-keystore.js';
import type { ProjectListEntry } from '../tracking/project-choice.js';
import type { TrackResult, TrackingStatus } from '../tracking/tracking-commands.js';

export interface AgentHandle {
  readonly paths: AgentPaths;
  readonly info: DevicePublicInfo;
  status(): Promise<AgentStatus>;
  clockIn(): Promise<AttendanceResult<AttendanceStatus>>;
  clockOut(): Promise<AttendanceResult<AttendanceStatus>>;
  breakStart(): Promise<AttendanceResult<AttendanceStatus>>;
  breakEnd(): Promise<AttendanceResult<AttendanceStatus>>;
  /** Tracks a project (and task) as the employee named them; null stops tracking. Works with no server. */
  track(project: string | null, task?: string): Promise<TrackResult>;
  /** The projects that can be tracked (a search narrows them), and what is tracked now. */
  projects(search?: string): Promise<{ projects: ProjectListEntry[]; tracking: TrackingStatus }>;
  requestCorrection(input: CorrectionInput): Promise<AttendanceResult<CorrectionSummary>>;
  /** A manual time entry, sealed and queued for sync (works offline). */
  addManual(input: ManualInput): Promise<ManualResult<ManualEntrySummary>>;
  /** The device's manual entries with the decisions the inbox brought. */
  listManual(): Promise<ManualEntryStatus[]>;
  /** The employee's own data, decrypted with their key pairs. */
  exportOwnData(
    keyPairs: readonly BoxKeyPair[],
    includeImages?: ImageInclusion,
  ): Promise<OwnDataExport & { decisions: CorrectionDecisionPayload[]; manualDecisions: CorrectionDecisionPayload[] }>;
  /** The employee's key ring as the admin sent it to their inbox (wrapped by their passphrase), or null before it arrived. */
  ownKeyring(): Promise<unknown>;
  /** Resolves once verified keys are in force (or rejects after timeoutMs). */
  waitForKeys(timeoutMs: number): Promise<void>;
  /** The running capture session, if any (tests). */
  readonly session: CaptureSession | undefined;
  /** Resolves after pending inbox passes and a sync reconcile (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}
