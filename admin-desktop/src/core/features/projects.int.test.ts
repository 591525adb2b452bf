// Projects through the admin core against a real server (createReviewOrg):
// an admin's save signs a version with the organisation key and delivers it
// to the inboxes of the people it concerns (its team's, and an assignee of
// another team), nobody else's; a malformed project is refused with the
// field named and nothing written; a stored project altered on the server
// is refused and listed, never used; HR cannot save one. A manager saves
// projects of their own team, signed with the team's key; a project naming
// another team is refused by the core before signing and by the server's
// access rules when written past the core; admins see and edit it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { projectDocId, verifyProjectDocument, type Project } from '@sealtime/shared';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import { AdminCore } from '../admin-core.js';
import { nextValue as next } from '../test-support/next-value.js';
import { errorOf, FAST_RETRY, testCores } from '../test-support/test-cores.js';
import { createProjectDocument, fromBase64, type KeyringDoc } from '@sealtime/shared';
import { isAdminError } from '../../admin/admin-error.js';
import { activeKeys, unlockRing } from '../../admin/key-custody.js';
import { login, openContext } from '../../admin/node/admin-context.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';

let org: ReviewOrg;
let core: AdminCore | null = null;
const cores = testCores('st-projects-', { outbox: FAST_RETRY });
const newCore = () => cores.newCore();

const apollo: Project = {
  id: 'apollo',
  name: 'Apollo',
  colour: '#3366cc',
  teamIds: ['blue'],
  archived: false,
  tasks: [{ id: 'review', name: 'Review', assignees: ['cy'], status: 'open' }],
};

const inboxHas = async (employeeId: string, id: string) =>
  (await org.ctx.client.getDoc(`st-emp-${employeeId}-inbox`, id)) !== null;

beforeAll(async () => {
  // ada and bob in blue; cy in red
  org = await createReviewOrg({
    people: ['ada', 'bob', 'cy'],
    dates: ['2026-12-01'],
    timeZone: 'UTC',
    teams: { cy: 'red' },
    // ada states an hour (17:00–18:00) on apollo that needs nobody's approval: the report's manual column
    manualApproval: 'none',
    manualProject: { projectId: 'apollo' },
  });
}, 240_000);
afterAll(async () => {
  await core?.close();
  await org?.close();
  await cores.cleanup();
});

