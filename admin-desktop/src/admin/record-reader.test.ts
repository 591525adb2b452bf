import { describe, expect, it } from 'vitest';
import { createKeyring, initSodium, MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT, newPwhashParams } from '@sealtime/shared';
import { isAdminError } from './admin-error.js';
import type { KeyCustody } from './key-custody.js';
import { unlockScopeRing, type ReviewScope } from './record-reader.js';

const HR_SCOPE: ReviewScope = { role: 'hr', db: 'st-hr-attendance', keyRole: 'hr', ownerId: null, teamId: null };
const PASSPHRASE = 'a key ring file passphrase';
// a key ring file is read before the directory is ever asked: a custody that is touched fails the test
const noCustody = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the directory was asked');
    },
  },
) as KeyCustody;

async function hrRingJson(): Promise<string> {
  await initSodium();
  const made = createKeyring({
    ownerId: 'acme',
    role: 'hr',
    passphrase: PASSPHRASE,
    now: 1,
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!made.ok) throw new Error(made.error.message);
  return JSON.stringify(made.value.unlocked.doc);
}

describe('unlockScopeRing with a key ring file (the use-cases read files only through the readText port)', () => {
  it('opens the ring the port reads', async () => {
    const json = await hrRingJson();
    const read: string[] = [];
    const ring = await unlockScopeRing(
      { custody: noCustody, readText: async (p) => (read.push(p), json) },
      HR_SCOPE,
      PASSPHRASE,
      '/keys/hr.json',
    );
    expect(read).toEqual(['/keys/hr.json']);
    expect(ring.doc.role).toBe('hr');
  });

  it('refuses in words where no file can be read, and when the file is unreadable', async () => {
    const noPort = await unlockScopeRing({ custody: noCustody }, HR_SCOPE, PASSPHRASE, '/keys/hr.json').catch(
      (e: unknown) => e,
    );
    expect(isAdminError(noPort, 'bad-input') && noPort.message).toContain('reads no files');
    const missing = await unlockScopeRing(
      { custody: noCustody, readText: () => Promise.reject(new Error('ENOENT: no such file')) },
      HR_SCOPE,
      PASSPHRASE,
      '/keys/hr.json',
    ).catch((e: unknown) => e);
    expect(isAdminError(missing, 'bad-input') && missing.message).toContain(
      'cannot read the key ring /keys/hr.json: ENOENT',
    );
  });
});
