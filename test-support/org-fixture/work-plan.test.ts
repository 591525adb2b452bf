// The generated organisation's projects, tracking, manual entries and rules:
// valid as the app would sign them, and the day plan carries them.
import { describe, expect, it } from 'vitest';
import {
  classify,
  isProjectRef,
  ruleSetChain,
  ruleSetDocId,
  validatePayload,
  validateProject,
  validateRuleSetVersion,
} from '@sealtime/shared';
import { deviceFor, generateOrg } from './org-plan.js';
import { APPS } from './app-mix.js';
import { manualEntriesOf, planDay, workDayOf } from './day-plan.js';
import { addsManualTime, manualDecisionOf, planRuleSets, trackedAt, trackedStretches } from './work-plan.js';

describe('the generated work plan', () => {
  it('gives each team three valid projects with assigned tasks, some budgeted, one archived', async () => {
    const org = await generateOrg({ seed: 1, people: 20, days: 14 });
    expect(org.projects).toHaveLength(org.teams.length * 3);
    for (const p of org.projects) expect(validateProject(p)).toEqual([]);
    expect(org.projects.filter((p) => p.archived)).toHaveLength(1);
    expect(org.projects.filter((p) => p.budgetHours !== undefined).length).toBeGreaterThanOrEqual(org.teams.length);
    const people = new Set(org.people.map((p) => p.employeeId));
    for (const t of org.projects.flatMap((p) => p.tasks)) expect(t.assignees.every((a) => people.has(a))).toBe(true);
  });

  it('splits a day into stretches that cover it, some untracked, each on a project of the person’s team', async () => {
    const org = await generateOrg({ seed: 1, people: 20, days: 14 });
    let untracked = 0;
    let tracked = 0;
    for (const person of org.people)
      for (const date of org.workDates) {
        const s = trackedStretches(org, org.projects, person, date, 1000, 9000);
        expect(s[0]!.start).toBe(1000);
        expect(s[s.length - 1]!.end).toBe(9000);
        for (let i = 1; i < s.length; i++) expect(s[i]!.start).toBe(s[i - 1]!.end);
        for (const x of s) {
          if (!x.project) untracked++;
          else {
            tracked++;
            const p = org.projects.find((q) => q.id === x.project!.projectId)!;
            expect(p.teamIds).toContain(person.teamId);
            if (x.project.taskId) expect(p.tasks.map((t) => t.id)).toContain(x.project.taskId);
          }
        }
        expect(trackedAt(s, 9000)).toEqual(s[s.length - 1]!.project);
        expect(trackedAt(s, 9001)).toBeUndefined();
      }
    expect(untracked).toBeGreaterThan(0);
    expect(tracked).toBeGreaterThan(untracked * 3);
  });

  it('stamps slots and screenshots with the tracked project and adds valid manual entries with all three outcomes', async () => {
    const org = await generateOrg({ seed: 1, people: 20, days: 30 });
    const outcomes = { approved: 0, rejected: 0, pending: 0 };
    let slotsWithProject = 0;
    let shotsWithProject = 0;
    let manualRecords = 0;
    for (const person of org.people) {
      const entries = manualEntriesOf(org, person);
      if (!addsManualTime(org, person)) expect(entries).toEqual([]);
      for (const e of entries) outcomes[manualDecisionOf(org, e.entryId)]++;
      for (const date of org.workDates) {
        const device = deviceFor(person, date);
        if (!device || !workDayOf(org, person, date)) continue;
        for (const r of planDay(org, person, device, 'dev-1', date, false)) {
          if (r.type === 'screenshot') {
            if (r.meta.project) shotsWithProject++;
            continue;
          }
          const ok = validatePayload(r.kind, r.payload);
          expect(ok.ok, ok.ok ? '' : ok.message).toBe(true);
          if (r.kind === 'activity-slot' && r.payload.project) {
            expect(isProjectRef(r.payload.project)).toBe(true);
            slotsWithProject++;
          }
          if (r.kind === 'manual-time') {
            manualRecords++;
            expect(entries.map((e) => e.entryId)).toContain(r.payload.entryId);
          }
        }
      }
    }
    expect(slotsWithProject).toBeGreaterThan(100);
    expect(shotsWithProject).toBeGreaterThan(10);
    expect(manualRecords).toBe(org.people.reduce((n, p) => n + manualEntriesOf(org, p).length, 0));
    expect(outcomes.approved).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.pending).toBeGreaterThan(0);
  });

  it('classifies every generated app, and the team override wins over the organisation for its team', async () => {
    const org = await generateOrg({ seed: 1, people: 20, days: 7 });
    const sets = planRuleSets(org, 1);
    for (const s of sets) for (const v of s.versions) expect(validateRuleSetVersion(v)).toEqual([]);
    const byId = new Map(sets.map((s) => [ruleSetDocId(s), s]));
    const first = org.teams[0]!.teamId;
    const other = org.teams[1]!.teamId;
    for (const app of APPS.filter((a) => a.app !== 'KeePassXC'))
      for (const title of app.titles) {
        const c = classify({ start: 10, app: app.app, title, ...(app.url ? { url: app.url } : {}) }, [
          ...ruleSetChain(byId, org.orgId, other),
        ]);
        expect(c.class, `${app.app} ${title}`).not.toBe('unclassified');
      }
    const slack = { start: 10, app: 'slack', title: '#general — Slack' };
    expect(classify(slack, ruleSetChain(byId, org.orgId, other)).class).toBe('unproductive');
    expect(classify(slack, ruleSetChain(byId, org.orgId, first)).class).toBe('productive');
  });
});
