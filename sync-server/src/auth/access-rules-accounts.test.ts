/** Who may manage accounts and devices, and end whose sessions. */
import { describe, expect, it } from 'vitest';
import { mayManageDevices, mayManageUser, mayRevokeSessionsOf } from './access-rules.js';
import type { Role } from './principal.js';
import { admin, hr, manager, member, person, superAdmin } from './test-support/decision-table.js';

describe('account and device management rules', () => {
  it.each<[Role, Role, Role | undefined, boolean]>([
    ['super-admin', 'super-admin', undefined, true],
    ['super-admin', 'admin', 'member', true],
    ['admin', 'member', undefined, true],
    ['admin', 'manager', 'hr', true],
    ['admin', 'admin', undefined, false],
    ['admin', 'member', 'admin', false],
    ['admin', 'super-admin', 'member', false],
    ['manager', 'member', undefined, false],
    ['hr', 'member', undefined, false],
    ['member', 'member', undefined, false],
  ])('%s managing %s (currently %s): %s', (actor, target, current, ok) => {
    expect(mayManageUser(person(actor), target, current)).toBe(ok);
  });

  it('only admins manage devices', () => {
    expect([superAdmin, admin, manager, hr, member].map(mayManageDevices)).toEqual([true, true, false, false, false]);
  });

  it('people may end their own sessions; admins those of people below them', () => {
    expect(mayRevokeSessionsOf(member, member.userId, 'member')).toBe(true);
    expect(mayRevokeSessionsOf(member, 'someone', 'member')).toBe(false);
    expect(mayRevokeSessionsOf(admin, 'someone', 'manager')).toBe(true);
    expect(mayRevokeSessionsOf(admin, 'other-admin', 'admin')).toBe(false);
  });
});
