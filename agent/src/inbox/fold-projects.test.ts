// The device offers only projects a key allowed to sign did sign: the
// organisation's, or its own team's key for that team's project alone.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createProjectDocument,
  toBase64,
  inboxDoc,
  projectDocId,
  type InboxDoc,
  type PersonKeys,
  type Project,
} from '@sealtime/shared';
import type { TestOrg } from '../../../test-support/test-org.js';
import { foldInbox, type InboxTrust } from './fold-inbox.js';
import { foldSetup } from './test-support/fold-setup.js';

let org: TestOrg;
let intruder: PersonKeys;
let trust: InboxTrust;

beforeAll(async () => {
  ({ org, intruder, trust } = await foldSetup());
});

const project = (id: string, teamIds: string[], extra: Partial<Project> = {}): Project => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  colour: '#336699',
  teamIds,
  archived: false,
  tasks: [],
  ...extra,
});

function doc(p: Project, signer: PersonKeys, issuedAt = 1000, id = projectDocId(p.id)): InboxDoc {
  const d = createProjectDocument(p, issuedAt, signer);
  if (!d.ok) throw new Error(d.error.message);
  return inboxDoc(id, 'project', 'emp-1', issuedAt, d.value);
}

const names = (f: ReturnType<typeof foldInbox>) => f.projects.map((p) => `${p.project.id}@${p.issuedAt}`);

describe('projects in the inbox', () => {
  it('keeps the projects of this team and those with a task assigned here; skips other teams', () => {
    const f = foldInbox(
      [
        org.recipients('emp-1', 'team-a', 1),
        doc(project('apollo', ['team-a']), org.org),
        doc(project('borealis', ['team-b']), org.org), // another team's: not ours, not refused
        doc(
          project('comet', ['team-b'], {
            tasks: [{ id: 'review', name: 'Review', assignees: ['emp-1'], status: 'open' }],
          }),
          org.org,
        ),
        doc(project('dune', ['team-a']), org.team('team-a')), // the team manager's
      ],
      trust,
      {},
    );
    expect(f.rejected).toEqual([]);
    expect(names(f)).toEqual(['apollo@1000', 'comet@1000', 'dune@1000']);
  });

  it.each([
    [
      'signed by a key nobody trusts (the server forged it)',
      () => doc(project('apollo', ['team-a']), intruder),
      'untrusted-signer',
    ],
    [
      "signed by this team's key but naming another team too",
      () => doc(project('apollo', ['team-a', 'team-b']), org.team('team-a')),
      'untrusted-signer',
    ],
    ["signed by another team's key", () => doc(project('apollo', ['team-b']), org.team('team-b')), 'untrusted-signer'],
    // issue 17, managers: team-b's manager forges a project for team-a, which they do not manage
    [
      "signed by another team's manager, naming this team",
      () => doc(project('apollo', ['team-a']), org.team('team-b')),
      'untrusted-signer',
    ],
    [
      "signed by another team's manager, naming the organisation's key as its signer",
      () => {
        const d = doc(project('apollo', ['team-a']), org.team('team-b'));
        return { ...d, doc: { ...d.doc, signer: toBase64(org.org.signPublicKey) } };
      },
      'untrusted-signer', // the signature's key decides, not the name it gives
    ],
    [
      'altered after signing (renamed by the server)',
      () => {
        const d = doc(project('apollo', ['team-a']), org.org);
        return { ...d, doc: { ...d.doc, project: { ...(d.doc.project as Project), name: 'Hijacked' } } };
      },
      'bad-signature',
    ],
    [
      'a genuine project copied under another id',
      () => doc(project('apollo', ['team-a']), org.org, 1000, projectDocId('borealis')),
      'malformed-document',
    ],
  ])('refuses and reports one %s', (_n, make, code) => {
    const bad = make();
    const f = foldInbox([org.recipients('emp-1', 'team-a', 1), bad], trust, {});
    expect(f.projects).toEqual([]);
    expect(f.rejected).toMatchObject([{ id: bad.id, type: 'project', code }]);
  });

  it('a newer version replaces; an older one replayed is refused; a vanished one stays and is reported', () => {
    const rec = org.recipients('emp-1', 'team-a', 1);
    const v1 = doc(project('apollo', ['team-a']), org.org, 1000);
    const v2 = doc(project('apollo', ['team-a'], { archived: true }), org.org, 2000);
    const first = foldInbox([rec, v1], trust, {});
    const second = foldInbox([rec, v2], trust, first.highWater, { kept: first.kept });
    expect(names(second)).toEqual(['apollo@2000']);
    expect(second.projects[0]?.project.archived).toBe(true);

    const replay = foldInbox([rec, v1], trust, second.highWater, { kept: second.kept });
    expect(replay.rejected).toMatchObject([{ id: 'project:apollo', code: 'stale' }]);
    expect(names(replay)).toEqual(['apollo@2000']); // the kept version stays in force

    const gone = foldInbox([rec], trust, second.highWater, { kept: second.kept });
    expect(names(gone)).toEqual(['apollo@2000']);
    expect(gone.rejected).toMatchObject([{ id: 'project:apollo', code: 'unsigned-removal' }]);
  });

  it('a newer version moved to another team ends the project here', () => {
    const rec = org.recipients('emp-1', 'team-a', 1);
    const first = foldInbox([rec, doc(project('apollo', ['team-a']), org.org, 1000)], trust, {});
    const moved = foldInbox([rec, doc(project('apollo', ['team-b']), org.org, 2000)], trust, first.highWater, {
      kept: first.kept,
    });
    expect(moved.projects).toEqual([]);
    expect(moved.rejected).toEqual([]);
  });

  it('offers nothing before the recipients document names the keys', () => {
    const f = foldInbox([doc(project('apollo', ['team-a']), org.org)], trust, {});
    expect(f.projects).toEqual([]);
  });
});
