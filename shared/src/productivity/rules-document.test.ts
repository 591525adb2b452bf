import { beforeAll, describe, expect, it } from 'vitest';
import { initSodium } from '../envelope/sodium.js';
import { newSeed, personKeysFromSeed, type PersonKeys } from '../keys/person-keys.js';
import { createRuleSetDocument, ruleSetDocId, verifyRuleSetDocument } from './rules-document.js';
import type { ProductivityRuleSet } from './productivity-types.js';
import { validateRuleSetVersion, withRuleSetVersion } from './validate-rules.js';

let org: PersonKeys;
let intruder: PersonKeys;
beforeAll(async () => {
  await initSodium();
  [org, intruder] = [personKeysFromSeed(newSeed()), personKeysFromSeed(newSeed())];
});

const set: ProductivityRuleSet = {
  level: 'team',
  id: 'ops',
  issuedAt: 1000,
  versions: [{ effectiveFrom: 0, rules: [{ id: 'x', match: { by: 'app', app: 'xterm' }, class: 'productive' }] }],
};
function signed(s = set, k = org): Record<string, unknown> {
  const d = createRuleSetDocument(s, k);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

describe('productivity rule documents', () => {
  it('verify under the organisation key and give the set back', () => {
    expect(verifyRuleSetDocument('productivity:team:ops', signed(), [org.signPublicKey])).toEqual({
      ok: true,
      value: set,
    });
  });
  it.each([
    [
      'a class changed',
      (d: Record<string, unknown>) => ({
        ...d,
        versions: [
          { effectiveFrom: 0, rules: [{ id: 'x', match: { by: 'app', app: 'xterm' }, class: 'unproductive' }] },
        ],
      }),
      'bad-signature',
    ],
    ['moved to another team', (d: Record<string, unknown>) => ({ ...d, id: 'sales' }), 'bad-signature'],
    ['no signature', (d: Record<string, unknown>) => ({ ...d, signature: undefined }), 'malformed-document'],
    ['another format', (d: Record<string, unknown>) => ({ ...d, format: 'sealtime-policy' }), 'malformed-document'],
  ])('refuse %s', (_what, change, code) => {
    const v = verifyRuleSetDocument('productivity:team:ops', change(signed()), [org.signPublicKey]);
    expect(v.ok ? 'accepted' : v.error.code).toBe(code);
  });
  it('refuse one signed by another key, or stored under another id', () => {
    const forged = verifyRuleSetDocument('productivity:team:ops', signed(set, intruder), [org.signPublicKey]);
    expect(forged.ok ? 'accepted' : forged.error.code).toBe('untrusted-signer');
    const copied = verifyRuleSetDocument(ruleSetDocId({ level: 'team', id: 'sales' }), signed(), [org.signPublicKey]);
    expect(copied.ok ? 'accepted' : copied.error.message).toMatch(/holds the rules of team ops/);
  });
  it('will not sign a set with a dangerous pattern', () => {
    const bad = createRuleSetDocument(
      {
        ...set,
        versions: [
          { effectiveFrom: 0, rules: [{ id: 'x', match: { by: 'title', pattern: '(a+)+' }, class: 'neutral' }] },
        ],
      },
      org,
    );
    expect(bad.ok ? 'signed' : bad.error.message).toMatch(/exponential/);
  });
});

describe('validateRuleSetVersion names the field that is wrong', () => {
  const r = (over: Record<string, unknown>) => ({
    id: 'a',
    match: { by: 'app', app: 'xterm' },
    class: 'productive',
    ...over,
  });
  it.each([
    [{ effectiveFrom: 0, rules: [r({})] }, []],
    [{ effectiveFrom: 0, rules: [] }, []],
    [{ effectiveFrom: -1, rules: [] }, ['effectiveFrom']],
    [{ effectiveFrom: 0, rules: [r({ class: 'great' })] }, ['rules.0.class']],
    [{ effectiveFrom: 0, rules: [r({ id: 'a b' })] }, ['rules.0.id']],
    [{ effectiveFrom: 0, rules: [r({}), r({})] }, ['rules.1.id']],
    [{ effectiveFrom: 0, rules: [r({ match: { by: 'host', host: 'Example.com' } })] }, ['rules.0.match.host']],
    [{ effectiveFrom: 0, rules: [r({ match: { by: 'host', host: '*.example.com' } })] }, []],
    [{ effectiveFrom: 0, rules: [r({ match: { by: 'host', host: 'a.*.com' } })] }, ['rules.0.match.host']],
    [{ effectiveFrom: 0, rules: [r({ match: { by: 'title', pattern: 'foo(?=x)' } })] }, ['rules.0.match.pattern']],
    [{ effectiveFrom: 0, rules: [r({ match: { by: 'smell', app: 'x' } })] }, ['rules.0.match.by']],
    [{ effectiveFrom: 0, rules: [r({ extra: 1 })] }, ['rules.0.extra']],
  ])('%j → %j', (v, paths) => {
    expect(validateRuleSetVersion(v).map((p) => p.path)).toEqual(paths);
  });
  it('withRuleSetVersion keeps history before the new time; 0 replaces all of it', () => {
    const vs = [0, 100, 200].map((effectiveFrom) => ({ effectiveFrom, rules: [] }));
    expect(withRuleSetVersion(vs, { effectiveFrom: 150, rules: [] }).map((v) => v.effectiveFrom)).toEqual([
      0, 100, 150,
    ]);
    expect(withRuleSetVersion(vs, { effectiveFrom: 0, rules: [] }).map((v) => v.effectiveFrom)).toEqual([0]);
  });
});
