/** Which key rings a reviewer is handed, and whose devices they see. */
import { describe, expect, it } from 'vitest';
import { holdsKeyring, mayViewDevicesOf } from './access-rules.js';
import type { PersonPrincipal } from './principal.js';
import { admin, hr, manager, member, person, superAdmin } from './test-support/decision-table.js';

describe('key rings and device keys for reviewers', () => {
  const manager2 = person('manager', { teams: ['t1', 't2'] });
  it.each<[string, PersonPrincipal, string, string, boolean]>([
    ['admin holds the organisation ring', admin, 'organisation', 'acme', true],
    ['super-admin holds the organisation ring', superAdmin, 'organisation', 'acme', true],
    ['HR does not get the organisation ring', hr, 'organisation', 'acme', false],
    ['manager does not get the organisation ring', manager, 'organisation', 'acme', false],
    ['HR holds the HR ring', hr, 'hr', 'acme', true],
    ['admin is not handed the HR ring', admin, 'hr', 'acme', false],
    ['manager does not get the HR ring', manager, 'hr', 'acme', false],
    ['member does not get the HR ring', member, 'hr', 'acme', false],
    ['manager holds their team ring', manager, 'team', 't1', true],
    ['manager of two teams holds the second', manager2, 'team', 't2', true],
    ['manager does not get another team ring', manager, 'team', 't2', false],
    ['HR does not get a team ring', hr, 'team', 't1', false],
    ['member does not get a team ring', person('member', { teams: ['t1'] }), 'team', 't1', false],
    ['a person holds their own employee ring', member, 'employee', 'e1', true],
    ['nobody else gets an employee ring', manager, 'employee', 'e1', false],
    ['an unknown role is never handed out', admin, 'root', 'acme', false],
  ])('%s', (_label, who, role, owner, ok) => {
    expect(holdsKeyring(who, role, owner)).toBe(ok);
  });

  it.each<[string, PersonPrincipal, string[], boolean]>([
    ["admin sees anyone's devices", admin, [], true],
    ['HR sees the devices of people in any team', hr, ['t9'], true],
    ['HR sees the devices of people in no team', hr, [], true],
    ["manager sees devices of their team's people", manager, ['t1'], true],
    ["manager does not see another team's devices", manager, ['t2'], false],
    ['manager does not see devices of people in no team', manager, [], false],
    ["member does not see others' devices", member, ['t1'], false],
  ])('%s', (_label, who, teams, ok) => {
    expect(mayViewDevicesOf(who, teams)).toBe(ok);
  });
});
