/**
 * The policy in force, in words an employee reads at a glance: one line per
 * kind of capture, what is recorded and what is not, and who set it. Pure:
 * the privacy centre renders it, tests read it as a table.
 *
 * Sources come as the status writes them: "default", "organisation:acme",
 * "team:t1", "employee:e1", "device:d1" (compose-status.ts).
 */
import type { CapturePolicy } from '@sealtime/shared';

export type SetBy = 'your organisation' | 'your team' | 'you' | 'this device' | 'the default';

export interface SummaryLine {
  /** What the line is about: screenshots, apps, activity, idle, attendance, retention, pause. */
  topic: string;
  text: string;
  /** True when this line describes something being recorded (or kept). */
  recorded: boolean;
  /** Who set the values this line reads, most general first, without repeats. */
  setBy: SetBy[];
}

const LEVEL_ORDER = ['organisation', 'team', 'employee', 'device', 'default'] as const;
const SET_BY: Record<(typeof LEVEL_ORDER)[number], SetBy> = {
  organisation: 'your organisation',
  team: 'your team',
  employee: 'you',
  device: 'this device',
  default: 'the default',
};

function setByOf(sources: Readonly<Record<string, string>>, paths: readonly string[]): SetBy[] {
  const levels = new Set(paths.map((p) => (sources[p] ?? 'default').split(':')[0]));
  return LEVEL_ORDER.filter((l) => levels.has(l)).map((l) => SET_BY[l]);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 min", "1 h", "1 h 30 min" */
export function minutesText(seconds: number): string {
  const min = Math.round(seconds / 60);
  if (min < 60) return `${min} min`;
  return min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function policySummary(policy: CapturePolicy, sources: Readonly<Record<string, string>>): SummaryLine[] {
  const by = (...paths: string[]) => setByOf(sources, paths);
  const s = policy.screenshots;
  const a = policy.appTracking;
  const lines: SummaryLine[] = [];

  if (s.enabled && s.perHour > 0) {
    const what = s.blur ? 'Blurred screenshots' : 'Screenshots, not blurred,';
    const extras = [s.notify ? 'you are told each time' : 'without telling you each time'];
    if (s.excludedApps.length > 0) extras.push(`never of ${s.excludedApps.join(', ')}`);
    lines.push({
      topic: 'screenshots',
      text: `${what} about ${s.perHour} an hour; ${extras.join('; ')}`,
      recorded: true,
      setBy: by('screenshots.enabled', 'screenshots.perHour', 'screenshots.blur', 'screenshots.notify'),
    });
  } else {
    lines.push({
      topic: 'screenshots',
      text: 'No screenshots',
      recorded: false,
      setBy: by(s.enabled ? 'screenshots.perHour' : 'screenshots.enabled'),
    });
  }

  if (a.enabled) {
    const titles = a.titles ? 'app names and window titles' : 'app names, not window titles';
    const urls = a.urls ? 'web addresses too' : 'no web addresses';
    lines.push({
      topic: 'apps',
      text: capitalise(`${titles}; ${urls}`),
      recorded: true,
      setBy: by('appTracking.enabled', 'appTracking.titles', 'appTracking.urls'),
    });
  } else {
    lines.push({
      topic: 'apps',
      text: 'No app names or window titles',
      recorded: false,
      setBy: by('appTracking.enabled'),
    });
  }

  if (policy.activity.enabled) {
    lines.push({
      topic: 'activity',
      text: `Keyboard and mouse counts per ${minutesText(policy.activity.slotSeconds)}, never the keys you press`,
      recorded: true,
      setBy: by('activity.enabled', 'activity.slotSeconds'),
    });
  } else {
    lines.push({
      topic: 'activity',
      text: 'No keyboard or mouse activity',
      recorded: false,
      setBy: by('activity.enabled'),
    });
  }

  const idle = policy.idle;
  if (idle.enabled) {
    const fate = idle.discardIdle ? 'discarded unless you keep it' : 'kept as work time unless you discard it';
    lines.push({
      topic: 'idle',
      text: `Idle after ${minutesText(idle.thresholdSeconds)} without input; idle time is ${fate}`,
      recorded: true,
      setBy: by('idle.enabled', 'idle.thresholdSeconds', 'idle.discardIdle'),
    });
  } else {
    lines.push({ topic: 'idle', text: 'No idle detection', recorded: false, setBy: by('idle.enabled') });
  }

  const att = policy.attendance;
  if (att.enabled) {
    const auto = [
      att.autoClockIn ? 'clocked in automatically when you start working' : 'you clock in yourself',
      att.autoBreakOnIdle ? 'idle time starts a break' : null,
    ].filter(Boolean);
    lines.push({
      topic: 'attendance',
      text: `Clock-in and clock-out times; ${auto.join('; ')}`,
      recorded: true,
      setBy: by('attendance.enabled', 'attendance.autoClockIn', 'attendance.autoBreakOnIdle'),
    });
  } else {
    lines.push({
      topic: 'attendance',
      text: 'No clock-in or clock-out times',
      recorded: false,
      setBy: by('attendance.enabled'),
    });
  }

  lines.push({
    topic: 'retention',
    text: `Kept ${plural(policy.retention.days, 'day')}, then deleted`,
    recorded: true,
    setBy: by('retention.days'),
  });
  lines.push({
    topic: 'pause',
    text: policy.employeeCanPause ? 'You can pause recording' : 'You cannot pause recording',
    recorded: true,
    setBy: by('employeeCanPause'),
  });
  return lines;
}

/** The one-sentence version for the page's top: "Blurred screenshots about 6 an hour; app names, not window titles; …". */
export function policySentence(lines: readonly SummaryLine[]): string {
  const pick = (topic: string) => lines.find((l) => l.topic === topic);
  const parts = ['screenshots', 'apps', 'activity', 'idle', 'retention']
    .map((t) => pick(t))
    .filter((l): l is SummaryLine => l !== undefined);
  return parts.map((l, i) => (i === 0 ? l.text.split(';')[0]! : lowerFirst(l.text.split(';')[0]!))).join('; ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
