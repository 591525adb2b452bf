/**
 * The tray as data: from what the app knows (enrolled? agent started? its
 * status) to one state, the icon for it, a tooltip and the menu items.
 * tray.ts only turns this into Electron's Tray and Menu.
 *
 * State, first match wins (what the employee most needs to know):
 *   not-enrolled     no device keystore yet
 *   error            the agent did not start, or stopped
 *   offline-backlog  records wait to be sent and the server is not reachable
 *   paused           nothing is being captured (keys not known, capture off)
 *   recording        capture runs (and sync keeps up)
 */
import type { AttendanceAction, TrayAgentStatus } from './agent-port.js';
import { ago, formatBytes, plural } from './format.js';
import { trackingItems, type TrackingAction } from './tracking-items.js';

export type TrayState = 'recording' | 'paused' | 'offline-backlog' | 'not-enrolled' | 'error';

export type AppPhase =
  | { phase: 'not-enrolled' }
  | { phase: 'starting' }
  | { phase: 'failed'; error: string }
  | { phase: 'running'; status: TrayAgentStatus };

export type TrayAction =
  AttendanceAction | 'open-privacy-centre' | 'open-idle-prompt' | 'retry-start' | 'quit' | TrackingAction;

export type TrayMenuItem =
  { type: 'separator' } | { type: 'item'; label: string; enabled: boolean; action: TrayAction | null };

export interface TrayView {
  state: TrayState;
  /** File name stem of the icon: tray-<state>.png */
  icon: `tray-${TrayState}`;
  /** Hover text; the OS limits its length, so it stays short. */
  tooltip: string;
  items: TrayMenuItem[];
}

export interface TrayExtras {
  /** An idle period is waiting for keep/discard. */
  idlePending?: boolean;
  now: number;
}

const STATE_LABEL: Record<TrayState, string> = {
  recording: 'Recording',
  paused: 'Not recording',
  'offline-backlog': 'Offline — data waiting to sync',
  'not-enrolled': 'Not enrolled',
  error: 'Agent error',
};

export function trayState(app: AppPhase): TrayState {
  switch (app.phase) {
    case 'not-enrolled':
      return 'not-enrolled';
    case 'failed':
      return 'error';
    case 'starting':
      return 'paused';
    case 'running': {
      const s = app.status;
      if (!s.running || s.capture.state === 'stopped') return 'error';
      if (!s.connected && s.backlog.count > 0) return 'offline-backlog';
      if (s.capture.state !== 'running') return 'paused';
      return 'recording';
    }
  }
}

const item = (label: string, action: TrayAction | null = null, enabled = action !== null): TrayMenuItem => ({
  type: 'item',
  label,
  enabled,
  action,
});
const SEP: TrayMenuItem = { type: 'separator' };

function attendanceItems(s: TrayAgentStatus): TrayMenuItem[] {
  if (!s.policy.effective.attendance.enabled) return [];
  const a = s.attendance;
  if (!a) return [item('Attendance: waiting for the organisation keys')];
  return [
    item(a.state === 'off' ? 'Clocked out' : a.state === 'working' ? 'Clocked in' : 'On a break'),
    item('Clock in', 'clock-in', a.state === 'off'),
    item('Clock out', 'clock-out', a.state !== 'off'),
    item('Start break', 'break-start', a.state === 'working'),
    item('End break', 'break-end', a.state === 'on-break'),
    SEP,
  ];
}

function statusLines(s: TrayAgentStatus, now: number): TrayMenuItem[] {
  const b = s.backlog;
  const lines = [
    item(
      b.count === 0
        ? 'Everything is synced'
        : `Waiting to sync: ${plural(b.count, 'item')} (${formatBytes(b.bytes)}), oldest ${ago(b.oldestAt, now)}`,
    ),
    item(`Last sync: ${ago(s.lastSyncAt, now)}${s.connected ? '' : ' (server not reachable)'}`),
  ];
  if (b.lastError) lines.push(item(`Sync error: ${b.lastError.message.slice(0, 80)}`));
  if (s.capture.state !== 'running' && s.capture.reason) lines.push(item(s.capture.reason.slice(0, 80)));
  if (s.capture.lastError)
    lines.push(item(`Capture problem (${s.capture.lastError.source}): ${s.capture.lastError.message.slice(0, 60)}`));
  const p = s.policy.effective;
  if (s.capture.state === 'running') {
    const what = [
      p.activity.enabled && 'activity',
      p.appTracking.enabled && 'apps',
      p.screenshots.enabled && p.screenshots.perHour > 0 && `screenshots (${p.screenshots.perHour}/h)`,
      p.idle.enabled && 'idle time',
    ].filter(Boolean);
    lines.push(item(what.length ? `Capturing: ${what.join(', ')}` : 'Capturing nothing (policy)'));
  }
  return lines;
}

export function trayView(app: AppPhase, extras: TrayExtras): TrayView {
  const state = trayState(app);
  const items: TrayMenuItem[] = [item(`Sealtime — ${STATE_LABEL[state]}`)];
  let tooltip = `Sealtime: ${STATE_LABEL[state]}`;
  switch (app.phase) {
    case 'not-enrolled':
      items.push(item('Enroll this device with: sealtime-agent enroll <server> <code>'), SEP);
      break;
    case 'starting':
      items.push(item('Starting…'), SEP);
      break;
    case 'failed':
      items.push(item(app.error.slice(0, 100)), item('Try again', 'retry-start'), SEP);
      tooltip += ` — ${app.error.slice(0, 60)}`;
      break;
    case 'running': {
      const s = app.status;
      if (extras.idlePending) items.push(item('You were away: keep or discard that time…', 'open-idle-prompt'), SEP);
      items.push(...statusLines(s, extras.now), SEP, ...trackingItems(s.tracking), ...attendanceItems(s));
      if (s.backlog.count > 0) tooltip += ` — ${plural(s.backlog.count, 'item')} waiting`;
      if (s.tracking?.needsProject) tooltip += ' — pick a project';
      break;
    }
  }
  items.push(item('Privacy centre…', 'open-privacy-centre'));
  // Quitting stops recording: offered only where the policy lets the employee pause.
  if (app.phase !== 'running' || app.status.policy.effective.employeeCanPause)
    items.push(SEP, item('Quit Sealtime', 'quit'));
  return { state, icon: `tray-${state}`, tooltip: tooltip.slice(0, 127), items };
}
