// Projects through the admin core against a real server (createReviewOrg):
// an admin's save signs a version with the organisation key and delivers it
// to the inboxes of the people it concerns (its team's, and an assignee of
// another team), nobody else's; a malformed project is refused with the
// field named and nothing written; a stored project altered on the server
// is refused and listed, never used; HR cannot save one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectDocId, verifyProjectDocument, type Project } from '@sealtime/shared';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import { AdminCore } from '../admin-core.js';
import { nextValue } from '../test-support/next-value.js';
import { createReviewOrg, HR_USER, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from '../test-support/review-org.js';

let org: ReviewOrg;
let core: AdminCore | null = null;
const dirs: string[] = [];

async function newCore(): Promise<AdminCore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'st-projects-'));
  dirs.push(dataDir);
  const c = new AdminCore({
    dataDir,
    timeZone: 'UTC',
    sync: { minRetryMs: 200, maxRetryMs: 1000 },
    outbox: { minRetryMs: 200, maxRetryMs: 1000 },
  });
  await c.start();
  return c;
}

function next<N extends SubscriptionName>(
  c: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept?: (v: SubscriptionValue<N>) => boolean,
  timeoutMs = 30_000,
): Promise<SubscriptionValue<N>> {
  return nextValue(c, name, params, accept, timeoutMs);
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code?: string; message?: string },
  );

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
  });
}, 240_000);
afterAll(async () => {
  await core?.close();
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
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
});
