import { beforeAll, describe, expect, it } from 'vitest';
import { initSodium } from '../envelope/sodium.js';
import { newSeed, personKeysFromSeed, type PersonKeys } from '../keys/person-keys.js';
import { createProjectDocument, verifyProjectDocument, type ProjectSigners } from './project-document.js';
import { projectConcerns, projectDocId, type Project } from './project-types.js';
import { validateProject } from './validate-project.js';

let org: PersonKeys;
let opsTeam: PersonKeys;
let intruder: PersonKeys;
let signers: ProjectSigners;
beforeAll(async () => {
  await initSodium();
  [org, opsTeam, intruder] = [
    personKeysFromSeed(newSeed()),
    personKeysFromSeed(newSeed()),
    personKeysFromSeed(newSeed()),
  ];
  signers = { organisation: [org.signPublicKey], teams: { ops: [opsTeam.signPublicKey] } };
});

const apollo: Project = {
  id: 'apollo',
  name: 'Apollo',
  client: 'NASA',
  colour: '#3366cc',
  teamIds: ['ops'],
  budgetHours: 120,
  archived: false,
  tasks: [
    { id: 'design', name: 'Design', assignees: ['ana'], status: 'open' },
    { id: 'launch', name: 'Launch', assignees: [], status: 'done' },
  ],
};

function signed(p: Project = apollo, k = org, issuedAt = 1000): Record<string, unknown> {
  const d = createProjectDocument(p, issuedAt, k);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

describe('project validation', () => {
  it.each([
    ['a full project', apollo, []],
    ['no client, no budget, no tasks', { ...apollo, client: undefined, budgetHours: undefined, tasks: [] }, []],
    ['an empty name', { ...apollo, name: ' ' }, ['name']],
    ['a colour that is no colour', { ...apollo, colour: 'red' }, ['colour']],
    ['a budget of nothing', { ...apollo, budgetHours: 0 }, ['budgetHours']],
    ['a team twice', { ...apollo, teamIds: ['ops', 'ops'] }, ['teamIds']],
    ['a bad project id', { ...apollo, id: 'a b' }, ['id']],
    ['a task id twice', { ...apollo, tasks: [apollo.tasks[0], apollo.tasks[0]] }, ['tasks[1].id']],
    ['a task status', { ...apollo, tasks: [{ ...apollo.tasks[0], status: 'later' }] }, ['tasks[0].status']],
    [
      'an assignee that is no id',
      { ...apollo, tasks: [{ ...apollo.tasks[0], assignees: ['A B'] }] },
      ['tasks[0].assignees'],
    ],
    ['a field nobody knows', { ...apollo, owner: 'x' }, ['owner']],
    ['archived not boolean', { ...apollo, archived: 'yes' }, ['archived']],
  ])('%s', (_name, p, paths) => {
    const clean = JSON.parse(JSON.stringify(p)) as unknown; // undefined fields are absent, as on the wire
    expect(validateProject(clean).map((x) => x.path)).toEqual(paths);
  });

  it('refuses to sign a malformed project, saying what is wrong', () => {
    const d = createProjectDocument({ ...apollo, colour: 'red' }, 1, org);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.message).toMatch(/colour/);
  });
});

describe('project documents', () => {
  it('round-trips, naming the organisation as signer', () => {
    const v = verifyProjectDocument(projectDocId('apollo'), signed(), signers);
    expect(v).toEqual({ ok: true, value: { project: apollo, issuedAt: 1000, signer: { role: 'organisation' } } });
  });

  it("accepts a team key's project of that team alone", () => {
    const v = verifyProjectDocument(projectDocId('apollo'), signed(apollo, opsTeam), signers);
    expect(v.ok && v.value.signer).toEqual({ role: 'team', teamId: 'ops' });
  });

  it.each([
    ['a team key signing for another team', { ...apollo, teamIds: ['sales'] }, 'untrusted-signer'],
    ['a team key signing for two teams', { ...apollo, teamIds: ['ops', 'sales'] }, 'untrusted-signer'],
    ['a team key signing for no team', { ...apollo, teamIds: [] }, 'untrusted-signer'],
  ])('refuses %s (a manager reaches their own team only)', (_n, p, code) => {
    const v = verifyProjectDocument(projectDocId('apollo'), signed(p, opsTeam), signers);
    expect(v.ok ? 'ok' : v.error.code).toBe(code);
  });

  it.each([
    ['signed by a key nobody trusts', () => signed(apollo, intruder), 'untrusted-signer'],
    [
      'a field changed after signing (the server renames it)',
      () => ({ ...signed(), project: { ...apollo, name: 'Hijacked' } }),
      'bad-signature',
    ],
    [
      'tasks reassigned after signing',
      () => ({ ...signed(), project: { ...apollo, tasks: [{ ...apollo.tasks[0]!, assignees: ['bo'] }] } }),
      'bad-signature',
    ],
    ['an older issue time swapped in', () => ({ ...signed(), issuedAt: 5 }), 'bad-signature'],
    ['no signature', () => ({ ...signed(), signature: undefined }), 'malformed-document'],
    ['not a project document', () => ({ ...signed(), format: 'sealtime-policy' }), 'malformed-document'],
    ['junk', () => 'project', 'malformed-document'],
  ])('refuses a document %s', (_n, make, code) => {
    const v = verifyProjectDocument(projectDocId('apollo'), make(), signers);
    expect(v.ok ? 'ok' : v.error.code).toBe(code);
  });

  it('refuses a genuine document copied under another project id', () => {
    const v = verifyProjectDocument(projectDocId('borealis'), signed(), signers);
    expect(v.ok ? 'ok' : v.error.message).toMatch(/holds project apollo/);
  });
});

describe('who a project concerns', () => {
  it.each([
    ['a person of its team', 'bo', 'ops', true],
    ['an assignee of another team', 'ana', 'sales', true],
    ['an assignee without a team', 'ana', null, true],
    ['someone else of another team', 'bo', 'sales', false],
    ['someone without a team', 'bo', null, false],
  ])('%s', (_n, employeeId, teamId, yes) => {
    expect(projectConcerns(apollo, employeeId, teamId)).toBe(yes);
  });
});
