/** How the screens write times, dates and durations (date-fns; zones via @date-fns/tz). */
import { format, parseISO } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** '7 h 05 min', '45 min', '0 min' */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return `${h} h ${String(m).padStart(2, '0')} min`;
}

/** '7:05' for tables */
export function formatHm(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** 'HH:mm' of an instant in a zone */
export function formatTime(epochMs: number, timeZone: string): string {
  return format(new TZDate(epochMs, timeZone), 'HH:mm');
}

/** 'Sun 31 May, 09:00' of an instant in a zone */
export function formatDateTime(epochMs: number, timeZone: string): string {
  return format(new TZDate(epochMs, timeZone), 'EEE d MMM, HH:mm');
}

/** 'Mon 1 Jun 2026' of a local date 'YYYY-MM-DD' */
export function formatDate(date: string): string {
  return format(parseISO(date), 'EEE d MMM yyyy');
}

/** 'Mon 1 Jun' */
export function formatShortDate(date: string): string {
  return format(parseISO(date), 'EEE d MMM');
}

export function formatPercent(percent: number | null): string {
  return percent === null ? '—' : `${percent} %`;
}

/** '3 min ago', '2 h 10 min ago' */
export function formatAgo(ms: number): string {
  return `${formatDuration(ms)} ago`;
}
