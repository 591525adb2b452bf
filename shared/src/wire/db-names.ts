/**
 * Database naming: one place decides which database holds what, so the
 * gateway's access rules, provisioning, purge and erase all agree.
 *
 *   st-emp-<employee>-records   sealed records written by that employee's devices
 *   st-emp-<employee>-blobs     encrypted screenshot images (fetched on demand)
 *   st-emp-<employee>-inbox     policies, key-ring docs, correction decisions for that employee
 *   st-org-records              consolidated records of everyone (admins)
 *   st-team-<team>-records      consolidated records of one team (its managers)
 *   st-hr-attendance            consolidated attendance + corrections (HR)
 *   st-org-directory            org public keys, signed recipient lists, org/team policies
 *   st-system                   users, sessions, devices, enrollment codes (gateway only)
 *   st-audit                    append-only audit trail (admins read)
 *   st-provisioning             which employees have databases, and their team (server only;
 *                               drives consolidation; unknown to parseDbName, so never reachable)
 */
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isValidEntityId(id: string): boolean {
  return ID.test(id);
}

function check(kind: string, id: string): string {
  if (!isValidEntityId(id)) throw new RangeError(`invalid ${kind} id: must match ${ID.source}`);
  return id;
}

export const dbNames = {
  employeeRecords: (employeeId: string) => `st-emp-${check('employee', employeeId)}-records`,
  employeeBlobs: (employeeId: string) => `st-emp-${check('employee', employeeId)}-blobs`,
  employeeInbox: (employeeId: string) => `st-emp-${check('employee', employeeId)}-inbox`,
  teamRecords: (teamId: string) => `st-team-${check('team', teamId)}-records`,
  orgRecords: 'st-org-records',
  hrAttendance: 'st-hr-attendance',
  orgDirectory: 'st-org-directory',
  system: 'st-system',
  audit: 'st-audit',
  provisioning: 'st-provisioning',
} as const;

export type ParsedDbName =
  | { kind: 'employee-records' | 'employee-blobs' | 'employee-inbox'; employeeId: string }
  | { kind: 'team-records'; teamId: string }
  | { kind: 'org-records' | 'hr-attendance' | 'org-directory' | 'system' | 'audit' };

/** Inverse of dbNames; null for anything that is not one of ours. */
export function parseDbName(name: string): ParsedDbName | null {
  const emp = /^st-emp-([a-z0-9][a-z0-9-]{0,62})-(records|blobs|inbox)$/.exec(name);
  if (emp) return { kind: `employee-${emp[2] as 'records' | 'blobs' | 'inbox'}`, employeeId: emp[1]! };
  const team = /^st-team-([a-z0-9][a-z0-9-]{0,62})-records$/.exec(name);
  if (team) return { kind: 'team-records', teamId: team[1]! };
  switch (name) {
    case dbNames.orgRecords:
      return { kind: 'org-records' };
    case dbNames.hrAttendance:
      return { kind: 'hr-attendance' };
    case dbNames.orgDirectory:
      return { kind: 'org-directory' };
    case dbNames.system:
      return { kind: 'system' };
    case dbNames.audit:
      return { kind: 'audit' };
    default:
      return null;
  }
}
