/**
 * The generated organisation's projects (issue 17): three per team, the
 * first with a client and a budget, the second with a budget, the third of
 * the last team archived; two tasks each, assigned to team members. Its own
 * file: the org plan makes them and work-plan.ts reads the org plan.
 */
import type { Project } from '@sealtime/shared';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const KINDS = ['Client work', 'Internal tools', 'Maintenance'];

/** Every project of the organisation, in team order. */
export function planProjects(org: { teams: ReadonlyArray<{ teamId: string; members: readonly string[] }> }): Project[] {
  const out: Project[] = [];
  org.teams.forEach((team, ti) => {
    KINDS.forEach((kind, k) => {
      const id = `${team.teamId}-p${k + 1}`;
      const member = (n: number) => team.members[n % Math.max(1, team.members.length)];
      out.push({
        id,
        name: `${kind} (${team.teamId})`,
        ...(k === 0 ? { client: `Client ${ti + 1}` } : {}),
        colour: COLOURS[(ti * 3 + k) % COLOURS.length]!,
        teamIds: [team.teamId],
        ...(k === 0 ? { budgetHours: 40 * Math.max(1, team.members.length) } : k === 1 ? { budgetHours: 120 } : {}),
        archived: k === 2 && ti === org.teams.length - 1,
        tasks: [0, 1].map((t) => ({
          id: `${id}-t${t + 1}`,
          name: t === 0 ? 'Planning' : 'Delivery',
          assignees: team.members.length > 0 ? [member(t + k)!] : [],
          status: t === 0 && k === 2 ? ('done' as const) : ('open' as const),
        })),
      });
    });
  });
  return out;
}
