/**
 * Times as the employee reads them: in this computer's zone, "14:55" for
 * today, "Sat 5 Dec, 14:55" for another day. Pure (the zone is a parameter)
 * so tests pin it; the pages pass the machine's own zone.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const dayKey = (ms: number, timeZone: string) => format(new TZDate(ms, timeZone), 'yyyy-MM-dd');

/** Epoch ms or an ISO string; "—" for null. */
export function whenText(at: number | string | null, now: number, timeZone: string): string {
  if (at === null) return '—';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  const d = new TZDate(ms, timeZone);
  return dayKey(ms, timeZone) === dayKey(now, timeZone) ? format(d, 'HH:mm') : format(d, 'EEE d MMM, HH:mm');
}

/** The local date 'YYYY-MM-DD' of an instant. */
export function localDate(ms: number, timeZone: string): string {
  return dayKey(ms, timeZone);
}

/** "14:38–15:07" (the end's date added when it falls on another day). */
export function rangeText(start: number, end: number, timeZone: string): string {
  const a = format(new TZDate(start, timeZone), 'HH:mm');
  const b =
    dayKey(start, timeZone) === dayKey(end, timeZone)
      ? format(new TZDate(end, timeZone), 'HH:mm')
      : format(new TZDate(end, timeZone), 'EEE HH:mm');
  return `${a}–${b}`;
}
