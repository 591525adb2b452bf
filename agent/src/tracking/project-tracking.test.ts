// Tracking on the agent: which project a typed name means, the switch that
// cuts the open slot with the old project current, and the choice kept on
// disk across a restart (and with no server).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type CapturePolicy, type Project, type ProjectVersion } from '@sealtime/shared';
import { tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore } from '../store/agent-store.js';
import { chooseProject, listProjects } from './project-choice.js';
import { ProjectTracker } from './project-tracker.js';
import { trackingCommands } from './tracking-commands.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const p = (id: string, name: string, extra: Partial<Project> = {}): ProjectVersion => ({
  issuedAt: 1,
  project: { id, name, colour: '#123456', teamIds: ['ops'], archived: false, tasks: [], ...extra },
});
const projects: ProjectVersion[] = [
  p('apollo', 'Apollo', {
    client: 'NASA',
    tasks: [
      { id: 'design', name: 'Design review', assignees: ['emp-1'], status: 'open' },
      { id: 'build', name: 'Build', assignees: [], status: 'open' },
      { id: 'old', name: 'Old design', assignees: [], status: 'done' },
    ],
  }),
  p('apollo-2', 'Apollo Two'),
  p('borealis', 'Borealis'),
  p('comet', 'Comet', { archived: true }),
];

describe('choosing a project by what the employee typed', () => {
  it.each([
    ['apollo', undefined, 'apollo'],
    ['APOLLO', undefined, 'apollo'],
    ['Apollo Two', undefined, 'apollo-2'],
    ['bore', undefined, 'borealis'],
    ['apollo', 'design', 'apollo/design'],
    ['apollo', 'review', 'apollo/design'],
    ['apollo', 'build', 'apollo/build'],
    ['apol', undefined, 'ambiguous'],
    ['comet', undefined, 'archived'],
    ['zeta', undefined, 'no-such-project'],
    ['apollo', 'deploy', 'no-such-task'],
    ['apollo', 'old design', 'task-done'],
  ])('%s %s → %s', (proj, task, want) => {
    const c = chooseProject(projects, proj, task);
    expect(c.ok ? `${c.ref.projectId}${c.ref.taskId ? `/${c.ref.taskId}` : ''}` : c.error.code).toBe(want);
  });

  it('lists what can be tracked, searchable, open tasks only, naming those assigned to me', () => {
    expect(listProjects(projects, 'emp-1').map((x) => x.projectId)).toEqual(['apollo', 'apollo-2', 'borealis']);
    expect(listProjects(projects, 'emp-1', 'nasa').map((x) => x.projectId)).toEqual(['apollo']);
    expect(listProjects(projects, 'emp-1', 'review').map((x) => x.projectId)).toEqual(['apollo']);
    expect(listProjects(projects, 'emp-1', 'apollo')[0]?.tasks).toEqual([
      { taskId: 'design', name: 'Design review', assignedToMe: true },
      { taskId: 'build', name: 'Build', assignedToMe: false },
    ]);
  });
});

describe('the tracker', () => {
  it('cuts with the old project current, keeps the choice across a restart, and knows the recent ones', async () => {
    const t = tempDir('st-track-');
    cleanups.push(t.cleanup);
    let clock = 1_000;
    const store = await openAgentStore(t.dir);
    const tracker = await ProjectTracker.open(store, () => clock);
    const cuts: string[] = [];
    const cut = async (at: number) => void cuts.push(`${at}:${tracker.current?.projectId ?? '-'}`);
    const policy: CapturePolicy = { ...DEFAULT_POLICY, tracking: { requireProject: true } };
    const cmds = trackingCommands({
      tracker,
      projects: () => projects,
      employeeId: 'emp-1',
      policy: () => policy,
      cut,
    });

    expect(cmds.status()).toMatchObject({
      current: null,
      needsProject: true,
      note: expect.stringMatching(/pick a project/),
    });
    const a = await cmds.track('apollo', 'design');
    expect(a.ok && a.value).toMatchObject({
      current: { projectId: 'apollo', taskId: 'design', label: 'Apollo — Design review' },
      needsProject: false,
      note: null,
    });
    clock = 2_000;
    await cmds.track('borealis');
    clock = 3_000;
    await cmds.track('borealis'); // the same again: no cut, nothing changes
    const bad = await cmds.track('zeta');
    expect(bad.ok ? 'ok' : bad.error.code).toBe('no-such-project');
    expect(tracker.current).toEqual({ projectId: 'borealis' }); // a refused switch changes nothing
    expect(cuts).toEqual(['1000:-', '2000:apollo']);
    await store.close();

    const again = await openAgentStore(t.dir);
    const reopened = await ProjectTracker.open(again, () => clock);
    expect(reopened.state).toEqual({
      current: { projectId: 'borealis' },
      since: 2_000,
      recent: [{ projectId: 'borealis' }, { projectId: 'apollo', taskId: 'design' }],
    });
    await reopened.switchTo(null);
    expect(reopened.current).toBeUndefined();
    await again.putState('tracking', { current: { projectId: 'a b' }, recent: 'junk' });
    expect((await ProjectTracker.open(again)).state).toEqual({ current: null, since: null, recent: [] });
    await again.close();
  });
});
