/**
 * The generated organisation's signed work documents, published with the
 * admin app's own code: projects (signed by the organisation key, into the
 * directory and the inbox of everyone they concern), the productivity rule
 * sets (publishRuleSetDoc, as the productivity screen publishes), and the
 * reviewers' decisions on manual entries (approverRing + signManualDecision,
 * as the manual-time queue decides, delivered to the employee's inbox).
 */
import {
  createProjectDocument,
  createRuleSetDocument,
  projectConcerns,
  projectDocId,
  ruleSetDocId,
  zonedTimeToEpoch,
} from '@sealtime/shared';
import {
  activeKeys,
  approverRing,
  DIRECTORY_DB,
  publishRuleSetDoc,
  publishToInbox,
  signManualDecision,
  wireDoc,
  type AdminContext,
  type InboxItem,
} from '@sealtime/admin-desktop/node';
import type { UnlockedKeyring } from '@sealtime/shared';
import { manualEntriesOf } from './day-plan.js';
import type { OrgPlan } from './org-plan.js';
import { manualDecisionOf, planRuleSets } from './work-plan.js';

const DAY = 86_400_000;

/** When the documents were issued: the morning of the range's first day (before anything was tracked). */
const issuedAtOf = (org: OrgPlan): number => zonedTimeToEpoch(org.dates[0]!, '07:00', org.timeZone);

/** Projects and rule sets, before the devices record against them. */
export async function publishWork(
  ctx: AdminContext,
  org: OrgPlan,
  orgRing: UnlockedKeyring,
  orgSignPublicKey: Uint8Array,
): Promise<{ projects: number; ruleSets: number }> {
  const issuedAt = issuedAtOf(org);
  const keys = activeKeys(orgRing);
  const inboxes = new Map<string, InboxItem[]>();
  const dirDocs: Array<Record<string, unknown>> = [];
  for (const project of org.projects) {
    const signed = createProjectDocument(project, issuedAt, keys);
    if (!signed.ok) throw new Error(`signing project ${project.id}: ${signed.error.message}`);
    const id = projectDocId(project.id);
    const cur = await ctx.client.getDoc(DIRECTORY_DB, id);
    dirDocs.push(wireDoc(id, signed.value, cur?._rev));
    for (const p of org.people)
      if (projectConcerns(project, p.employeeId, p.teamId)) {
        const list = inboxes.get(p.employeeId) ?? [];
        list.push({ id, type: 'project', issuedAt, doc: signed.value });
        inboxes.set(p.employeeId, list);
      }
  }
  await ctx.client.bulkDocs(DIRECTORY_DB, dirDocs);
  for (const [employeeId, items] of inboxes) await publishToInbox(ctx.client, employeeId, items);
  const sets = planRuleSets(org, issuedAt);
  for (const set of sets) {
    const doc = createRuleSetDocument(set, keys);
    if (!doc.ok) throw new Error(`signing the ${set.level} rule set ${set.id}: ${doc.error.message}`);
    await publishRuleSetDoc(ctx, set, ruleSetDocId(set), issuedAt, doc.value, orgSignPublicKey);
  }
  return { projects: org.projects.length, ruleSets: sets.length };
}

/** The decisions on manual entries (an admin decides: the organisation ring signs), half a day after each entry. */
export async function decideManualTime(
  ctx: AdminContext,
  org: OrgPlan,
  orgRing: UnlockedKeyring,
): Promise<{ approved: number; rejected: number; pending: number }> {
  const n = { approved: 0, rejected: 0, pending: 0 };
  const reviewer = { role: 'admin', teams: [], rings: [orgRing] };
  for (const person of org.people) {
    const items: InboxItem[] = [];
    for (const e of manualEntriesOf(org, person)) {
      const decision = manualDecisionOf(org, e.entryId);
      n[decision]++;
      if (decision === 'pending') continue;
      const may = approverRing(reviewer, { approval: 'manager', teamId: person.teamId });
      if (!may.ok) throw new Error(`deciding ${e.entryId}: ${may.why}`);
      items.push(
        signManualDecision(
          {
            entryId: e.entryId,
            employeeId: person.employeeId,
            decision,
            decidedBy: 'admin',
            decidedAt: e.createdAt + DAY / 2,
            ...(decision === 'rejected' ? { comment: 'No call on the calendar that evening' } : {}),
          },
          may.ring,
        ),
      );
    }
    if (items.length > 0) await publishToInbox(ctx.client, person.employeeId, items);
  }
  return n;
}
