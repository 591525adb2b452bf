/** A TrayAgentStatus for the tray tests, overridable per field. */
import { DEFAULT_POLICY, type CapturePolicy } from '@sealtime/shared';
import type { TrayAgentStatus } from './agent-port.js';

export function statusFixture(
  over: { [K in keyof TrayAgentStatus]?: Partial<TrayAgentStatus[K]> } & {
    policy?: { effective?: CapturePolicy };
  } = {},
): TrayAgentStatus {
  const base: TrayAgentStatus = {
    device: {
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      teamId: 'team-a',
      serverUrl: 'https://sync.example.test',
      orgKeyFingerprint: 'abcd 0123',
      enrolledAt: '2026-01-05T09:00:00.000Z',
    },
    running: true,
    keys: { ready: true, reason: null },
    backlog: {
      count: 0,
      oldestAt: null,
      bytes: 0,
      lastError: null,
      records: { count: 0, bytes: 0 },
      blobs: { count: 0, bytes: 0 },
    },
    lastSyncAt: '2026-01-05T10:00:00.000Z',
    connected: true,
    policy: { effective: DEFAULT_POLICY, sources: {}, layers: [] },
    capture: { state: 'running', reason: null, screenshots: null, lastError: null },
    attendance: { state: 'off', since: null, date: '2026-01-05', timeZone: 'UTC' },
  };
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    const b = (base as unknown as Record<string, unknown>)[k];
    out[k] =
      v !== null && typeof v === 'object' && b !== null && typeof b === 'object' && !Array.isArray(v)
        ? { ...b, ...v }
        : v;
  }
  return out as unknown as TrayAgentStatus;
}
