/**
 * The wire form of an inbox document (CouchDB `{_id, type, target, issuedAt,
 * doc}`): the envelope the admin side writes into st-emp-<e>-inbox and the
 * agent pulls. The signed document inside is what is trusted; these fields
 * only route it.
 */
import type { InboxDoc, InboxDocType } from '../records/collections.js';

export const RECIPIENTS_DOC_ID = 'recipients';

export function inboxDoc(id: string, type: InboxDocType, target: string, issuedAt: number, doc: object): InboxDoc {
  return { id, type, target, issuedAt, doc: JSON.parse(JSON.stringify(doc)) as Record<string, unknown> };
}

/** The same, keyed as CouchDB's `_bulk_docs` expects. */
export function inboxWireDoc(d: InboxDoc): Record<string, unknown> {
  const { id, ...rest } = d;
  return { _id: id, ...rest };
}
