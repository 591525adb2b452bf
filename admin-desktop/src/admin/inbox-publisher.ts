/**
 * Writes signed documents into employees' inboxes (`st-emp-<e>-inbox`) with
 * `_bulk_docs`, replacing a document of the same id (its current _rev is
 * fetched first), so a policy or recipients change is one new revision that
 * the agent's live pull picks up.
 */
import { inboxDoc, inboxWireDoc, type InboxDocType } from '@sealtime/shared';
import { employeeInbox } from './directory-docs.js';
import type { AdminServer } from './ports.js';

export interface InboxItem {
  id: string;
  type: InboxDocType;
  issuedAt: number;
  doc: object;
}

export async function publishToInbox(
  client: AdminServer,
  employeeId: string,
  items: readonly InboxItem[],
): Promise<void> {
  const db = employeeInbox(employeeId);
  const docs: Array<Record<string, unknown>> = [];
  for (const it of items) {
    const cur = await client.getDoc(db, it.id);
    const wire = inboxWireDoc(inboxDoc(it.id, it.type, employeeId, it.issuedAt, it.doc));
    docs.push(cur ? { ...wire, _rev: cur._rev } : wire);
  }
  await client.bulkDocs(db, docs);
}

/** The documents `publishToInbox` writes, without revisions: for a writer that delivers later (the app's outbox). */
export function inboxWrite(
  employeeId: string,
  items: readonly InboxItem[],
): { db: string; docs: Array<{ _id: string } & Record<string, unknown>> } {
  return {
    db: employeeInbox(employeeId),
    docs: items.map(
      (it) =>
        inboxWireDoc(inboxDoc(it.id, it.type, employeeId, it.issuedAt, it.doc)) as { _id: string } & Record<
          string,
          unknown
        >,
    ),
  };
}

/** The inbox's documents (wire form), for reading back what was published. */
export async function readInbox(
  client: AdminServer,
  employeeId: string,
): Promise<Array<{ _id: string; type?: string; issuedAt?: number; doc?: unknown }>> {
  return client.allDocs(employeeInbox(employeeId));
}
