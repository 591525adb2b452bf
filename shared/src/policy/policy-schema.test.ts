import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy-types.js';
import {
  fieldSpec,
  getPath,
  isPolicyPath,
  isPrivacySafe,
  pathCovers,
  POLICY_LEAF_PATHS,
  setPath,
} from './policy-schema.js';
import { validatePolicyPatch } from './validate-policy.js';

/** Dotted leaf paths of a nested object; arrays count as leaves. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('policy schema', () => {
  it('lists exactly the leaves of DEFAULT_POLICY', () => {
    expect(leafPaths(DEFAULT_POLICY)).toEqual([...POLICY_LEAF_PATHS]);
  });

  it('accepts DEFAULT_POLICY and keeps it frozen', () => {
    expect(validatePolicyPatch(DEFAULT_POLICY)).toEqual({ ok: true, patch: DEFAULT_POLICY });
    expect(Object.isFrozen(DEFAULT_POLICY.screenshots.excludedApps)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.screenshots)).toBe(true);
  });

  it('defaults lean to privacy', () => {
    expect(DEFAULT_POLICY.screenshots.enabled).toBe(false);
    expect(DEFAULT_POLICY.screenshots.blur).toBe(true);
    expect(DEFAULT_POLICY.appTracking.titles).toBe(false);
    expect(DEFAULT_POLICY.appTracking.urls).toBe(false);
  });

  it('treats exactly the switch-off moves as privacy-safe', () => {
    const safe = POLICY_LEAF_PATHS.filter((p) => {
      const spec = fieldSpec(p);
      return spec !== undefined && spec.kind === 'boolean' && isPrivacySafe(spec, spec.privacySafe);
    });
    expect(safe.sort()).toEqual(
      [
        // manual time is something the employee may do, not capture: turning it off is no privacy move
        ...POLICY_LEAF_PATHS.filter((p) => p.endsWith('.enabled') && p !== 'manualTime.enabled'),
        'appTracking.titles',
        'appTracking.urls',
        'screenshots.blur',
      ].sort(),
    );
    const enabled = fieldSpec('screenshots.enabled');
    expect(enabled && isPrivacySafe(enabled, true)).toBe(false);
  });

  it('matches lock paths on whole segments only', () => {
    expect(pathCovers('screenshots', 'screenshots.perHour')).toBe(true);
    expect(pathCovers('screenshots.perHour', 'screenshots.perHour')).toBe(true);
    expect(pathCovers('screen', 'screenshots.perHour')).toBe(false);
    expect(pathCovers('screenshots.perHour', 'screenshots')).toBe(false);
  });

  it('knows only real paths, never prototype members', () => {
    expect(isPolicyPath('screenshots')).toBe(true);
    expect(isPolicyPath('employeeCanPause')).toBe(true);
    for (const p of ['__proto__', 'constructor', 'toString', 'screenshots.__proto__', '', 'screenshots.']) {
      expect(isPolicyPath(p), p).toBe(false);
    }
  });

  it('gets and sets dotted paths', () => {
    const tree: Record<string, unknown> = {};
    setPath(tree, 'a.b', 1);
    setPath(tree, 'c', 2);
    expect(tree).toEqual({ a: { b: 1 }, c: 2 });
    expect(getPath(tree, 'a.b')).toBe(1);
    expect(getPath(tree, 'a.x.y')).toBeUndefined();
    expect(getPath(tree, 'toString')).toBeUndefined();
  });
});
