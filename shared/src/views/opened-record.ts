/**
 * What every view model starts from: a record the core has verified (chain +
 * signature) and decrypted. `integrity` is 'ok' or the reason it failed; a
 * record that failed is never counted as data, only shown as an alert.
 */
import type { PayloadByKind, RecordKind, ScreenshotPayload } from '../records/payload-types.js';

export type OpenedRecordOf<K extends RecordKind> = {
  /** "<deviceId>:<seq>" as stored */
  id: string;
  deviceId: string;
  employeeId: string;
  seq: number;
  kind: K;
  /** epoch ms from the signed envelope header */
  createdAt: number;
  payload: PayloadByKind[K];
  integrity: 'ok' | string;
};

/** Discriminated on `kind`: narrowing the kind narrows the payload. */
export type OpenedRecord = { [K in RecordKind]: OpenedRecordOf<K> }[RecordKind];

/**
 * A screenshot's metadata may carry a small thumbnail sealed in with it
 * (decision 7), as a data: URL; older agents send none.
 */
export type ScreenshotWithThumb = ScreenshotPayload & { thumb?: string };

/** Who a view is about; the time zone is the person's own (schedules, local days). */
export type ViewPerson = {
  id: string;
  name: string;
  timeZone: string;
  teamId?: string;
};

export const isIntact = (r: OpenedRecord): boolean => r.integrity === 'ok';

/** Intact records of one kind, payload typed. */
export function intactOfKind<K extends RecordKind>(records: readonly OpenedRecord[], kind: K): OpenedRecordOf<K>[] {
  // the kind check is what makes the payload type hold; tsc cannot follow a generic K through the union
  return records.filter((r) => r.kind === kind && isIntact(r)) as unknown as OpenedRecordOf<K>[];
}

/** Records per employeeId, in input order. */
export function groupByEmployee(records: readonly OpenedRecord[]): Map<string, OpenedRecord[]> {
  const out = new Map<string, OpenedRecord[]>();
  for (const r of records) {
    const list = out.get(r.employeeId);
    if (list) list.push(r);
    else out.set(r.employeeId, [r]);
  }
  return out;
}
