import { describe, expect, it } from 'vitest';
import { groupFingerprint, parseEnrollmentCode } from './enrollment-code.js';

const FP = '0123456789abcdef0123456789abcdef';
const SECRET = 'AbCdEfGhIjKlMnOpQrStUv';

describe('parseEnrollmentCode (agent side)', () => {
  it('reads a well-formed code, forgiving surrounding whitespace', () => {
    expect(parseEnrollmentCode(`  st1.${SECRET}.${FP}\n`)).toEqual({
      ok: true,
      value: { code: `st1.${SECRET}.${FP}`, orgKeyFingerprint: FP },
    });
  });

  it.each([
    ['', 'looks like'],
    [`st2.${SECRET}.${FP}`, 'looks like'],
    [`st1.${SECRET}`, 'looks like'],
    [`st1.${SECRET}.${FP}.x`, 'looks like'],
    [`st1.short.${FP}`, 'secret'],
    [`st1.${SECRET}.${FP.toUpperCase()}`, 'fingerprint'],
    [`st1.${SECRET}.${FP.slice(1)}`, 'fingerprint'],
    [`st1.${SECRET}.${'x'.repeat(300)}`, 'too long'],
  ])('refuses %j with a reason', (code, reason) => {
    const r = parseEnrollmentCode(code);
    expect(r.ok ? 'accepted' : r.reason).toContain(reason);
  });

  it('groups a fingerprint as the shared code prints it', () => {
    expect(groupFingerprint(FP)).toBe('0123 4567 89ab cdef 0123 4567 89ab cdef');
  });
});
