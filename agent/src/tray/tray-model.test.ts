import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@sealtime/shared';
import { trayState, trayView, type TrayMenuItem } from './tray-model.js';
import { statusFixture } from './status.fixture.js';
import { formatBytes } from './format.js';

const NOW = Date.parse('2026-01-05T10:05:00.000Z');
const labels = (items: TrayMenuItem[]) => items.flatMap((i) => (i.type === 'item' ? [i.label] : []));
const find = (items: TrayMenuItem[], action: string) =>
  items.find((i) => i.type === 'item' && i.action === action) as Extract<TrayMenuItem, { type: 'item' }> | undefined;

describe('tray state', () => {
  it('picks the state that matters most, first match wins', () => {
    expect(trayState({ phase: 'not-enrolled' })).toBe('not-enrolled');
    expect(trayState({ phase: 'failed', error: 'x' })).toBe('error');
    expect(trayState({ phase: 'starting' })).toBe('paused');
    expect(trayState({ phase: 'running', status: statusFixture() })).toBe('recording');
    expect(
      trayState({
        phase: 'running',
        status: statusFixture({ capture: { state: 'waiting-for-keys', reason: 'no keys' } }),
      }),
    ).toBe('paused');
    // offline with data waiting beats paused and recording
    expect(trayState({ phase: 'running', status: statusFixture({ connected: false, backlog: { count: 3 } }) })).toBe(
      'offline-backlog',
    );
    expect(
      trayState({
        phase: 'running',
        status: statusFixture({ connected: false, backlog: { count: 3 }, capture: { state: 'off' } }),
      }),
    ).toBe('offline-backlog');
    // offline with nothing waiting is not worth an alarm
    expect(trayState({ phase: 'running', status: statusFixture({ connected: false }) })).toBe('recording');
    expect(trayState({ phase: 'running', status: statusFixture({ capture: { state: 'stopped' } }) })).toBe('error');
  });

  it('names an icon per state and shows the backlog', () => {
    const v = trayView(
      {
        phase: 'running',
        status: statusFixture({
          connected: false,
          backlog: {
            count: 12,
            bytes: 3 * 1024 * 1024,
            oldestAt: '2026-01-05T09:35:00.000Z',
            lastError: { message: 'connect ECONNREFUSED', at: '2026-01-05T10:04:00.000Z' },
          },
        }),
      },
      { now: NOW },
    );
    expect(v.icon).toBe('tray-offline-backlog');
    const text = labels(v.items).join('\n');
    expect(text).toContain('Waiting to sync: 12 items (3.0 MB), oldest 30 minutes ago');
    expect(text).toContain('Last sync: 5 minutes ago (server not reachable)');
    expect(text).toContain('Sync error: connect ECONNREFUSED');
    expect(v.tooltip).toBe('Sealtime: Offline — data waiting to sync — 12 items waiting');
  });

  it('enables only the attendance actions the current state allows', () => {
    const off = trayView({ phase: 'running', status: statusFixture() }, { now: NOW }).items;
    expect([
      find(off, 'clock-in')?.enabled,
      find(off, 'clock-out')?.enabled,
      find(off, 'break-start')?.enabled,
      find(off, 'break-end')?.enabled,
    ]).toEqual([true, false, false, false]);
    const working = trayView(
      { phase: 'running', status: statusFixture({ attendance: { state: 'working' } }) },
      { now: NOW },
    ).items;
    expect([
      find(working, 'clock-in')?.enabled,
      find(working, 'clock-out')?.enabled,
      find(working, 'break-start')?.enabled,
      find(working, 'break-end')?.enabled,
    ]).toEqual([false, true, true, false]);
    const onBreak = trayView(
      { phase: 'running', status: statusFixture({ attendance: { state: 'on-break' } }) },
      { now: NOW },
    ).items;
    expect([
      find(onBreak, 'clock-in')?.enabled,
      find(onBreak, 'clock-out')?.enabled,
      find(onBreak, 'break-start')?.enabled,
      find(onBreak, 'break-end')?.enabled,
    ]).toEqual([false, true, false, true]);
    const disabled = trayView(
      {
        phase: 'running',
        status: statusFixture({
          policy: {
            effective: {
              ...DEFAULT_POLICY,
              attendance: { enabled: false, autoClockIn: false, autoBreakOnIdle: false },
            },
          },
        }),
      },
      { now: NOW },
    ).items;
    expect(find(disabled, 'clock-in')).toBeUndefined();
  });

  it('offers quit only where the policy lets the employee pause, and the idle question when one waits', () => {
    const strict = trayView(
      {
        phase: 'running',
        status: statusFixture({ policy: { effective: { ...DEFAULT_POLICY, employeeCanPause: false } } }),
      },
      { now: NOW, idlePending: true },
    );
    expect(find(strict.items, 'quit')).toBeUndefined();
    expect(find(strict.items, 'open-idle-prompt')?.enabled).toBe(true);
    expect(find(strict.items, 'open-privacy-centre')?.enabled).toBe(true);
    const lenient = trayView(
      {
        phase: 'running',
        status: statusFixture({ policy: { effective: { ...DEFAULT_POLICY, employeeCanPause: true } } }),
      },
      { now: NOW },
    );
    expect(find(lenient.items, 'quit')).toBeDefined();
    expect(find(lenient.items, 'open-idle-prompt')).toBeUndefined();
  });

  it('says how to enroll, and offers a retry after a failed start', () => {
    expect(labels(trayView({ phase: 'not-enrolled' }, { now: NOW }).items).join('\n')).toContain(
      'sealtime-agent enroll',
    );
    const failed = trayView(
      { phase: 'failed', error: 'the operating system key store is not available' },
      { now: NOW },
    );
    expect(failed.icon).toBe('tray-error');
    expect(find(failed.items, 'retry-start')?.enabled).toBe(true);
    expect(labels(failed.items)).toContain('the operating system key store is not available');
    expect(failed.tooltip.length).toBeLessThanOrEqual(127);
  });

  it('formats sizes', () => {
    expect([
      formatBytes(0),
      formatBytes(1023),
      formatBytes(1536),
      formatBytes(10 * 1024 * 1024 + 1),
      formatBytes(-1),
    ]).toEqual(['0 B', '1023 B', '1.5 KB', '10 MB', '?']);
  });
});

describe('tray icons', () => {
  it('exist as PNG files for every state', async () => {
    const { readFileSync } = await import('node:fs');
    for (const state of ['recording', 'paused', 'offline-backlog', 'not-enrolled', 'error'] as const) {
      const v = trayView(state === 'not-enrolled' ? { phase: 'not-enrolled' } : { phase: 'failed', error: 'x' }, {
        now: NOW,
      });
      if (v.state === state) expect(v.icon).toBe(`tray-${state}`);
      const png = readFileSync(new URL(`../electron/icons/tray-${state}.png`, import.meta.url));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
  });
});
