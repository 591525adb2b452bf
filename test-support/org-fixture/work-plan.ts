/**
 * What the generated organisation works on (issue 17), deterministic for the
 * seed: three projects per team (the first with a budget, the third
 * archived on the last team), two tasks per project assigned to team
 * members, the project a person tracks through the day (two to four
 * switches, some stretches untracked), manual entries of a share of the
 * people with their reviewers' decisions, and the organisation's rule set
 * with one team's override that classify the apps, titles and hosts the
 * day plan uses (day-plan.ts APPS).
 */
import type { ProductivityRuleSet, Project, ProjectRef } from '@sealtime/shared';
import { rngFor, type OrgPlan, type PersonPlan } from './org-plan.js';

/** [start, end) of the working day and what is tracked in it; `project` absent = untracked. */
export interface TrackedStretch {
  start: number;
  end: number;
  project?: ProjectRef;
}

/**
 * What a person tracks over [start, end) on a date: 2–4 stretches, one in
 * six untracked; the archived project only in the first half of the range
 * (it was archived then), a task on about half the stretches.
 */
export function trackedStretches(
  org: OrgPlan,
  projects: readonly Project[],
  person: PersonPlan,
  date: string,
  start: number,
  end: number,
): TrackedStretch[] {
  const rng = rngFor(org.seed, 'tracking', person.employeeId, date);
  const early = org.dates.indexOf(date) < org.dates.length / 2;
  const mine = projects.filter((p) => p.teamIds.includes(person.teamId) && (!p.archived || early));
  const n = 2 + Math.floor(rng() * 3);
  const cuts = Array.from({ length: n - 1 }, () => start + Math.floor(rng() * (end - start))).sort((a, b) => a - b);
  const bounds = [start, ...cuts, end];
  const out: TrackedStretch[] = [];
  for (let i = 0; i < n; i++) {
    const s: TrackedStretch = { start: bounds[i]!, end: bounds[i + 1]! };
    if (mine.length > 0 && rng() >= 1 / 6) {
      const p = mine[Math.floor(rng() * mine.length)]!;
      const task = rng() < 0.5 ? p.tasks[Math.floor(rng() * p.tasks.length)] : undefined;
      s.project = { projectId: p.id, ...(task ? { taskId: task.id } : {}) };
    }
    out.push(s);
  }
  return out;
}

/** The stretch's project at an instant (records are stamped with what was tracked when sealed). */
export function trackedAt(stretches: readonly TrackedStretch[], t: number): ProjectRef | undefined {
  for (const s of stretches) if (t >= s.start && t < s.end) return s.project;
  // the instant at the very end of the day belongs to the last stretch
  const last = stretches[stretches.length - 1];
  return last && t === last.end ? last.project : undefined;
}

/** Whether a person adds manual time entries: one in four, not the pattern people (night shift, jiggler). */
export const addsManualTime = (org: OrgPlan, person: PersonPlan): boolean =>
  org.people.indexOf(person) % 4 === 3 && person.shift === 'day' && !person.jiggler;

/** A manual entry a person adds on a date (an evening client call after clocking out), if any. */
export function manualEntryOn(
  org: OrgPlan,
  projects: readonly Project[],
  person: PersonPlan,
  date: string,
  dayEnd: number,
): { entryId: string; start: number; end: number; note: string; project: ProjectRef; createdAt: number } | undefined {
  if (!addsManualTime(org, person)) return undefined;
  const rng = rngFor(org.seed, 'manual', person.employeeId, date);
  if (rng() >= 0.35) return undefined;
  const p = projects.find((x) => x.teamIds.includes(person.teamId) && !x.archived);
  if (!p) return undefined;
  const start = dayEnd + (30 + Math.floor(rng() * 60)) * 60_000;
  const end = start + (45 + Math.floor(rng() * 75)) * 60_000;
  return {
    entryId: `manual-${person.employeeId}-${date}`,
    start,
    end,
    note: 'Evening call with the client',
    project: { projectId: p.id },
    // typed in the next morning's first minutes would cross devices; the same evening keeps it on this one
    createdAt: end + 5 * 60_000,
  };
}

/** A reviewer's decision on an entry: about 55 % approved, 20 % rejected, the rest pending. */
export function manualDecisionOf(org: OrgPlan, entryId: string): 'approved' | 'rejected' | 'pending' {
  const x = rngFor(org.seed, 'decision', entryId)();
  return x < 0.55 ? 'approved' : x < 0.75 ? 'rejected' : 'pending';
}

/** The organisation's rule set and the first team's override (slack is productive for support). */
export function planRuleSets(org: Pick<OrgPlan, 'orgId' | 'teams'>, issuedAt: number): ProductivityRuleSet[] {
  const sets: ProductivityRuleSet[] = [
    {
      level: 'organisation',
      id: org.orgId,
      issuedAt,
      versions: [
        {
          effectiveFrom: 0,
          rules: [
            { id: 'code', match: { by: 'app', app: 'code' }, class: 'productive' },
            { id: 'terminal', match: { by: 'app-pattern', pattern: 'terminal$' }, class: 'productive' },
            { id: 'calc', match: { by: 'app', app: 'libreoffice-calc' }, class: 'productive' },
            { id: 'intranet', match: { by: 'host', host: '*.corp.example' }, class: 'productive' },
            { id: 'calendar', match: { by: 'title', pattern: '^Calendar' }, class: 'neutral' },
            { id: 'mail', match: { by: 'app', app: 'thunderbird' }, class: 'neutral' },
            { id: 'chat', match: { by: 'app', app: 'slack' }, class: 'unproductive' },
          ],
        },
      ],
    },
  ];
  const team = org.teams[0];
  if (team)
    sets.push({
      level: 'team',
      id: team.teamId,
      issuedAt,
      versions: [
        { effectiveFrom: 0, rules: [{ id: 'chat', match: { by: 'app', app: 'slack' }, class: 'productive' }] },
      ],
    });
  return sets;
}
