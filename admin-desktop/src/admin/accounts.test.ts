import { describe, expect, it } from 'vitest';
import { isAdminError } from './admin-error.js';
import { checkRole, oneTimeSecret } from './accounts.js';

describe('one-time secrets', () => {
  it('are five groups of five from an alphabet without look-alike characters', () => {
    for (let i = 0; i < 200; i++) {
      const s = oneTimeSecret();
      expect(s).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){4}$/);
      expect(s).not.toMatch(/[01ilo]/);
    }
  });

  it('differ every time (a repeat in 1000 would mean a broken random source)', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => oneTimeSecret()));
    expect(seen.size).toBe(1000);
  });

  it("pass the server's password rules: long enough, several distinct characters", () => {
    const s = oneTimeSecret();
    expect([...s].length).toBeGreaterThanOrEqual(12);
    expect(new Set(s).size).toBeGreaterThan(3);
  });
});

describe('checkRole', () => {
  it('takes the five roles and refuses anything else with bad-input', () => {
    for (const r of ['super-admin', 'admin', 'manager', 'hr', 'member']) expect(checkRole(r)).toBe(r);
    for (const r of ['root', '', 'Admin', null]) {
      let err: unknown;
      try {
        checkRole(r);
      } catch (e) {
        err = e;
      }
      expect(isAdminError(err, 'bad-input')).toBe(true);
    }
  });
});
