/** Local id conventions shared by the recorder, backlog and export. */

const SEQ_DIGITS = 12;

/**
 * Sealed screenshot images: `<deviceId>:<blob seq, 12 digits>` (sorts in blob
 * order). The same form as a record id because the gateway only accepts a
 * blob whose _id is recordDocId(deviceId, seq) of its signed envelope
 * (sync-server write-validation); any other id is refused and the image
 * would never leave the device.
 */
export function blobDocId(deviceId: string, blobSeq: number): string {
  return `${deviceId}:${String(blobSeq).padStart(SEQ_DIGITS, '0')}`;
}

/** The blob seq inside a blob id of this device, or undefined for anything else. */
export function blobSeqOf(deviceId: string, id: string): number | undefined {
  const prefix = `${deviceId}:`;
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  return /^\d{12}$/.test(digits) ? Number(digits) : undefined;
}

/** Bounds of one device's blob ids, for range queries on the primary key. */
export function blobIdRange(deviceId: string): { min: string; max: string } {
  return { min: `${deviceId}:`, max: `${deviceId}:~` };
}
