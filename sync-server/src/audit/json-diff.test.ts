import { describe, expect, it } from 'vitest';
import { jsonDiff, REDACTED, redactSecrets } from './json-diff.js';

describe('jsonDiff', () => {
  it('lists changed, added and removed leaves with dotted paths', () => {
    const d = jsonDiff(
      { role: 'member', teams: ['a'], profile: { name: 'A', tz: 'UTC' } },
      { role: 'manager', teams: ['a', 'b'], profile: { name: 'A' }, disabled: true },
    );
    expect(d).toEqual([
      { path: 'disabled', to: true },
      { path: 'profile.tz', from: 'UTC' },
      { path: 'role', from: 'member', to: 'manager' },
      { path: 'teams', from: ['a'], to: ['a', 'b'] },
    ]);
  });

  it('is empty for equal values and walks creations field by field', () => {
    expect(jsonDiff({ a: 1 }, { a: 1 })).toEqual([]);
    expect(jsonDiff(undefined, { a: 1, b: { c: 2 } })).toEqual([
      { path: 'a', to: 1 },
      { path: 'b.c', to: 2 },
    ]);
    expect(jsonDiff(null, 3)).toEqual([{ path: '', from: null, to: 3 }]);
  });

  it('redacts secrets but still shows that they changed', () => {
    const d = jsonDiff({ id: 'u', passwordHash: 'argon2id$old' }, { id: 'u', passwordHash: 'argon2id$new' });
    expect(d).toEqual([{ path: 'passwordHash', from: REDACTED, to: REDACTED }]);
    const created = jsonDiff(undefined, {
      credentialHash: 'abc',
      nested: { token: 't', list: [{ secret: 's', ok: 1 }] },
    });
    expect(JSON.stringify(created)).not.toMatch(/abc|"t"|"s"/);
    expect(created).toContainEqual({ path: 'nested.list', to: [{ secret: REDACTED, ok: 1 }] });
  });

  it('drops undefined like JSON would and survives cycles', () => {
    expect(jsonDiff({ a: undefined }, {})).toEqual([]);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(jsonDiff(undefined, cyc)).toEqual([{ path: '', to: '[unserialisable]' }]);
  });

  it('caps the number of entries', () => {
    const before = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const d = jsonDiff(before, {}, 10);
    expect(d).toHaveLength(11);
    expect(d[10]).toEqual({ path: '…', to: 'more changes omitted' });
  });

  it('redactSecrets copies free-form details without secrets', () => {
    expect(redactSecrets({ reason: 'x', token: 'abc', deep: [{ password: 'p' }] })).toEqual({
      reason: 'x',
      token: REDACTED,
      deep: [{ password: REDACTED }],
    });
  });
});
