import { beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyring,
  initSodium,
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  newPwhashParams,
  verifyDecisionDocument,
  type KeyRole,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { activeKeys } from './key-custody.js';
import { approverRing, signManualDecision } from './manual-time.js';

let rings: Record<string, UnlockedKeyring>;

beforeAll(async () => {
  await initSodium();
  const ring = (ownerId: string, role: KeyRole) => {
    const r = createKeyring({
      ownerId,
      role,
      passphrase: 'long enough passphrase',
      now: 1,
      params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.unlocked;
  };
  rings = {
    blue: ring('blue', 'team'),
    red: ring('red', 'team'),
    hr: ring('acme', 'hr'),
    org: ring('acme', 'organisation'),
  };
});

describe('who decides a manual time entry', () => {
  const mgr = () => ({ role: 'manager', teams: ['blue'], rings: [rings.blue!] });
  const hr = () => ({ role: 'hr', teams: [], rings: [rings.hr!] });
  const admin = () => ({ role: 'admin', teams: [], rings: [rings.org!] });
  it.each([
    ['the team manager, entry says manager', mgr, 'manager', 'blue', 'blue'],
    ['a manager of another team', mgr, 'manager', 'red', /only the manager of the employee's team/],
    ['a manager, entry says hr', mgr, 'hr', 'blue', /HR approve/],
    ['HR, entry says hr', hr, 'hr', 'blue', 'acme'],
    ['HR, entry says manager', hr, 'manager', 'blue', /manager approve/],
    ['an admin, either', admin, 'manager', 'red', 'acme'],
    ['anyone, entry says none', admin, 'none', 'blue', /needs no approval/],
  ] as const)('%s', (_n, who, approval, teamId, want) => {
    const r = approverRing(who(), { approval, teamId });
    if (typeof want === 'string') expect(r.ok && r.ring.doc.ownerId).toBe(want);
    else expect(!r.ok && r.why).toMatch(want);
  });

  it('signs a decision the device verifies with that key only; a rejection needs a reason', () => {
    const base = { entryId: 'mt-1', employeeId: 'dan', decidedBy: 'mona', decidedAt: 5 };
    expect(() => signManualDecision({ ...base, decision: 'rejected', comment: ' ' }, rings.blue!)).toThrow(/reason/);
    const item = signManualDecision({ ...base, decision: 'approved' }, rings.blue!);
    expect(item.id).toBe('correction-decision:manual-time:mt-1');
    const blueKey = activeKeys(rings.blue!).signPublicKey;
    expect(verifyDecisionDocument(item.doc, 'dan', [blueKey], 'manual-time').ok).toBe(true);
    expect(verifyDecisionDocument(item.doc, 'dan', [activeKeys(rings.red!).signPublicKey], 'manual-time').ok).toBe(
      false,
    );
    expect(verifyDecisionDocument(item.doc, 'dan', [blueKey]).ok).toBe(false); // not a correction decision
  });
});
