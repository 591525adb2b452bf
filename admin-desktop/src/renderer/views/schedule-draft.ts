/**
 * The schedule editor's form state and its two conversions: from a schedule
 * (to start editing what is in force) and to a schedule version (to publish).
 * The core checks the result again and names any field it refuses.
 */
import type { ScheduleVersion, WorkSchedule, WorkShift } from '../../api/contracts/schedules-contract.js';

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** One weekday: worked or not, a shift and an optional second one (a split day). */
export type DayDraft = { on: boolean; start: string; end: string; start2: string; end2: string };

export type ScheduleDraft = {
  effectiveFrom: string;
  timeZone: string;
  days: DayDraft[];
  breakMinutes: string;
  graceMinutes: string;
};

const OFF: DayDraft = { on: false, start: '09:00', end: '17:00', start2: '', end2: '' };

export function draftOf(s: WorkSchedule | null, effectiveFrom: string, fallbackZone: string): ScheduleDraft {
  if (!s)
    return {
      effectiveFrom,
      timeZone: fallbackZone,
      days: WEEKDAY_NAMES.map((_, i) => ({ ...OFF, on: i >= 1 && i <= 5 })),
      breakMinutes: '30',
      graceMinutes: '5',
    };
  return {
    effectiveFrom,
    timeZone: s.timeZone,
    days: s.week.map((shifts) =>
      shifts.length === 0
        ? { ...OFF }
        : {
            on: true,
            start: shifts[0]!.start,
            end: shifts[0]!.end,
            start2: shifts[1]?.start ?? '',
            end2: shifts[1]?.end ?? '',
          },
    ),
    breakMinutes: String(s.breakMinutes),
    graceMinutes: String(s.graceMinutes),
  };
}

export function versionOf(d: ScheduleDraft): WorkSchedule {
  const week = d.days.map((day): WorkShift[] =>
    day.on
      ? [{ start: day.start, end: day.end }, ...(day.start2 && day.end2 ? [{ start: day.start2, end: day.end2 }] : [])]
      : [],
  );
  return {
    effectiveFrom: d.effectiveFrom,
    timeZone: d.timeZone.trim(),
    week,
    breakMinutes: Number(d.breakMinutes),
    graceMinutes: Number(d.graceMinutes),
  };
}

/** 'Mon–Fri 09:00–17:00 · Sat 10:00–14:00': equal neighbouring days joined. */
export function weekSummary(week: readonly WorkShift[][]): string {
  const label = (shifts: readonly WorkShift[]) => shifts.map((s) => `${s.start}–${s.end}`).join(' + ');
  // Monday first, as people read a working week
  const order = [1, 2, 3, 4, 5, 6, 0];
  const groups: Array<{ from: number; to: number; text: string }> = [];
  for (const wd of order) {
    const text = label(week[wd] ?? []);
    const last = groups[groups.length - 1];
    if (last && last.text === text && order.indexOf(wd) === order.indexOf(last.to) + 1) last.to = wd;
    else groups.push({ from: wd, to: wd, text });
  }
  const parts = groups
    .filter((g) => g.text)
    .map((g) => `${WEEKDAY_NAMES[g.from]}${g.to !== g.from ? `–${WEEKDAY_NAMES[g.to]}` : ''} ${g.text}`);
  return parts.length > 0 ? parts.join(' · ') : 'no working days';
}

export function versionSummary(v: ScheduleVersion): string {
  if ('inherit' in v) return 'inherits from the level above';
  return `${weekSummary(v.week)} · ${v.timeZone} · break ${v.breakMinutes} min · grace ${v.graceMinutes} min`;
}

/** Dates typed one per line or separated by commas or spaces. */
export function parseDates(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ].sort();
}
