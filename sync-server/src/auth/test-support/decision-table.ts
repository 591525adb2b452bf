/**
 * The shared cast and runner for the decideAccess tables: each
 * `access-rules-*.test.ts` holds the rows of one rule area as readable
 * [label, who, method, db, endpoint, extra, expected] lines.
 */
import { expect, it } from 'vitest';
import { parseDbName, type ParsedDbName } from '../../provisioning/db-names.js';
import { decideAccess, MANUAL_DECISION_PREFIX, type AccessRequest, type Endpoint } from '../access-rules.js';
import type { DevicePrincipal, PersonPrincipal, Principal, Role } from '../principal.js';

export const person = (role: Role, extra: Partial<PersonPrincipal> = {}): PersonPrincipal => ({
  type: 'person',
  userId: `u-${role}`,
  role,
  teams: [],
  employeeId: null,
  sessionId: 'a'.repeat(64),
  ...extra,
});
export const device: DevicePrincipal = { type: 'device', deviceId: 'dev-1', employeeId: 'e1', teamId: 't1' };
export const superAdmin = person('super-admin');
export const admin = person('admin');
export const manager = person('manager', { teams: ['t1'], employeeId: 'm1' });
export const hr = person('hr', { employeeId: 'h1' });
export const member = person('member', { employeeId: 'e1' });

export const CD = 'correction-decision:2025-01-06-1';
export const MD_PREFIX = MANUAL_DECISION_PREFIX;
export const MD = `${MD_PREFIX}m-1`;

export type Row = [
  label: string,
  who: Principal | null,
  method: string,
  dbName: string,
  endpoint: Endpoint,
  extra: Partial<AccessRequest>,
  expected: 200 | 401 | 403,
];

function db(name: string): ParsedDbName {
  const p = parseDbName(name);
  if (!p) throw new Error(`bad db ${name}`);
  return p;
}

/** Registers one test per row; a refusal must carry its status and a reason a person can read. */
export function checkDecisions(rows: Row[]): void {
  // Guards against an area's table being emptied or cut down by accident
  // (the areas together hold well over a hundred rows).
  it('has a wide table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)('%s', (_label, who, method, dbName, endpoint, extra, expected) => {
    const d = decideAccess(who, { method, db: db(dbName), endpoint, ...extra });
    if (expected === 200) {
      expect(d).toEqual({ allow: true });
    } else {
      expect(d.allow).toBe(false);
      if (!d.allow) {
        expect(d.status).toBe(expected);
        expect(d.reason.length).toBeGreaterThan(5);
      }
    }
  });
}
