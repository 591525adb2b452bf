/**
 * The tray app's state machine, without Electron: find out whether the
 * device is enrolled, start the agent, poll its status, render the tray,
 * run menu actions, route idle periods to the prompt and screenshots to a
 * notice. electron/main.ts gives it the real startAgent and the Electron
 * pieces (render = Tray/Menu, notify = Notification, showIdlePrompt = window).
 *
 *   not-enrolled ──(keystore appears)──► starting ──► running ──(stop)
 *                                          │  ▲
 *                                          ▼  │ retry
 *                                         failed
 */
import type { AgentShellHooks, AttendanceAction, TrayAgent, TrayAgentStatus } from './agent-port.js';
import { runAttendance } from './agent-port.js';
import { ScreenshotNotices, type Notice } from './capture-notice.js';
import { IdleDecider, type IdlePromptView } from './idle-prompt.js';
import { trayView, type AppPhase, type TrayAction, type TrayView } from './tray-model.js';

export interface TrayControllerOptions {
  isEnrolled(): Promise<boolean>;
  startAgent(hooks: AgentShellHooks): Promise<TrayAgent>;
  render(view: TrayView): void;
  notify(notice: Notice): void;
  /** The front idle prompt changed: open (or close, for null) the prompt window. */
  showIdlePrompt(prompt: IdlePromptView | null): void;
  openPrivacyCentre(): void;
  /** "Other project…": a window to search the projects; without it the employee is told the CLI command. */
  openProjects?(): void;
  quit(): void;
  /** Text of an error for the employee: never secrets (messages from the agent are already free of them). */
  describeError?(err: unknown): string;
  pollMs?: number;
  idleAnswerWithinMs?: number;
  now?: () => number;
}

const defaultDescribe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

export class TrayController {
  private phase: AppPhase = { phase: 'starting' };
  private agent: TrayAgent | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private refreshing: Promise<void> | undefined;
  private readonly notices = new ScreenshotNotices();
  readonly idle: IdleDecider;
  private readonly now: () => number;

  constructor(private readonly o: TrayControllerOptions) {
    this.now = o.now ?? Date.now;
    this.idle = new IdleDecider({
      discardByDefault: () => this.status?.policy.effective.idle.discardIdle ?? false,
      ...(o.idleAnswerWithinMs !== undefined ? { answerWithinMs: o.idleAnswerWithinMs } : {}),
      now: this.now,
      onChange: (p) => {
        o.showIdlePrompt(p);
        this.render();
      },
    });
  }

  get appPhase(): AppPhase {
    return this.phase;
  }

  get runningAgent(): TrayAgent | undefined {
    return this.agent;
  }

  private get status(): TrayAgentStatus | undefined {
    return this.phase.phase === 'running' ? this.phase.status : undefined;
  }

  view(): TrayView {
    return trayView(this.phase, { now: this.now(), idlePending: this.idle.current !== null });
  }

  private render(): void {
    this.o.render(this.view());
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.boot();
    this.timer ??= setInterval(() => void this.tick(), this.o.pollMs ?? 5000);
  }

  private async boot(): Promise<void> {
    if (this.agent || this.stopped) return;
    this.phase = { phase: 'starting' };
    this.render();
    try {
      if (!(await this.o.isEnrolled())) {
        this.phase = { phase: 'not-enrolled' };
        return this.render();
      }
      const hooks: AgentShellHooks = {
        decideIdle: (period) => this.idle.decide(period),
        onScreenshot: (shot) => {
          const policy = this.status?.policy.effective;
          const n = policy ? this.notices.onScreenshot(policy, shot.takenAt, this.now()) : null;
          if (n) this.o.notify(n);
        },
      };
      const agent = await this.o.startAgent(hooks);
      if (this.stopped) return void (await agent.stop());
      this.agent = agent;
      this.phase = { phase: 'running', status: await agent.status() };
    } catch (err) {
      this.phase = { phase: 'failed', error: (this.o.describeError ?? defaultDescribe)(err) };
    }
    this.render();
  }

  /** One poll: enrollment appeared, or a fresh status. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.agent) {
      if (this.phase.phase === 'not-enrolled') await this.boot();
      return;
    }
    await this.refresh();
  }

  refresh(): Promise<void> {
    const agent = this.agent;
    if (!agent) return Promise.resolve(this.render());
    // polls and actions overlap: one status call at a time
    this.refreshing ??= agent
      .status()
      .then((status) => {
        if (this.agent === agent) this.phase = { phase: 'running', status };
      })
      .catch((err: unknown) => {
        this.phase = {
          phase: 'failed',
          error: `status unavailable: ${(this.o.describeError ?? defaultDescribe)(err)}`,
        };
      })
      .finally(() => {
        this.refreshing = undefined;
        this.render();
      });
    return this.refreshing;
  }

  async act(action: TrayAction): Promise<void> {
    if (typeof action === 'object') return this.track(action.track.projectId, action.track.taskId);
    switch (action) {
      case 'stop-tracking':
        return this.track(null);
      case 'open-projects':
        if (this.o.openProjects) return this.o.openProjects();
        return this.o.notify({
          title: 'Sealtime: pick a project',
          body: 'List them with "sealtime-agent projects [search]", then "sealtime-agent track <project> [task]".',
        });
      case 'open-privacy-centre':
        return this.o.openPrivacyCentre();
      case 'open-idle-prompt':
        return this.o.showIdlePrompt(this.idle.current);
      case 'quit':
        return this.o.quit();
      case 'retry-start':
        if (this.phase.phase === 'failed') {
          await this.agent?.stop().catch(() => undefined);
          this.agent = undefined;
          await this.boot();
        }
        return;
      default:
        return this.attendance(action);
    }
  }

  private async track(projectId: string | null, taskId?: string): Promise<void> {
    if (!this.agent?.track) return this.o.notify({ title: 'Sealtime', body: 'The agent is not running.' });
    const r = await this.agent.track(projectId, taskId).catch((err: unknown) => ({
      ok: false as const,
      error: { code: 'failed', message: defaultDescribe(err) },
    }));
    if (!r.ok) this.o.notify({ title: 'Sealtime: project not changed', body: r.error.message.slice(0, 200) });
    await this.refresh();
  }

  private async attendance(action: AttendanceAction): Promise<void> {
    if (!this.agent) return this.o.notify({ title: 'Sealtime', body: 'The agent is not running.' });
    const r = await runAttendance(this.agent, action).catch((err: unknown) => ({
      ok: false as const,
      error: { code: 'failed', message: defaultDescribe(err) },
    }));
    if (!r.ok) this.o.notify({ title: 'Sealtime: not recorded', body: r.error.message.slice(0, 200) });
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    // open prompts take the policy default: the idle periods behind them still get recorded
    this.idle.settleAll();
    const a = this.agent;
    this.agent = undefined;
    await a?.stop();
  }
}
