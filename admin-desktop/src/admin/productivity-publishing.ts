/**
 * Publishing a productivity rule set: the signed document goes into the
 * directory (`productivity:<level>:<id>`, where other admins' apps and the
 * team's managers read it) and into the inbox of every employee it concerns
 * (organisation → everyone the directory lists, team → its members), where
 * their agents verify it and show each employee their own day classified
 * the same way. Same path as policy layers (policy-publishing.ts).
 */
import type { RuleSetScope } from '@sealtime/shared';
import { isAdminError } from './admin-error.js';
import { DIRECTORY_DB, wireDoc } from './directory-docs.js';
import { publishToInbox } from './inbox-publisher.js';
import type { Deps } from './people-setup.js';
import { targets } from './policy-publishing.js';

export interface RuleSetPublished {
  /** employees whose inbox now holds the set */
  publishedTo: string[];
  /** employees without an inbox yet (not enrolled): they get it with the next publication */
  notProvisioned: string[];
}

export async function publishRuleSetDoc(
  deps: Deps,
  scope: RuleSetScope,
  docId: string,
  issuedAt: number,
  doc: Record<string, unknown>,
  orgSignPublicKey: Uint8Array,
): Promise<RuleSetPublished> {
  const who = await targets(deps, scope.level, scope.id, orgSignPublicKey);
  const cur = await deps.client.getDoc(DIRECTORY_DB, docId);
  await deps.client.bulkDocs(DIRECTORY_DB, [wireDoc(docId, doc, cur?._rev)]);
  const publishedTo: string[] = [];
  const notProvisioned: string[] = [];
  for (const employeeId of who) {
    try {
      await publishToInbox(deps.client, employeeId, [{ id: docId, type: 'productivity-rules', issuedAt, doc }]);
      publishedTo.push(employeeId);
    } catch (err) {
      if (!isAdminError(err, 'not-found')) throw err;
      notProvisioned.push(employeeId);
    }
  }
  return { publishedTo, notProvisioned };
}
