/** Local id conventions shared by the recorder, backlog and export. */

const SEQ_DIGITS = 12;

/** Sealed screenshot images: `<deviceId>:img:<blob seq, 12 digits>` (sorts in blob order). */
export function blobDocId(deviceId: string, blobSeq: number): string {
  return `${deviceId}:img:${String(blobSeq).padStart(SEQ_DIGITS, '0')}`;
}

/** The blob seq inside a blob id of this device, or undefined for anything else. */
export function blobSeqOf(deviceId: string, id: string): number | undefined {
  const prefix = `${deviceId}:img:`;
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  return /^\d{12}$/.test(digits) ? Number(digits) : undefined;
}

/** Bounds of one device's blob ids, for range queries on the primary key. */
export function blobIdRange(deviceId: string): { min: string; max: string } {
  return { min: `${deviceId}:img:`, max: `${deviceId}:img:~` };
}
