/** Builders of opened records for the view-model tests: readable rows, no crypto. */
import { zonedTimeToEpoch } from '../../attendance/time-zone.js';
import type { PayloadByKind, RecordKind } from '../../records/payload-types.js';
import type { OpenedRecord, OpenedRecordOf } from '../opened-record.js';

export const MIN = 60_000;
export const H = 3_600_000;
export const BER = 'Europe/Berlin';

/** Instant of a Berlin (or other zone) wall time. */
export const at = (date: string, time: string, tz = BER): number => zonedTimeToEpoch(date, time, tz);

let nextSeq = 1;

type PayloadIn<K extends RecordKind> = Omit<PayloadByKind[K], 'v'>;

export function rec<K extends RecordKind>(
  kind: K,
  payload: PayloadIn<K>,
  opts: { device?: string; employee?: string; integrity?: string; createdAt?: number } = {},
): OpenedRecord {
  const deviceId = opts.device ?? 'laptop';
  const seq = nextSeq++;
  const p = payload as Record<string, unknown>;
  const time = [p.start, p.at, p.takenAt, p.decidedAt].find((x): x is number => typeof x === 'number') ?? 0;
  const r: OpenedRecordOf<K> = {
    id: `${deviceId}:${seq}`,
    deviceId,
    employeeId: opts.employee ?? 'ana',
    seq,
    kind,
    createdAt: opts.createdAt ?? time,
    payload: { v: 1, ...payload } as PayloadByKind[K],
    integrity: opts.integrity ?? 'ok',
  };
  return r as unknown as OpenedRecord;
}

export const slot = (
  start: number,
  activeSeconds: number,
  o: { device?: string; employee?: string; integrity?: string; slotSeconds?: number } = {},
) =>
  rec(
    'activity-slot',
    { start, slotSeconds: o.slotSeconds ?? 600, activeSeconds, keyPresses: 10, clicks: 2, mouseMoves: 30, scrolls: 1 },
    o,
  );

export const app = (
  start: number,
  minutes: number,
  name: string,
  title?: string,
  o: { device?: string; employee?: string } = {},
) => rec('app-event', { start, durationMs: minutes * MIN, app: name, ...(title !== undefined ? { title } : {}) }, o);

export const clock = (
  atMs: number,
  type: 'clock-in' | 'clock-out' | 'break-start' | 'break-end',
  o: { device?: string; employee?: string; integrity?: string } = {},
) => rec('attendance', { at: atMs, type, source: 'agent' }, o);

export const shot = (
  takenAt: number,
  o: { blurred?: boolean; thumb?: string; app?: string; screen?: number; device?: string; employee?: string } = {},
) =>
  rec(
    'screenshot',
    {
      takenAt,
      screen: o.screen ?? 0,
      width: 1920,
      height: 1080,
      format: 'webp',
      blurred: o.blurred ?? false,
      blobId: `blob-${takenAt}-${o.screen ?? 0}`,
      blobBytes: 120_000,
      blobHash: 'ab'.repeat(32),
      ...(o.app ? { app: o.app } : {}),
      ...(o.thumb ? { thumb: o.thumb } : {}),
    } as PayloadIn<'screenshot'>,
    o,
  );
