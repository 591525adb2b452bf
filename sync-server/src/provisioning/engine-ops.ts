/**
 * Idempotent building blocks over nano, identical for the embedded engine and
 * CouchDB: each one reads first and writes only what differs, so running
 * provisioning again (every start, every enrollment) costs reads, not writes.
 */
import type { ServerScope } from 'nano';
import { isDeepStrictEqual } from 'node:util';
import type { DesignDoc } from './design-docs.js';

export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null ? (e as { statusCode?: number }).statusCode : undefined;
}

/** Creates a database unless it exists; true when it was created now. */
export async function ensureDb(nano: ServerScope, name: string): Promise<boolean> {
  try {
    await nano.db.create(name);
    return true;
  } catch (e) {
    if (statusOf(e) === 412) return false;
    throw e;
  }
}

/**
 * Sets a database's _security unless it already is that. Another provisioner
 * (another process, or a call this one did not serialise) writing the same
 * object at once makes the PUT fail with 409 on the embedded engine: re-read,
 * and stop when it now holds what we wanted.
 */
export async function ensureSecurity(nano: ServerScope, name: string, security: object): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await nano.request({ db: name, path: '_security' });
    if (isDeepStrictEqual(current, security)) return;
    try {
      await nano.request({ db: name, path: '_security', method: 'PUT', body: security });
      return;
    } catch (e) {
      if (statusOf(e) !== 409 || attempt >= 4) throw e;
    }
  }
}

/** Installs or replaces a design document when its content differs; retries once on a concurrent update. */
export async function ensureDesign(nano: ServerScope, name: string, design: DesignDoc): Promise<void> {
  const db = nano.use<Record<string, unknown>>(name);
  for (let attempt = 0; ; attempt++) {
    let current: Record<string, unknown> | null = null;
    try {
      current = (await db.get(design._id)) as unknown as Record<string, unknown>;
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    if (current && current.version === design.version && current.validate_doc_update === design.validate_doc_update)
      return;
    try {
      await db.insert({ ...design, ...(current ? { _rev: current._rev as string } : {}) } as never);
      return;
    } catch (e) {
      if (statusOf(e) !== 409 || attempt >= 2) throw e;
    }
  }
}

/** Deletes a database if it exists; true when it was deleted now. */
export async function dropDb(nano: ServerScope, name: string): Promise<boolean> {
  try {
    await nano.db.destroy(name);
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}
