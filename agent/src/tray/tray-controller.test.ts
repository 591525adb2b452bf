// The tray state machine with a stand-in agent (a real one needs an enrolled
// device and a server; compose has its own integration tests).
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@sealtime/shared';
import type { AgentShellHooks, TrayAgent, TrayAgentStatus } from './agent-port.js';
import { TrayController } from './tray-controller.js';
import type { TrayView } from './tray-model.js';
import { statusFixture } from './status.fixture.js';

function fakeAgent(status: TrayAgentStatus) {
  const calls: string[] = [];
  let st = status;
  const ok = (name: string, next?: TrayAgentStatus['attendance']) => async () => {
    calls.push(name);
    if (next) st = { ...st, attendance: next };
    return { ok: true as const };
  };
  const agent: TrayAgent = {
    status: async () => st,
    clockIn: ok('clockIn', { state: 'working', since: 1, date: '2026-01-05', timeZone: 'UTC' }),
    clockOut: async () => ({ ok: false, error: { code: 'not-clocked-in', message: 'you are not clocked in' } }),
    breakStart: ok('breakStart'),
    breakEnd: ok('breakEnd'),
    exportOwnData: async () => {
      throw new Error('unused');
    },
    ownKeyring: async () => null,
    stop: async () => void calls.push('stop'),
  };
  return { agent, calls };
}

function controller(opts: { enrolled: boolean; agent?: TrayAgent; fail?: Error }) {
  const views: TrayView[] = [];
  const notices: string[] = [];
  let hooks: AgentShellHooks | undefined;
  const c = new TrayController({
    isEnrolled: async () => opts.enrolled,
    startAgent: async (h) => {
      hooks = h;
      if (opts.fail) throw opts.fail;
      return opts.agent!;
    },
    render: (v) => views.push(v),
    notify: (n) => notices.push(n.body),
    showIdlePrompt: () => undefined,
    openPrivacyCentre: () => undefined,
    quit: () => undefined,
    pollMs: 60_000,
  });
  return { c, views, notices, hooks: () => hooks };
}

describe('tray controller', () => {
  it('shows not-enrolled without starting anything', async () => {
    const t = controller({ enrolled: false });
    await t.c.start();
    expect(t.views.at(-1)?.state).toBe('not-enrolled');
    expect(t.hooks()).toBeUndefined();
    await t.c.stop();
  });

  it('shows a failed start and its reason', async () => {
    const t = controller({ enrolled: true, fail: new Error('the operating system key store is not available') });
    await t.c.start();
    expect(t.views.at(-1)?.state).toBe('error');
    expect(t.c.appPhase).toEqual({ phase: 'failed', error: 'the operating system key store is not available' });
    await t.c.stop();
  });

  it('runs attendance from the menu, reports refusals, routes screenshots and idle periods', async () => {
    const a = fakeAgent(
      statusFixture({
        policy: { effective: { ...DEFAULT_POLICY, screenshots: { ...DEFAULT_POLICY.screenshots, notify: true } } },
      }),
    );
    const t = controller({ enrolled: true, agent: a.agent });
    await t.c.start();
    expect(t.views.at(-1)?.state).toBe('recording');
    await t.c.act('clock-in');
    expect(a.calls).toEqual(['clockIn']);
    expect(t.c.appPhase.phase === 'running' && t.c.appPhase.status.attendance?.state).toBe('working');
    await t.c.act('clock-out');
    expect(t.notices.at(-1)).toBe('you are not clocked in');
    t.hooks()!.onScreenshot!({ takenAt: Date.now(), blobId: 'b1' });
    expect(t.notices.at(-1)).toContain('took a screenshot');
    const decided = t.hooks()!.decideIdle!({ v: 1, start: 0, end: 600_000, cause: 'no-input', decision: 'pending' });
    expect(t.views.at(-1)?.items.some((i) => i.type === 'item' && i.action === 'open-idle-prompt')).toBe(true);
    expect(t.c.idle.answer(t.c.idle.current!.promptId, 'keep')).toBe(true);
    expect(await decided).toBe('kept');
    await t.c.stop();
    expect(a.calls.at(-1)).toBe('stop');
  });
});
