/**
 * Seeded random inputs: junk must never throw, and whatever is accepted must
 * resolve to a policy that is itself valid. Seeded so a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import { validatePolicyPatch } from './validate-policy.js';
import { resolvePolicy } from './resolve-policy.js';
import { LAYER_ORDER } from './policy-types.js';
import type { PolicyLayer } from './policy-types.js';
import { isGroupPath, POLICY_LEAF_PATHS } from './policy-schema.js';

/** mulberry32: tiny deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REAL_KEYS = [...new Set(POLICY_LEAF_PATHS.flatMap((p) => p.split('.')))];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'screenshots.perHour', '', ' '];

function junk(r: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  switch (Math.floor(r() * 12)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() < 0.5;
    case 3: return pick([0, 1, -1, 60, 600, 3600, 3650, 61, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, -0]);
    case 4: return Math.floor(r() * 4000) - 200;
    case 5: return pick(['', ' ', 'true', '60', 'Slack', '__proto__', 'x'.repeat(300)]);
    case 6: return pick([Symbol('s'), 10n, () => 1, new Date(0), new Map(), /re/]);
    case 7:
    case 8:
      return depth <= 0 ? {} : Array.from({ length: Math.floor(r() * 4) }, () => junk(r, depth - 1));
    default: {
      if (depth <= 0) return {};
      // JSON.parse so '__proto__' becomes a real own key, as it would off the wire.
      const obj = JSON.parse('{}') as Record<string, unknown>;
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) {
        const key = r() < 0.8 ? pick(REAL_KEYS) : pick(HOSTILE_KEYS);
        Object.defineProperty(obj, key, { value: junk(r, depth - 1), enumerable: true, configurable: true, writable: true });
      }
      return obj;
    }
  }
}

/** Mostly-valid patches, so the accepting path is exercised too. */
function nearValidPatch(r: () => number): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const path of POLICY_LEAF_PATHS) {
    if (r() < 0.6) continue;
    const [group, leaf] = path.split('.');
    const value = leafValue(path, r);
    if (leaf === undefined) patch[group as string] = value;
    else patch[group as string] = { ...(patch[group as string] as object), [leaf]: value };
  }
  return patch;
}

function leafValue(path: string, r: () => number): unknown {
  const ranges: Record<string, [number, number]> = {
    'activity.slotSeconds': [60, 600], 'appTracking.pulseSeconds': [5, 300], 'screenshots.perHour': [0, 60],
    'idle.thresholdSeconds': [60, 3600], 'retention.days': [1, 3650], 'storage.budgetMb': [64, 4096],
  };
  const range = ranges[path];
  if (range) return range[0] + Math.floor(r() * (range[1] - range[0] + 1 + (r() < 0.05 ? 5 : 0)));
  if (path === 'screenshots.excludedApps') return Array.from({ length: Math.floor(r() * 3) }, () => `app${Math.floor(r() * 5)}`);
  return r() < 0.5;
}

describe('policy fuzz', () => {
  it('validatePolicyPatch never throws and rejects or copies every junk input', () => {
    const r = rng(20240601);
    for (let i = 0; i < 5000; i++) {
      const input = junk(r, 4);
      let result: ReturnType<typeof validatePolicyPatch> | undefined;
      expect(() => { result = validatePolicyPatch(input); }).not.toThrow();
      if (result?.ok) expect(validatePolicyPatch(result.patch).ok).toBe(true);
      else expect(result?.error.message).toBeTruthy();
    }
    expect(({} as Record<string, unknown>)['enabled']).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('resolvePolicy never throws on junk layers', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const layers = Array.from({ length: Math.floor(r() * 4) }, () =>
        r() < 0.3 ? junk(r, 3) : { level: junk(r, 0), id: junk(r, 0), settings: junk(r, 3), locked: junk(r, 1) },
      );
      expect(() => resolvePolicy(layers as PolicyLayer[])).not.toThrow();
    }
  });

  it('accepted layers always resolve to a valid, fully-sourced policy', () => {
    const r = rng(99);
    const lockable = [...POLICY_LEAF_PATHS, ...['activity', 'appTracking', 'screenshots', 'idle', 'attendance', 'retention'].filter(isGroupPath)];
    let resolved = 0;
    for (let i = 0; i < 1000; i++) {
      const levels = LAYER_ORDER.filter(() => r() < 0.6);
      const layers: PolicyLayer[] = levels.map((level) => ({
        level,
        id: `${level}-${i}`,
        settings: nearValidPatch(r),
        locked: lockable.filter(() => r() < 0.1),
      }));
      const result = resolvePolicy(layers);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-value');
        continue;
      }
      resolved++;
      expect(validatePolicyPatch(result.policy).ok).toBe(true);
      expect(Object.keys(result.source).sort()).toEqual([...POLICY_LEAF_PATHS].sort());
      for (const entry of result.ignored) expect(LAYER_ORDER.indexOf(entry.lockedBy)).toBeLessThan(LAYER_ORDER.indexOf(entry.level));
    }
    expect(resolved).toBeGreaterThan(500);
  });
});
