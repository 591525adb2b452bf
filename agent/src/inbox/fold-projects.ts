/**
 * The projects part of folding the inbox (fold-inbox.ts): which signed
 * project documents this device may offer for tracking.
 *
 *   signed by   the organisation key, or the key of this employee's team for
 *               a project of that team alone (a manager's); the keys come
 *               from the verified recipients document
 *   applies     when it concerns this employee (their team's, or a task
 *               assigned to them); another team's project is skipped, harmless
 *   replay      an older issue than one already accepted is refused (stale)
 *
 * Like policies, a verified project stays until a newer signed version
 * (archiving is a newer version): a copy that vanishes or fails keeps the
 * last verified one, and is reported.
 */
import {
  projectConcerns,
  verifyProjectDocument,
  type InboxDoc,
  type ProjectSigners,
  type ProjectVersion,
  type VerifiedRecipients,
} from '@sealtime/shared';

export interface ProjectFold {
  /** Current projects that concern this employee, archived ones included (the caller decides what to offer). */
  projects: ProjectVersion[];
  kept: Record<string, InboxDoc>;
  highWater: Record<string, number>;
}

export type RejectFn = (d: InboxDoc, code: string, reason: string) => void;

export function projectSigners(recipients: VerifiedRecipients): ProjectSigners {
  return {
    organisation: [recipients.orgSignPublicKey, ...recipients.keys.organisation.map((k) => k.signPublicKey)],
    teams: recipients.teamId ? { [recipients.teamId]: recipients.keys.team.map((k) => k.signPublicKey) } : {},
  };
}

export function foldProjects(
  docs: readonly InboxDoc[],
  employeeId: string,
  recipients: VerifiedRecipients,
  highWater: Readonly<Record<string, number>>,
  prevKept: Readonly<Record<string, InboxDoc>>,
  reject: RejectFn,
  vanished: (d: InboxDoc, what: string) => void,
): ProjectFold {
  const signers = projectSigners(recipients);
  const present = new Set(docs.map((d) => d.id));
  const hw: Record<string, number> = {};
  const best = new Map<string, { v: ProjectVersion; doc: InboxDoc }>();
  const notOurs = new Set<string>();
  const offer = (v: ProjectVersion, doc: InboxDoc) => {
    const cur = best.get(doc.id);
    if (!cur || v.issuedAt > cur.v.issuedAt) best.set(doc.id, { v, doc });
  };
  for (const d of docs.filter((x) => x.type === 'project')) {
    const v = verifyProjectDocument(d.id, d.doc, signers);
    if (!v.ok) {
      reject(d, v.error.code, `project document refused: ${v.error.message}`);
      continue;
    }
    if (v.value.issuedAt < (highWater[d.id] ?? -1)) {
      reject(
        d,
        'stale',
        `project document ${d.id} issued ${new Date(v.value.issuedAt).toISOString()} is older than one already accepted (replayed?)`,
      );
      continue;
    }
    if (!projectConcerns(v.value.project, employeeId, recipients.teamId)) {
      // not ours (another team's), harmless; and a newer version that no longer concerns us ends the kept one
      notOurs.add(d.id);
      continue;
    }
    offer({ project: v.value.project, issuedAt: v.value.issuedAt }, d);
  }
  for (const [key, d] of Object.entries(prevKept)) {
    if (d.type !== 'project' || best.has(key) || notOurs.has(key)) continue;
    const v = verifyProjectDocument(key, d.doc, signers);
    // e.g. a project of the team this employee has left
    if (!v.ok || !projectConcerns(v.value.project, employeeId, recipients.teamId)) continue;
    offer({ project: v.value.project, issuedAt: v.value.issuedAt }, d);
    if (!present.has(d.id)) vanished(d, `project ${v.value.project.id}`);
  }
  const kept: Record<string, InboxDoc> = {};
  const projects: ProjectVersion[] = [];
  for (const [key, { v, doc }] of best) {
    hw[key] = Math.max(highWater[key] ?? -1, v.issuedAt);
    kept[key] = doc;
    projects.push(v);
  }
  projects.sort((a, b) => a.project.name.localeCompare(b.project.name) || a.project.id.localeCompare(b.project.id));
  return { projects, kept, highWater: hw };
}
