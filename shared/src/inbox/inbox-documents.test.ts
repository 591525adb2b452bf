import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../envelope/hash.js';
import { initSodium } from '../envelope/sodium.js';
import { newSeed, personKeysFromSeed, type PersonKeys } from '../keys/person-keys.js';
import { createDecisionDocument, verifyDecisionDocument } from './decision-document.js';
import { createPolicyDocument, policyDocId, verifyPolicyDocument } from './policy-document.js';
import { createRecipientsDocument, sameFingerprint, verifyRecipientsDocument } from './recipients-document.js';

let org: PersonKeys;
let team: PersonKeys;
let hr: PersonKeys;
let emp: PersonKeys;
let intruder: PersonKeys;
const pair = (k: PersonKeys) => ({ boxPublicKey: k.boxPublicKey, signPublicKey: k.signPublicKey });

beforeAll(async () => {
  await initSodium();
  [org, team, hr, emp, intruder] = Array.from({ length: 5 }, () => personKeysFromSeed(newSeed())) as [
    PersonKeys,
    PersonKeys,
    PersonKeys,
    PersonKeys,
    PersonKeys,
  ];
});

function recipients(signer = org) {
  const r = createRecipientsDocument(
    {
      employeeId: 'e1',
      teamId: 't1',
      issuedAt: 1000,
      keys: { organisation: [pair(org)], team: [pair(team)], hr: [pair(hr)], employee: [pair(emp)] },
    },
    signer,
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('recipients document', () => {
  it('round-trips through JSON and yields the keys of every role', () => {
    const doc = JSON.parse(JSON.stringify(recipients()));
    const v = verifyRecipientsDocument(doc, { orgKeyFingerprint: fingerprint(org.signPublicKey), employeeId: 'e1' });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.keys.team[0]!.boxPublicKey).toEqual(team.boxPublicKey);
    expect(v.value.keys.hr[0]!.signPublicKey).toEqual(hr.signPublicKey);
    expect(v.value.teamId).toBe('t1');
  });

  it('refuses a document signed by a key other than the pinned organisation key (server swap)', () => {
    const forged = recipients(intruder);
    const v = verifyRecipientsDocument(forged, { orgKeyFingerprint: fingerprint(org.signPublicKey), employeeId: 'e1' });
    expect(v.ok ? 'accepted' : v.error.code).toBe('untrusted-signer');
  });

  it('refuses a swapped key inside an otherwise genuine document', () => {
    const doc = recipients();
    doc.keys.team[0]!.box = doc.keys.employee[0]!.box;
    const v = verifyRecipientsDocument(doc, { orgKeyFingerprint: fingerprint(org.signPublicKey), employeeId: 'e1' });
    expect(v.ok ? 'accepted' : v.error.code).toBe('bad-signature');
  });

  it('refuses a genuine document meant for another employee', () => {
    const v = verifyRecipientsDocument(recipients(), {
      orgKeyFingerprint: fingerprint(org.signPublicKey),
      employeeId: 'e2',
    });
    expect(v.ok ? 'accepted' : v.error.message).toContain('not e2');
  });

  it.each([null, 7, [], {}, { format: 'sealtime-recipients', v: 1 }, { format: 'x', v: 1 }])(
    'refuses junk %j without throwing',
    (junk) => {
      expect(
        verifyRecipientsDocument(junk, { orgKeyFingerprint: fingerprint(org.signPublicKey), employeeId: 'e1' }).ok,
      ).toBe(false);
    },
  );

  it('compares fingerprints however they are grouped', () => {
    const fp = fingerprint(org.signPublicKey);
    expect(sameFingerprint(fp, fp.replace(/ /g, '').toUpperCase())).toBe(true);
    expect(sameFingerprint(fp, fingerprint(intruder.signPublicKey))).toBe(false);
    expect(sameFingerprint('', '')).toBe(false);
  });
});

describe('policy document', () => {
  const layer = {
    level: 'team' as const,
    id: 't1',
    settings: { screenshots: { enabled: true, perHour: 6 } },
    locked: ['screenshots'],
  };

  it('verifies under the organisation key and names its inbox id', () => {
    const d = createPolicyDocument(layer, 5, org);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const v = verifyPolicyDocument(JSON.parse(JSON.stringify(d.value)), [org.signPublicKey]);
    expect(v.ok && v.value.layer.settings.screenshots?.perHour).toBe(6);
    expect(policyDocId(layer)).toBe('policy:team:t1');
  });

  it('refuses a layer changed after signing, or signed by someone else', () => {
    const d = createPolicyDocument(layer, 5, org);
    if (!d.ok) throw new Error('sign');
    const changed = JSON.parse(JSON.stringify(d.value));
    changed.layer.settings.screenshots.perHour = 60;
    expect(verifyPolicyDocument(changed, [org.signPublicKey]).ok).toBe(false);
    const other = createPolicyDocument(layer, 5, intruder);
    if (!other.ok) throw new Error('sign');
    expect(verifyPolicyDocument(other.value, [org.signPublicKey]).ok).toBe(false);
  });

  it('refuses to sign an invalid layer', () => {
    const bad = createPolicyDocument({ level: 'team', id: 't1', settings: { screenshots: { perHour: 999 } } }, 5, org);
    expect(bad.ok).toBe(false);
  });
});

describe('decision document', () => {
  const decision = {
    v: 1 as const,
    requestId: 'r1',
    decision: 'approved' as const,
    decidedBy: 'hr-anna',
    decidedAt: 9,
  };

  it('verifies for its employee under an HR key', () => {
    const d = createDecisionDocument('e1', decision, hr);
    if (!d.ok) throw new Error(d.error.message);
    const v = verifyDecisionDocument(JSON.parse(JSON.stringify(d.value)), 'e1', [hr.signPublicKey, org.signPublicKey]);
    expect(v.ok && v.value.decision).toBe('approved');
    expect(verifyDecisionDocument(d.value, 'e2', [hr.signPublicKey]).ok).toBe(false);
    expect(verifyDecisionDocument(d.value, 'e1', [team.signPublicKey]).ok).toBe(false);
  });
});

describe('withdrawal document', () => {
  it('verifies under the signer, names what it withdraws, and refuses anything else', async () => {
    const { createWithdrawalDocument, verifyWithdrawalDocument, isWithdrawal } =
      await import('./withdrawal-document.js');
    const w = createWithdrawalDocument('policy:team:t1', 5, org);
    if (!w.ok) throw new Error(w.error.message);
    expect(isWithdrawal(w.value)).toBe(true);
    expect(verifyWithdrawalDocument(JSON.parse(JSON.stringify(w.value)), [org.signPublicKey])).toEqual({
      ok: true,
      value: { withdraws: 'policy:team:t1', issuedAt: 5 },
    });
    expect(verifyWithdrawalDocument({ ...w.value, withdraws: 'policy:team:t2' }, [org.signPublicKey]).ok).toBe(false);
    expect(verifyWithdrawalDocument(w.value, [intruder.signPublicKey]).ok).toBe(false);
    expect(createWithdrawalDocument('recipients', 5, org).ok).toBe(false);
    expect(createWithdrawalDocument('correction-decision:r1', 5, hr).ok).toBe(true);
  });
});
