/**
 * Payload migrations: for each kind, steps from version n to n+1. A payload is
 * read at whatever version it was sealed with and lifted step by step to the
 * current one before validation, so old records stay readable forever (they
 * cannot be rewritten: they are signed).
 *
 * app-event has a version 0: the shape of ActivityWatch's window-watcher events
 * (ISO timestamp, duration in seconds, data.app/title), so buckets exported
 * from ActivityWatch import as Sealtime records through the same path.
 */
import type { RecordKind } from './payload-types.js';

export type MigrationStep = (old: Record<string, unknown>) => Record<string, unknown>;

export const CURRENT_VERSION: Record<RecordKind, number> = {
  'activity-slot': 2,
  'app-event': 1,
  'idle-period': 1,
  screenshot: 1,
  attendance: 1,
  'correction-request': 1,
  'correction-decision': 1,
  'device-info': 1,
  policy: 1,
  keyring: 1,
  audit: 1,
  'integrity-alert': 1,
  'manual-time': 1,
};

/** MIGRATIONS[kind][n] lifts version n to n+1. */
export const MIGRATIONS: Partial<Record<RecordKind, Record<number, MigrationStep>>> = {
  // version 2 only adds the optional app usage, so a v1 slot is a valid v2 as
  // it is and is read exactly as sealed (v: 1, no apps: its app usage, if
  // tracked, is in app-event records); an older build refuses v2 by number
  'activity-slot': { 1: (old) => old },
  'app-event': {
    0: (old) => {
      const data = (old.data ?? {}) as Record<string, unknown>;
      const start = typeof old.timestamp === 'string' ? Date.parse(old.timestamp) : Number.NaN;
      const out: Record<string, unknown> = {
        v: 1,
        start: Number.isFinite(start) ? start : old.timestamp,
        durationMs: typeof old.duration === 'number' ? Math.round(old.duration * 1000) : old.duration,
        app: data.app,
      };
      if (data.title !== undefined) out.title = data.title;
      if (data.url !== undefined) out.url = data.url;
      return out;
    },
  },
};

export type MigrationResult =
  { ok: true; value: Record<string, unknown>; from: number } | { ok: false; message: string };

export function migratePayload(kind: RecordKind, payload: Record<string, unknown>): MigrationResult {
  const current = CURRENT_VERSION[kind];
  // ActivityWatch events carry no version field: they are version 0
  const from = payload.v === undefined ? 0 : payload.v;
  if (!Number.isSafeInteger(from) || (from as number) < 0)
    return { ok: false, message: 'payload version must be a non-negative integer' };
  if ((from as number) > current)
    return {
      ok: false,
      message: `${kind} payload version ${String(from)} is newer than this build understands (${current}): update Sealtime`,
    };
  let value = payload;
  for (let n = from as number; n < current; n++) {
    const step = MIGRATIONS[kind]?.[n];
    if (!step) return { ok: false, message: `no migration for ${kind} from version ${n}` };
    value = step(value);
  }
  return { ok: true, value, from: from as number };
}
