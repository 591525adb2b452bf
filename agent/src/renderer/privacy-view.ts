/**
 * The privacy centre's content as plain data: what the agent is doing, under
 * which policy (and which level set each value), and exactly what it
 * recorded. Pure and DOM-free: main builds RecordedView from the export,
 * the page turns both into elements (privacy-centre.ts), tests read it here.
 *
 * Loaded by the renderer as a module: type imports only (erased), no packages.
 */
import type { OwnDataExport } from '../export/export-own-data.js';
import type { StatusSnapshot } from '../ipc/status-snapshot.js';

export interface Row {
  label: string;
  value: string;
}

export interface PolicyRow {
  path: string;
  value: string;
  source: string;
}

export interface StatusView {
  headline: string;
  device: Row[];
  backlog: Row[];
  capture: Row[];
  policy: PolicyRow[];
  layers: Row[];
}

export interface RecordedRow {
  seq: number;
  kind: string;
  createdAt: string;
  /** The decrypted payload as JSON, exactly as stored (cut at MAX_PAYLOAD_CHARS, marked). */
  payload: string | null;
  problem: string | null;
}

export interface RecordedView {
  exportedAt: string;
  summary: Row[];
  chain: { ok: boolean; verified: number; issues: string[] };
  /** Newest first. */
  rows: RecordedRow[];
  /** Records in the export not listed here (the saved export has them all). */
  omitted: number;
}

export const MAX_ROWS = 500;
export const MAX_PAYLOAD_CHARS = 4000;

const iso = (ms: number): string => new Date(ms).toISOString();

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Dotted leaf paths of a nested settings object, in a stable order. */
export function flatten(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.keys(value)
    .sort()
    .flatMap((k) => flatten((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
}

const show = (v: unknown): string => (Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : String(v));

export function statusView(snap: StatusSnapshot): StatusView {
  const s = snap.agent;
  if (!s) {
    const headline =
      snap.app.phase === 'not-enrolled'
        ? 'This device is not enrolled: nothing is recorded.'
        : snap.app.phase === 'failed'
          ? `The agent is not running: ${snap.app.error ?? 'unknown error'}`
          : 'The agent is starting…';
    return { headline, device: [], backlog: [], capture: [], policy: [], layers: [] };
  }
  const b = s.backlog;
  const headline = s.capture.state === 'running' ? 'Recording under the policy below.' : `Not recording: ${s.capture.reason ?? s.capture.state}`;
  return {
    headline,
    device: [
      { label: 'Device', value: s.device.deviceId },
      { label: 'Employee', value: s.device.employeeId },
      { label: 'Team', value: s.device.teamId ?? '(none)' },
      { label: 'Server', value: s.device.serverUrl },
      { label: 'Organisation key', value: s.device.orgKeyFingerprint },
      { label: 'Enrolled', value: s.device.enrolledAt },
    ],
    backlog: [
      { label: 'Waiting to sync', value: `${b.count} (${b.records.count} records, ${b.blobs.count} screenshots)` },
      { label: 'Size', value: formatBytes(b.bytes) },
      { label: 'Oldest waiting', value: b.oldestAt ?? '—' },
      { label: 'Last sync', value: s.lastSyncAt ?? 'never' },
      { label: 'Server reachable', value: s.connected ? 'yes' : 'no' },
      { label: 'Last sync error', value: b.lastError ? `${b.lastError.at}: ${b.lastError.message}` : '—' },
    ],
    capture: [
      { label: 'State', value: s.capture.state },
      { label: 'Screenshots', value: s.capture.screenshots ? `${s.capture.screenshots.mode} (quality ${s.capture.screenshots.quality})` : '—' },
      { label: 'Last problem', value: s.capture.lastError ? `${s.capture.lastError.at} ${s.capture.lastError.source}: ${s.capture.lastError.message}` : '—' },
      { label: 'Attendance', value: s.attendance ? s.attendance.state : '—' },
    ],
    policy: flatten(s.policy.effective).map(([path, v]) => ({ path, value: show(v), source: s.policy.sources[path] ?? 'default' })),
    layers: s.policy.layers.map((l) => ({ label: `${l.level}:${l.id}`, value: `issued ${l.issuedAt}` })),
  };
}

export function recordedView(data: OwnDataExport, maxRows = MAX_ROWS): RecordedView {
  const newest = [...data.records].sort((a, b) => b.seq - a.seq).slice(0, maxRows);
  const byKind = Object.entries(data.summary.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  return {
    exportedAt: iso(data.exportedAt),
    summary: [
      { label: 'Records', value: `${data.summary.records} (${data.summary.readable} readable with your key)` },
      { label: 'By kind', value: byKind || '(none)' },
      { label: 'Screenshots', value: `${data.summary.images} (${data.summary.imagesVerified} verified against their record)` },
      { label: 'Device', value: data.deviceId },
    ],
    chain: { ok: data.chain.ok, verified: data.chain.verified, issues: data.chain.issues.map((i) => JSON.stringify(i).slice(0, 300)) },
    rows: newest.map((r) => {
      const problems = [r.error ? `${r.error.code}: ${r.error.message}` : null, r.image && !r.image.verified ? `image not verified${r.image.problem ? `: ${r.image.problem}` : ''}` : null].filter((p): p is string => p !== null);
      let payload: string | null = null;
      if (r.payload !== undefined) {
        const text = JSON.stringify(r.payload, null, 1);
        payload = text.length > MAX_PAYLOAD_CHARS ? `${text.slice(0, MAX_PAYLOAD_CHARS)}… (${text.length - MAX_PAYLOAD_CHARS} more characters in the export)` : text;
      }
      return { seq: r.seq, kind: r.kind, createdAt: iso(r.createdAt), payload, problem: problems.length ? problems.join('; ') : null };
    }),
    omitted: Math.max(0, data.records.length - newest.length),
  };
}
