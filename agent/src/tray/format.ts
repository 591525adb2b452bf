/** Short texts for the tray and the privacy centre. Pure: `now` is passed in. */
import { formatDistanceStrict } from 'date-fns';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB" (powers of 1024, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 || v >= 10 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

/** "3 minutes ago"; "never" for null; a clock ahead of now reads "just now". */
export function ago(isoOrMs: string | number | null, now: number): string {
  if (isoOrMs === null) return 'never';
  const t = typeof isoOrMs === 'number' ? isoOrMs : Date.parse(isoOrMs);
  if (!Number.isFinite(t)) return 'unknown';
  if (now - t < 5_000) return 'just now';
  return `${formatDistanceStrict(t, now)} ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
