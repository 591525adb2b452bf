/**
 * Which consolidated databases receive which of an employee's records. The
 * recipients of each record kind (shared RECIPIENTS) decide: a reviewer's
 * database gets exactly the kinds that reviewer's key can open.
 *
 *   st-org-records           every kind with the organisation as recipient
 *   st-team-<team>-records   kinds with the team as recipient (employees with a team)
 *   st-hr-attendance         kinds with HR as recipient
 *
 * Records sealed in envelope version 2 show a routing class, not a kind: a
 * route copies the classes of its role (shared routing-class.ts) as well as
 * the kinds, which old (version 1) records still show.
 */
import { classesFor, RECIPIENTS, RECORD_KINDS, type RecipientRole, type ReviewingRole } from '@sealtime/shared';
import { dbNames } from './db-names.js';

export interface EmployeeSpec {
  employeeId: string;
  teamId: string | null;
}

export interface ConsolidationRoute {
  employeeId: string;
  source: string;
  target: string;
  /** Record kinds copied (version 1 records); sorted, so routes compare by value. */
  kinds: string[];
  /** Routing classes copied (version 2 records); sorted. */
  classes: string[];
}

function kindsFor(role: RecipientRole): string[] {
  return RECORD_KINDS.filter((k) => RECIPIENTS[k].includes(role)).sort();
}

export const ORG_KINDS = kindsFor('organisation');
export const TEAM_KINDS = kindsFor('team');
export const HR_KINDS = kindsFor('hr');

const classes = (role: ReviewingRole): string[] => [...classesFor(role)].sort();
export const ORG_CLASSES = classes('organisation');
export const TEAM_CLASSES = classes('team');
export const HR_CLASSES = classes('hr');

export function consolidationRoutes(spec: EmployeeSpec): ConsolidationRoute[] {
  const source = dbNames.employeeRecords(spec.employeeId);
  const routes: ConsolidationRoute[] = [
    { employeeId: spec.employeeId, source, target: dbNames.orgRecords, kinds: ORG_KINDS, classes: ORG_CLASSES },
    { employeeId: spec.employeeId, source, target: dbNames.hrAttendance, kinds: HR_KINDS, classes: HR_CLASSES },
  ];
  if (spec.teamId !== null)
    routes.push({
      employeeId: spec.employeeId,
      source,
      target: dbNames.teamRecords(spec.teamId),
      kinds: TEAM_KINDS,
      classes: TEAM_CLASSES,
    });
  return routes;
}

/** A stable identifier for a route (also the CouchDB _replicator document id). */
export function routeId(route: Pick<ConsolidationRoute, 'source' | 'target'>): string {
  return `sealtime:${route.source}:${route.target}`;
}
