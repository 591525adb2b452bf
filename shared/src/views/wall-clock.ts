/**
 * Wall-clock labels of instants in a time zone ('HH:mm'), for slot and event
 * labels. Intl only (the engine's tz database), like attendance/time-zone.ts.
 */

// One formatter per zone: creating them is costly (pure memo, no I/O).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** 'HH:mm:ss' of `epochMs` in `timeZone`. */
export function wallTimeSecondsOf(epochMs: number, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('hour')}:${get('minute')}:${get('second')}`;
}

/** 'HH:mm' of `epochMs` in `timeZone`. */
export function wallTimeOf(epochMs: number, timeZone: string): string {
  return wallTimeSecondsOf(epochMs, timeZone).slice(0, 5);
}
