import { describe, expect, it } from 'vitest';
import type { OwnDataExport } from '../export/export-own-data.js';
import { statusFixture } from '../tray/status.fixture.js';
import { flatten, recordedView, statusView } from './privacy-view.js';

describe('privacy view', () => {
  it('lists every policy leaf with the level that set it', () => {
    const s = statusFixture({ policy: { sources: { 'screenshots.perHour': 'organisation:acme', 'idle.thresholdSeconds': 'team:t1' } } });
    const v = statusView({ app: { version: '0.1.0', phase: 'running', error: null }, agent: s, now: 0 });
    expect(v.policy.length).toBe(flatten(s.policy.effective).length);
    expect(v.policy.find((p) => p.path === 'screenshots.perHour')?.source).toBe('organisation:acme');
    expect(v.policy.find((p) => p.path === 'idle.thresholdSeconds')?.source).toBe('team:t1');
    expect(v.policy.find((p) => p.path === 'activity.enabled')?.source).toBe('default');
    expect(v.backlog.map((r) => r.label)).toEqual(['Waiting to sync', 'Size', 'Oldest waiting', 'Last sync', 'Server reachable', 'Last sync error']);
    expect(statusView({ app: { version: '0.1.0', phase: 'not-enrolled', error: null }, agent: null, now: 0 }).headline).toMatch(/not enrolled/);
  });

  it('shows exactly what was recorded, newest first, with problems and the chain', () => {
    const data: OwnDataExport = {
      format: 'sealtime-own-data-export', v: 1, exportedAt: 0, deviceId: 'dev-1', employeeId: 'emp-1',
      records: [
        { seq: 0, kind: 'activity-slot', createdAt: 1000, payload: { v: 1, keys: 12, clicks: 3 } },
        { seq: 1, kind: 'screenshot', createdAt: 2000, payload: { v: 1, blobId: 'b' }, image: { blobId: 'b', verified: false, problem: 'missing' } },
        { seq: 2, kind: 'attendance', createdAt: 3000, error: { code: 'not-a-recipient', message: 'HR only' } },
      ],
      chain: { ok: true, verified: 3, issues: [] },
      summary: { records: 3, readable: 2, byKind: { screenshot: 1, 'activity-slot': 1, attendance: 1 }, images: 1, imagesVerified: 0 },
    };
    const v = recordedView(data, 2);
    expect(v.rows.map((r) => r.seq)).toEqual([2, 1]);
    expect(v.omitted).toBe(1);
    expect(v.rows[0]).toMatchObject({ payload: null, problem: 'not-a-recipient: HR only' });
    expect(v.rows[1]!.problem).toBe('image not verified: missing');
    expect(JSON.parse(recordedView(data).rows[2]!.payload!)).toEqual({ v: 1, keys: 12, clicks: 3 });
    expect(v.summary.find((r) => r.label === 'By kind')?.value).toBe('activity-slot: 1, attendance: 1, screenshot: 1');
  });
});