describe('projects in the admin core', () => {
  it('signs, stores and delivers to the people it concerns; refuses bad input and altered copies', async () => {
    core = await newCore();
    await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
    await core.unlock({ passphrase: PASSPHRASE });

    const bad = await errorOf(core.request('saveProject', { project: { ...apollo, colour: 'blue' } }));
    expect(bad).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/colour is a colour #rrggbb/) });
    const ghost = await errorOf(core.request('saveProject', { project: { ...apollo, teamIds: ['green'] } }));
    expect(ghost).toMatchObject({ code: 'not-found', message: expect.stringMatching(/team green/) });
    expect(await org.ctx.client.getDoc(DIRECTORY_DB, projectDocId('apollo'))).toBeNull(); // nothing written

    const saved = await core.request('saveProject', { project: apollo });
    expect(saved).toMatchObject({ status: 'sent', projectId: 'apollo', deliveredTo: ['ada', 'bob', 'cy'] });
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    const stored = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, projectDocId('apollo')))!;
    const { _id: _i, _rev: _r, ...body } = stored;
    expect(verifyProjectDocument(projectDocId('apollo'), body, { organisation: [orgKey], teams: {} }).ok).toBe(true);
    for (const e of ['ada', 'bob', 'cy']) expect(await inboxHas(e, projectDocId('apollo'))).toBe(true);

    // ada's manual hour on apollo: approved (nobody needs to approve), apart from tracked time
    const withManual = await next(
      core,
      'projectReport',
      { projectId: 'apollo', from: '2026-12-01', to: '2026-12-01' },
      (r) => r.totals.manualApproved > 0,
    );
    expect(withManual.totals).toMatchObject({ manualApproved: 1, manualPending: 0 });
    expect(withManual.byPerson.find((r) => r.key === 'ada')).toMatchObject({ manualApproved: 1 });
    expect(withManual.totals.total).toBeCloseTo(withManual.totals.tracked + 1, 2);

    // a project of team red alone reaches cy, not ada or bob
    const red: Project = { ...apollo, id: 'redline', name: 'Redline', teamIds: ['red'], tasks: [] };
    expect(await core.request('saveProject', { project: red })).toMatchObject({ deliveredTo: ['cy'] });
    expect(await inboxHas('ada', projectDocId('redline'))).toBe(false);

    // archiving is a newer signed version
    const archived = await core.request('saveProject', { project: { ...apollo, archived: true } });
    expect(archived.issuedAt).toBeGreaterThan(saved.issuedAt);
    const book = await next(core, 'projectBook', {}, (b) => b.projects.some((p) => p.id === 'apollo' && p.archived));
    expect(book.projects.map((p) => [p.id, p.archived, p.waiting])).toEqual([
      ['redline', false, false],
      ['apollo', true, false],
    ]);

    // the server renames a project: refused and listed, never used
    const cur = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, projectDocId('redline')))!;
    await org.ctx.client.bulkDocs(DIRECTORY_DB, [
      { ...cur, project: { ...(cur.project as Project), name: 'Hijacked' } },
    ]);
    const after = await next(core, 'projectBook', {}, (b) => b.refused.length > 0);
    expect(after.refused).toEqual([{ id: 'project:redline', reason: 'the document was changed after signing' }]);
    expect(after.projects.map((p) => p.id)).toEqual(['apollo']);
    const report = await errorOf(
      next(core, 'projectReport', { projectId: 'redline', from: '2026-12-01', to: '2026-12-01' }),
    );
    expect(report).toMatchObject({ code: 'not-found' });
    await core.close();
    core = null;
  }, 180_000);

  it('HR holds no organisation key: cannot save a project', async () => {
    core = await newCore();
    await core.signIn({ serverUrl: org.srv.url, user: HR_USER.id, password: HR_USER.password });
    await core.unlock({ passphrase: PASSPHRASE });
    expect(await errorOf(core.request('saveProject', { project: apollo }))).toMatchObject({ code: 'forbidden' });
  }, 120_000);

  it("a manager saves their team's projects with the team key; other teams are refused in the core and on the server; admins see and edit them", async () => {
    await core?.close(); // one core per process at a time (the replica's RxDB name)
    core = await newCore();
    await core.signIn({ serverUrl: org.srv.url, user: MANAGER_USER.id, password: MANAGER_USER.password });
    await core.unlock({ passphrase: TEAM_PASSPHRASE });
    const before = await next(core, 'projectBook', {}, (b) => b.projects.some((p) => p.id === 'apollo'), 60_000);
    // the organisation's projects too (the admin's apollo, archived), and only their own team to pick
    expect(before).toMatchObject({ canEdit: true, teams: ['blue'] });

    // the manager's people are those whose records their replica holds
    const c = core;
    for (let i = 0; i < 240; i++) {
      const people = (await c.request('people', {})).map((p) => p.employeeId);
      if (people.includes('ada') && people.includes('bob')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const comet: Project = {
      id: 'comet',
      name: 'Comet',
      colour: '#2e7d4f',
      teamIds: ['blue'],
      archived: false,
      tasks: [{ id: 'spec', name: 'Spec', assignees: ['ada'], status: 'open' }],
    };
    const saved = await core.request('saveProject', { project: comet });
    expect(saved).toMatchObject({ status: 'sent', projectId: 'comet', deliveredTo: ['ada', 'bob'] });
    expect(await inboxHas('cy', projectDocId('comet'))).toBe(false);
    // signed with team blue's key: it verifies with that key, and not as the organisation's
    const {
      _id: _ri,
      _rev: _rr,
      ...ring
    } = (await org.ctx.client.getDoc<KeyringDoc & { _id: string; _rev: string }>(DIRECTORY_DB, 'keyring:team:blue'))!;
    const blueKey = fromBase64(ring.generations[0]!.signPublicKey, 32);
    if (!blueKey.ok) throw new Error('no team key');
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    const {
      _id: _i,
      _rev: _r,
      ...body
    } = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, projectDocId('comet')))!;
    const asTeam = verifyProjectDocument(projectDocId('comet'), body, {
      organisation: [orgKey],
      teams: { blue: [blueKey.value] },
    });
    expect(asTeam.ok && asTeam.value.signer).toEqual({ role: 'team', teamId: 'blue' });
    expect(verifyProjectDocument(projectDocId('comet'), body, { organisation: [orgKey], teams: {} }).ok).toBe(false);

    // refused before anything is signed: another team, several teams, an assignee of another team
    const refusedInCore: Array<[Project, RegExp]> = [
      [{ ...comet, id: 'red-1', teamIds: ['red'] }, /team red is not one you manage/],
      [{ ...comet, id: 'both', teamIds: ['blue', 'red'] }, /names exactly one of their teams/],
      [
        { ...comet, id: 'far', tasks: [{ id: 't', name: 'T', assignees: ['cy'], status: 'open' }] },
        /assigned to cy, who is not in team blue/,
      ],
    ];
    for (const [project, why] of refusedInCore) {
      expect(await errorOf(core.request('saveProject', { project }))).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(why),
      });
      expect(await org.ctx.client.getDoc(DIRECTORY_DB, projectDocId(project.id))).toBeNull();
    }
    await core.close();
    core = null;

    // past the core: the manager's own session writing signed documents straight to the server
    const profileDir = await cores.newDir();
    await login({ profileDir, server: org.srv.url }, MANAGER_USER.id, MANAGER_USER.password);
    const raw = await openContext({ profileDir, server: org.srv.url });
    const blue = activeKeys(unlockRing(ring, TEAM_PASSPHRASE));
    const signed = (p: Project, at: number) => {
      const d = createProjectDocument(p, at, blue);
      if (!d.ok) throw new Error(d.error.message);
      return { _id: projectDocId(p.id), ...d.value };
    };
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'written',
        (e: unknown) => (isAdminError(e, 'forbidden') ? 'forbidden' : String(e)),
      );
    // its own team's project goes through; a project naming another team does not, in the directory or an inbox
    expect(await refused(raw.client.bulkDocs(DIRECTORY_DB, [signed({ ...comet, id: 'direct' }, 1)]))).toBe('written');
    expect(
      await refused(raw.client.bulkDocs(DIRECTORY_DB, [signed({ ...comet, id: 'wide', teamIds: ['blue', 'red'] }, 1)])),
    ).toBe('forbidden');
    const item = (p: Project) => ({
      _id: projectDocId(p.id),
      type: 'project',
      target: 'ada',
      issuedAt: 1,
      doc: (({ _id, ...d }) => d)(signed(p, 1)),
    });
    expect(
      await refused(
        raw.client.bulkDocs('st-emp-ada-inbox', [item({ ...comet, id: 'wide', teamIds: ['blue', 'red'] })]),
      ),
    ).toBe('forbidden');
    // nor may it take over team red's project (redline) by replacing it with one of its own team
    const redline = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, projectDocId('redline')))!;
    expect(
      await refused(
        raw.client.bulkDocs(DIRECTORY_DB, [{ ...signed({ ...comet, id: 'redline' }, 9), _rev: redline._rev }]),
      ),
    ).toBe('forbidden');
    expect(
      (await org.ctx.client.getDoc<{ project: Project }>(DIRECTORY_DB, projectDocId('redline')))!.project.teamIds,
    ).toEqual(['red']);

    // the admin sees the manager's project (team key checked against the ring the organisation signed) and edits it
    core = await newCore();
    await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
    await core.unlock({ passphrase: PASSPHRASE });
    const book = await next(core, 'projectBook', {}, (b) => b.projects.some((p) => p.id === 'comet'));
    expect(book.projects.find((p) => p.id === 'comet')).toMatchObject({ name: 'Comet', teamIds: ['blue'] });
    const edited = await core.request('saveProject', { project: { ...comet, name: 'Comet II' } });
    expect(edited.issuedAt).toBeGreaterThan(saved.issuedAt);
    const after = await next(core, 'projectBook', {}, (b) => b.projects.some((p) => p.name === 'Comet II'));
    expect(after.projects.find((p) => p.id === 'comet')?.name).toBe('Comet II');
    await core.close();
    core = null;
  }, 240_000);
});
