/**
 * The agent's status as `sealtime-agent status` shows it: backlog, sync,
 * keys, capture state, attendance, and the effective policy with the level
 * that set each value. Built from the composed parts, no I/O.
 */
import type { CorrectionDecisionPayload, PolicySource, ProductivityRuleSet } from '@sealtime/shared';
import type { AttendanceStatus, CorrectionSummary } from './attendance/attendance-book.js';
import type { CaptureSession, CaptureState } from './collectors/capture-session.js';
import { groupFingerprint } from './enroll/enrollment-code.js';
import type { AppliedLayer, EffectivePolicy, RejectedDoc } from './inbox/fold-inbox.js';
import type { InboxWatcher } from './inbox/inbox-watcher.js';
import type { DevicePublicInfo } from './keystore/device-keystore.js';
import type { BacklogStatus } from './store/backlog.js';
import type { SyncStatus } from './sync/agent-sync.js';
import type { TrackingStatus } from './tracking/tracking-commands.js';

export type CaptureStateName = 'waiting-for-keys' | 'starting' | 'running' | 'off' | 'stopped';

export interface AgentStatus {
  device: {
    deviceId: string;
    employeeId: string;
    teamId: string | null;
    serverUrl: string;
    orgKeyFingerprint: string;
    enrolledAt: string;
  };
  running: boolean;
  keys: { ready: boolean; reason: string | null; recipientsIssuedAt: string | null };
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
    effective: EffectivePolicy['policy'];
    /** Dotted path → the level that set it ("default", "organisation:acme", "team:t1", ...). */
    sources: Record<string, string>;
    ignored: EffectivePolicy['ignored'];
    layers: Array<Omit<AppliedLayer, 'issuedAt'> & { issuedAt: string }>;
  };
  capture: {
    state: CaptureStateName;
    reason: string | null;
    collectors: CaptureState | null;
    screenshots: { mode: string; quality: number } | null;
    lastError: { source: string; code: string; message: string; at: string } | null;
  };
  attendance:
    (AttendanceStatus & { corrections: Array<CorrectionSummary & { decision?: CorrectionDecisionPayload }> }) | null;
  inbox: {
    decisions: CorrectionDecisionPayload[];
    refused: Array<Pick<RejectedDoc, 'id' | 'type' | 'code' | 'reason'>>;
    /** the verified productivity rule sets in force here, organisation first */
    productivityRules: Array<{ level: string; id: string; issuedAt: string; rules: number }>;
  };
  /** The project tracked now; absent from agents before projects existed. */
  tracking?: TrackingStatus;
  /** the same sets in full, so the employee's pages classify their day as reviewers do */
  productivityRules: ProductivityRuleSet[];
}

export interface StatusParts {
  info: DevicePublicInfo;
  running: boolean;
  stopped: boolean;
  wantCapture: boolean;
  watcher: InboxWatcher;
  backlog: BacklogStatus;
  sync: SyncStatus | undefined;
  /** The running session (after its start completed). */
  session: CaptureSession | undefined;
  starting: boolean;
  screenshots: { mode: string; quality: number } | null;
  attendance: AttendanceStatus | undefined;
  lastCaptureError: AgentStatus['capture']['lastError'];
  tracking?: TrackingStatus;
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
const sourceText = (s: PolicySource) => (s.id === undefined ? s.level : `${s.level}:${s.id}`);

function decisionFor(
  decisions: readonly CorrectionDecisionPayload[],
  requestId: string,
): CorrectionDecisionPayload | undefined {
  return decisions.find((d) => d.requestId === requestId);
}

/** A correction with its decision, when one came: no `decision` key at all otherwise. */
function withDecision<C extends CorrectionSummary>(
  c: C,
  decision: CorrectionDecisionPayload | undefined,
): C & { decision?: CorrectionDecisionPayload } {
  return decision ? { ...c, decision } : c;
}

/**
 * The error to show: the last one, unless a sync has succeeded since. An
 * outage's error kept after the link came back would tell the employee that
 * syncing still fails.
 */
export function currentError(
  last: { message: string; at: number } | null | undefined,
  lastSuccessAt: number | null | undefined,
): { message: string; at: string } | null {
  if (!last) return null;
  if (lastSuccessAt !== null && lastSuccessAt !== undefined && lastSuccessAt >= last.at) return null;
  return { message: last.message, at: iso(last.at)! };
}

export function buildStatus(p: StatusParts): AgentStatus {
  const b = p.backlog;
  const w = p.watcher;
  const eff = w.effective;
  const sources: Record<string, string> = {};
  for (const [path, src] of Object.entries(eff.source)) sources[path] = sourceText(src);
  const st = p.sync;
  const decisions = [...w.decisions];
  const att = p.attendance;
  const captureState: CaptureStateName = p.stopped
    ? 'stopped'
    : !w.keysReady
      ? 'waiting-for-keys'
      : !p.wantCapture
        ? 'off'
        : p.session
          ? 'running'
          : 'starting';
  return {
    device: {
      deviceId: p.info.deviceId,
      employeeId: p.info.employeeId,
      teamId: w.recipients?.teamId ?? p.info.teamId,
      serverUrl: p.info.serverUrl,
      orgKeyFingerprint: groupFingerprint(p.info.orgKeyFingerprint.replace(/\s/g, '')),
      enrolledAt: iso(p.info.enrolledAt)!,
    },
    running: p.running,
    keys: { ready: w.keysReady, reason: w.waitingReason, recipientsIssuedAt: iso(w.recipients?.issuedAt) },
    backlog: {
      count: b.count,
      oldestAt: iso(b.oldestCreatedAt),
      bytes: b.bytes,
      lastError: currentError(st?.lastError ?? b.lastError, st?.lastSuccessAt ?? b.lastSyncAt),
      records: b.records,
      blobs: b.blobs,
    },
    lastSyncAt: iso(st?.lastSuccessAt ?? b.lastSyncAt),
    connected: st?.connected ?? false,
    policy: {
      effective: eff.policy,
      sources,
      ignored: eff.ignored,
      layers: eff.layers.map((l) => ({ ...l, issuedAt: iso(l.issuedAt)! })),
    },
    capture: {
      state: captureState,
      reason:
        captureState === 'waiting-for-keys'
          ? w.waitingReason
          : captureState === 'off'
            ? 'capture is not running in this process (no agent `run`)'
            : null,
      collectors: p.session?.state ?? null,
      screenshots: p.screenshots,
      lastError: p.lastCaptureError,
    },
    attendance: att
      ? { ...att, corrections: att.corrections.map((c) => withDecision(c, decisionFor(decisions, c.requestId))) }
      : null,
    inbox: {
      decisions,
      refused: w.rejected.map(({ id, type, code, reason }) => ({ id, type, code, reason })),
      productivityRules: w.productivityRules.map((r) => ({
        level: r.level,
        id: r.id,
        issuedAt: iso(r.issuedAt)!,
        rules: r.versions.at(-1)?.rules.length ?? 0,
      })),
    },
    productivityRules: [...w.productivityRules],
    ...(p.tracking ? { tracking: p.tracking } : {}),
  };
}
