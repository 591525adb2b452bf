/**
 * The backup file: gzip of newline-delimited JSON, one object per line, so
 * it is written and read as a stream whatever its size.
 *
 *   {"type":"backup","format":"sealtime-backup","version":1,"createdAt":…,"engine":…,"databases":[…]}
 *   {"type":"db","name":"st-org-records","docCount":1234,"security":{…}}   per database
 *   {"type":"doc","doc":{…,"_rev":…,"_revisions":{…}}}                       its documents
 *   {"type":"db-end","name":"st-org-records","docs":1234}                     how many were written
 *   {"type":"end","databases":11,"docs":56789}                                complete file
 *
 * Documents keep their `_rev` and revision history, so a restored database
 * is, for every replicating client, the same database. A file without its
 * `end` line is incomplete and refused.
 */
export const BACKUP_FORMAT = 'sealtime-backup';
export const BACKUP_VERSION = 1;

export type StoredDoc = Record<string, unknown> & { _id: string; _rev: string };

export type BackupLine =
  | {
      type: 'backup';
      format: typeof BACKUP_FORMAT;
      version: number;
      createdAt: string;
      engine: string;
      databases: string[];
    }
  | { type: 'db'; name: string; docCount: number; security: Record<string, unknown> }
  | { type: 'doc'; doc: StoredDoc }
  | { type: 'db-end'; name: string; docs: number }
  | { type: 'end'; databases: number; docs: number };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One line of a backup file, checked; null when it is not one. */
export function parseBackupLine(text: string): BackupLine | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  switch (v.type) {
    case 'backup':
      return v.format === BACKUP_FORMAT &&
        typeof v.version === 'number' &&
        Array.isArray(v.databases) &&
        v.databases.every((d) => typeof d === 'string')
        ? (v as BackupLine)
        : null;
    case 'db':
      return typeof v.name === 'string' && typeof v.docCount === 'number' && isObj(v.security)
        ? (v as BackupLine)
        : null;
    case 'doc':
      return isObj(v.doc) && typeof v.doc._id === 'string' && typeof v.doc._rev === 'string' ? (v as BackupLine) : null;
    case 'db-end':
      return typeof v.name === 'string' && typeof v.docs === 'number' ? (v as BackupLine) : null;
    case 'end':
      return typeof v.databases === 'number' && typeof v.docs === 'number' ? (v as BackupLine) : null;
    default:
      return null;
  }
}
