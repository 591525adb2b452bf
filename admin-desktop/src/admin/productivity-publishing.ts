/**
 * Publishing a productivity rule set: the signed document goes into the
 * directory (`productivity:<level>:<id>`, where other admins' apps and the
 * team's managers read it) and into the inbox of every employee it concerns
 * (organisation → everyone the directory lists, team → its members), where
 * their agents verify it and show each employee their own day classified
 * the same way. Same path as policy layers (policy-publishing.ts).
 */
import { ruleSetDocId, verifyRuleSetDocument, type RuleSetScope } from '@sealtime/shared';
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

/** The organisation's and the team's rule sets from the directory, for a newly enrolled employee's inbox. */
export async function inheritedRuleSetDocs(
  deps: Deps,
  orgId: string,
  teamId: string | null,
  orgSignPublicKey: Uint8Array,
): Promise<Array<{ id: string; issuedAt: number; doc: Record<string, unknown> }>> {
  const out = [];
  const scopes: RuleSetScope[] = [
    { level: 'organisation', id: orgId },
    ...(teamId ? [{ level: 'team' as const, id: teamId }] : []),
  ];
  for (const scope of scopes) {
    const id = ruleSetDocId(scope);
    const wire = await deps.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, id);
    if (!wire) continue;
    const { _id: _i, _rev: _r, ...body } = wire;
    const v = verifyRuleSetDocument(id, body, [orgSignPublicKey]);
    // a set that does not verify is not passed on (the agent would refuse it); enrollment goes ahead without it,
    // and the admin app lists it as refused until a fresh one is published
    if (!v.ok) continue;
    out.push({ id, issuedAt: v.value.issuedAt, doc: body });
  }
  return out;
}
