import { describe, expect, it } from 'vitest';
import { fingerprint, initSodium } from '@sealtime/shared';
import { formatEnrollmentCode, normalizeFingerprint, parseEnrollmentCode } from './enrollment-code.js';

const SECRET = 'AbCdEfGhIjKlMnOpQrStUv';
const FP = '0123456789abcdef0123456789abcdef';

describe('enrollment codes', () => {
  it('round-trips secret and fingerprint', () => {
    const code = formatEnrollmentCode(SECRET, FP);
    expect(code).toBe(`st1.${SECRET}.${FP}`);
    expect(parseEnrollmentCode(code)).toEqual({ secret: SECRET, orgKeyFingerprint: FP });
    expect(parseEnrollmentCode(`  ${code}\n`)).toEqual({ secret: SECRET, orgKeyFingerprint: FP });
  });

  it('accepts the fingerprint exactly as @sealtime/shared prints it', async () => {
    await initSodium();
    const printed = fingerprint(new Uint8Array(32).fill(7));
    expect(printed).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const code = formatEnrollmentCode(SECRET, printed);
    expect(parseEnrollmentCode(code)?.orgKeyFingerprint).toBe(printed.replace(/ /g, ''));
  });

  it.each([
    ['empty', ''],
    ['not text', 42],
    ['wrong version', `st2.${SECRET}.${FP}`],
    ['short secret', `st1.${SECRET.slice(1)}.${FP}`],
    ['bad secret chars', `st1.${SECRET.slice(1)}+.${FP}`],
    ['short fingerprint', `st1.${SECRET}.${FP.slice(1)}`],
    ['upper-case fingerprint (not canonical)', `st1.${SECRET}.${FP.toUpperCase()}`],
    ['extra part', `st1.${SECRET}.${FP}.x`],
    ['huge', 'x'.repeat(10_000)],
  ])('refuses %s', (_l, code) => {
    expect(parseEnrollmentCode(code)).toBeNull();
  });

  it('normalises fingerprints and refuses others', () => {
    expect(normalizeFingerprint('0123 4567 89AB CDEF 0123 4567 89ab cdef')).toBe(FP);
    expect(normalizeFingerprint('0123')).toBeNull();
    expect(normalizeFingerprint(null)).toBeNull();
    expect(() => formatEnrollmentCode('short', FP)).toThrow(RangeError);
  });
});
