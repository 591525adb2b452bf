/**
 * What the tray app needs from the running agent, owned here (the consumer
 * owns the interface): compose's AgentHandle satisfies it structurally, and
 * electron/main.ts passes one where this is expected, so drift fails tsc.
 *
 * The status is written out as the subset the tray and privacy centre read,
 * not imported from compose.ts: the renderer types against it too and must
 * not reach the agent graph, even for types.
 */
import type { BoxKeyPair, CapturePolicy, IdlePeriodPayload, ProductivityRuleSet } from '@sealtime/shared';
import type { ImageInclusion, OwnDataExport } from '../export/export-own-data.js';
import type { ProjectListEntry } from '../tracking/project-choice.js';

export type AttendanceAction = 'clock-in' | 'clock-out' | 'break-start' | 'break-end';
export type AttendanceStateName = 'off' | 'working' | 'on-break';
export type CaptureStateName = 'waiting-for-keys' | 'starting' | 'running' | 'off' | 'stopped';

export interface TrayAgentStatus {
  device: {
    deviceId: string;
    employeeId: string;
    teamId: string | null;
    serverUrl: string;
    orgKeyFingerprint: string;
    enrolledAt: string;
  };
  running: boolean;
  keys: { ready: boolean; reason: string | null };
  backlog: {
    count: number;
    oldestAt: string | null;
    bytes: number;
    lastError: { message: string; at: string } | null;
    records: { count: number; bytes: number };
    blobs: { count: number; bytes: number };
  };
  lastSyncAt: string | null;
  connected: boolean;
  policy: {
    effective: CapturePolicy;
    sources: Record<string, string>;
    layers: Array<{ level: string; id: string; issuedAt: string }>;
  };
  capture: {
    state: CaptureStateName;
    reason: string | null;
    screenshots: { mode: string; quality: number } | null;
    lastError: { source: string; code: string; message: string; at: string } | null;
  };
  attendance: { state: AttendanceStateName; since: number | null; date: string; timeZone: string } | null;
  /** What is tracked (issue 17); absent from agents before projects existed. */
  tracking?: TrayTracking;
  /** the verified productivity rule sets, organisation first (absent from older agents) */
  productivityRules?: ProductivityRuleSet[];
}

export interface TrayTrackedRef {
  projectId: string;
  taskId?: string;
  label: string;
}

export interface TrayTracking {
  current: TrayTrackedRef | null;
  recent: TrayTrackedRef[];
  /** the policy asks for a project and none is tracked */
  needsProject: boolean;
  note: string | null;
}

export type ActionResult = { ok: true } | { ok: false; error: { code: string; message: string } };

/** A result as the attendance book returns it; only ok and the error are read. */
type AttendanceOutcome = { ok: true } | { ok: false; error: { code: string; message: string } };

export interface TrayAgent {
  status(): Promise<TrayAgentStatus>;
  clockIn(): Promise<AttendanceOutcome>;
  clockOut(): Promise<AttendanceOutcome>;
  breakStart(): Promise<AttendanceOutcome>;
  breakEnd(): Promise<AttendanceOutcome>;
  /** Tracks a project (and task) by id or name; null stops. Absent: an agent without projects. */
  track?(project: string | null, task?: string): Promise<AttendanceOutcome>;
  /** The projects that can be tracked ("Other project…" lists them). Absent: an agent without projects. */
  projects?(): Promise<{ projects: ProjectListEntry[]; tracking: { current: TrayTrackedRef | null } }>;
  /** The employee's own data, decrypted with their key pairs (privacy centre). */
  exportOwnData(keyPairs: readonly BoxKeyPair[], includeImages?: ImageInclusion): Promise<OwnDataExport>;
  /** The employee's key ring from their inbox, still wrapped by their passphrase; null until it arrived. */
  ownKeyring(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Hooks the tray app hands to startAgent (StartAgentOptions has the same
 * fields; electron/main.ts fails to compile if they drift). Without
 * decideIdle, or when it rejects, the policy's discardIdle decides.
 */
export interface AgentShellHooks {
  /** An idle period closed: ask the employee keep or discard (resolves with the answer or the policy default). */
  decideIdle?: (period: IdlePeriodPayload) => Promise<'kept' | 'discarded'>;
  /** An idle period opened (the employee is away). */
  onIdleStart?: (start: number) => void;
  /** A screenshot was sealed and stored. */
  onScreenshot?: (shot: { takenAt: number; blobId: string }) => void;
}

export function runAttendance(agent: TrayAgent, action: AttendanceAction): Promise<AttendanceOutcome> {
  switch (action) {
    case 'clock-in':
      return agent.clockIn();
    case 'clock-out':
      return agent.clockOut();
    case 'break-start':
      return agent.breakStart();
    case 'break-end':
      return agent.breakEnd();
  }
}
