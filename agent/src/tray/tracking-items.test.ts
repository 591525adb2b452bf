import { describe, expect, it } from 'vitest';
import { statusFixture } from './status.fixture.js';
import { TrayController, type TrayControllerOptions } from './tray-controller.js';
import { trayView, type TrayMenuItem } from './tray-model.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const labels = (items: TrayMenuItem[]) => items.flatMap((i) => (i.type === 'item' ? [i.label] : []));
const apollo = { projectId: 'apollo', taskId: 'design', label: 'Apollo — Design' };
const borealis = { projectId: 'borealis', label: 'Borealis' };

describe('the tray’s tracking section', () => {
  it('shows what is tracked, the recent projects to switch to, other and stop', () => {
    const v = trayView(
      {
        phase: 'running',
        status: {
          ...statusFixture(),
          tracking: { current: apollo, recent: [apollo, borealis], needsProject: false, note: null },
        },
      },
      { now: NOW },
    );
    const l = labels(v.items);
    expect(l).toContain('Tracking: Apollo — Design');
    expect(l.filter((x) => x === 'Apollo — Design')).toEqual([]); // the current one is not offered again
    const b = v.items.find((i) => i.type === 'item' && i.label === 'Borealis');
    expect(b).toMatchObject({ enabled: true, action: { track: { projectId: 'borealis' } } });
    expect(l).toEqual(expect.arrayContaining(['Other project…', 'Stop tracking']));
    expect(v.tooltip).not.toMatch(/pick a project/);
  });

  it('asks to pick a project when the policy requires one and none is tracked', () => {
    const v = trayView(
      {
        phase: 'running',
        status: {
          ...statusFixture(),
          tracking: { current: null, recent: [borealis], needsProject: true, note: 'pick a project' },
        },
      },
      { now: NOW },
    );
    expect(labels(v.items)).toContain('Pick a project: your organisation asks for one');
    expect(labels(v.items)).not.toContain('Stop tracking');
    expect(v.tooltip).toMatch(/pick a project/);
  });

  it('an agent that knows no projects shows no tracking section', () => {
    const v = trayView({ phase: 'running', status: statusFixture() }, { now: NOW });
    expect(labels(v.items).some((l) => /project/i.test(l))).toBe(false);
  });
});

describe('“Other project…”', () => {
  const other = (items: TrayMenuItem[]) => items.find((i) => i.type === 'item' && i.label === 'Other project…');
  const tracking = { current: null, recent: [], needsProject: true, note: 'pick a project' };
  const shell = (extra: Partial<TrayControllerOptions>) => {
    const opened: string[] = [];
    const notices: string[] = [];
    const c = new TrayController({
      isEnrolled: async () => false,
      startAgent: async () => {
        throw new Error('unused');
      },
      render: () => undefined,
      notify: (n) => void notices.push(n.body),
      showIdlePrompt: () => undefined,
      openPrivacyCentre: () => void opened.push('privacy-centre'),
      quit: () => undefined,
      pollMs: 60_000,
      ...extra,
    });
    return { c, opened, notices };
  };

  it('is offered even with no recent project, and opens the search window', async () => {
    const v = trayView({ phase: 'running', status: { ...statusFixture(), tracking } }, { now: NOW });
    expect(other(v.items)).toEqual({ type: 'item', label: 'Other project…', enabled: true, action: 'open-projects' });
    const opened: string[] = [];
    const s = shell({ openProjects: () => void opened.push('project-search') });
    await s.c.act('open-projects');
    expect(opened).toEqual(['project-search']);
    expect(s.notices).toEqual([]);
  });

  it('without a search window (a shell that has none) says how to pick one on the command line', async () => {
    const s = shell({});
    await s.c.act('open-projects');
    expect(s.notices).toEqual([
      'List them with "sealtime-agent projects [search]", then "sealtime-agent track <project> [task]".',
    ]);
  });
});
