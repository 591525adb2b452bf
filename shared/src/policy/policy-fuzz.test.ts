/**
 * Properties of policy validation and resolution (fast-check, seeded so a
 * failure reproduces, bounded to a few seconds):
 * - junk never throws: it is refused with a typed error or copied exactly;
 * - every valid set of layers resolves, in any array order, to a valid policy;
 * - the resolved value of each field is the one a small reference model of the
 *   documented rules gives (lower level wins; a higher lock holds except for a
 *   privacy-safe value; excluded apps are unioned), and every ignored override
 *   is reported against the level that locked it;
 * - resolving is idempotent: the result, resolved again, is itself.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validatePolicyPatch } from './validate-policy.js';
import { resolvePolicy } from './resolve-policy.js';
import { DEFAULT_POLICY, LAYER_ORDER } from './policy-types.js';
import type { LayerLevel, PolicyLayer } from './policy-types.js';
import { fieldSpec, getPath, isGroupPath, POLICY_LEAF_PATHS, type FieldSpec } from './policy-schema.js';

const SEED = 67824754;
type Tree = Record<string, unknown>;

const REAL_KEYS = [...new Set(POLICY_LEAF_PATHS.flatMap((p) => p.split('.')))];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'screenshots.perHour',
  '',
  ' ',
];
const GROUPS = [...new Set(POLICY_LEAF_PATHS.map((p) => p.split('.')[0]!))].filter(isGroupPath);
const LOCKABLE = [...POLICY_LEAF_PATHS, ...GROUPS];
const spec = (path: string): FieldSpec => fieldSpec(path)!;

/** Values of every kind, under real and hostile keys; '__proto__' as an own key, as JSON.parse makes it. */
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.anything({ maxDepth: 1 }),
    fc.constantFrom(
      0,
      -1,
      61,
      0.5,
      Number.NaN,
      Infinity,
      -0,
      Number.MAX_SAFE_INTEGER,
      '60',
      'true',
      '__proto__',
      10n,
      Symbol('s'),
      () => 1,
      new Date(0),
      new Map(),
      /re/,
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...REAL_KEYS), fc.constantFrom(...HOSTILE_KEYS)), tie('value')), {
      maxLength: 4,
    })
    .map((entries) => {
      const obj = JSON.parse('{}') as Tree;
      for (const [k, v] of entries)
        Object.defineProperty(obj, k, { value: v, enumerable: true, configurable: true, writable: true });
      return obj;
    }),
}));

/** A valid value for one leaf. */
function leafValue(path: string): fc.Arbitrary<unknown> {
  const s = spec(path);
  if (s.kind === 'boolean') return fc.boolean();
  if (s.kind === 'integer') return fc.oneof(fc.integer({ min: s.min, max: s.max }), fc.constantFrom(s.min, s.max));
  if (s.kind === 'enum') return fc.constantFrom(...s.values);
  return fc.uniqueArray(fc.constantFrom('app0', 'app1', 'app2', 'app3', 'app4'), { maxLength: 3 });
}

/** A valid patch: some leaves set, grouped as the wire has them. */
const patch: fc.Arbitrary<Tree> = fc
  .tuple(...POLICY_LEAF_PATHS.map((path) => fc.option(leafValue(path), { freq: 2 }).map((v) => [path, v] as const)))
  .map((entries) => {
    const out: Tree = {};
    for (const [path, v] of entries) {
      if (v === null) continue;
      const [group, leaf] = path.split('.') as [string, string | undefined];
      if (leaf === undefined) out[group] = v;
      else out[group] = { ...(out[group] as Tree | undefined), [leaf]: v };
    }
    return out;
  });

/** One layer per chosen level, in a random array order. */
const layers: fc.Arbitrary<PolicyLayer[]> = fc
  .subarray([...LAYER_ORDER])
  .chain((levels) =>
    fc.tuple(
      ...levels.map((level) =>
        fc.record({
          level: fc.constant(level),
          id: fc.constant(`${level}-x`),
          settings: patch,
          locked: fc.subarray(LOCKABLE, { maxLength: 4 }),
        }),
      ),
    ),
  )
  .chain((ls) => fc.shuffledSubarray(ls as PolicyLayer[], { minLength: ls.length, maxLength: ls.length }));

const rank = (level: LayerLevel) => LAYER_ORDER.indexOf(level);
const covers = (lock: string, leaf: string) => leaf === lock || leaf.startsWith(`${lock}.`);
const privacySafe = (s: FieldSpec, v: unknown) =>
  s.kind === 'boolean' ? s.privacySafe !== undefined && v === s.privacySafe : s.kind === 'app-list';

/** The documented rules, written out plainly for one leaf: the expected value, who set it, what was ignored. */
function model(ls: readonly PolicyLayer[], path: string) {
  const ordered = [...ls].sort((a, b) => rank(a.level) - rank(b.level));
  let value: unknown = getPath(DEFAULT_POLICY as unknown as Tree, path);
  let setBy: LayerLevel | 'default' = 'default';
  const ignored: Array<{ level: LayerLevel; lockedBy: LayerLevel }> = [];
  for (const layer of ordered) {
    const v = getPath(layer.settings as Tree, path);
    if (v === undefined) continue;
    // the highest layer above this one that locks the leaf or its group
    const holder = ordered.find(
      (h) => rank(h.level) < rank(layer.level) && (h.locked ?? []).some((l) => covers(l, path)),
    );
    if (holder && !privacySafe(spec(path), v)) {
      ignored.push({ level: layer.level, lockedBy: holder.level });
      continue;
    }
    value = spec(path).kind === 'app-list' ? [...new Set([...(value as string[]), ...(v as string[])])] : v;
    setBy = layer.level;
  }
  return { value, setBy, ignored };
}

describe('policy properties', () => {
  it('validatePolicyPatch never throws: junk is refused with a message or copied so it validates again', () => {
    fc.assert(
      fc.property(junk.value, (input) => {
        const result = validatePolicyPatch(input);
        if (result.ok) expect(validatePolicyPatch(result.patch).ok).toBe(true);
        else expect(result.error.message).toBeTruthy();
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(({} as Tree)['enabled']).toBeUndefined(); // nothing leaked onto Object.prototype
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('resolvePolicy never throws on junk layers: a typed error or a policy', () => {
    const layer = fc.record({
      level: fc.oneof(fc.constantFrom(...LAYER_ORDER), junk.value),
      id: fc.oneof(fc.string(), junk.value),
      settings: fc.oneof(patch, junk.value),
      locked: fc.oneof(fc.subarray(LOCKABLE), junk.value),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(layer, junk.value), { maxLength: 4 }), (input) => {
        const result = resolvePolicy(input as PolicyLayer[]);
        if (!result.ok) expect(['duplicate-level', 'invalid-value', 'unknown-field']).toContain(result.error.code);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('valid layers resolve, in any array order, to a valid and fully sourced policy', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const result = resolvePolicy(ls);
        if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
        expect(validatePolicyPatch(result.policy).ok).toBe(true);
        expect(Object.keys(result.source).sort()).toEqual([...POLICY_LEAF_PATHS].sort());
        const reversed = resolvePolicy([...ls].reverse());
        expect(reversed).toEqual(result);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('level precedence and locks: every field is what the documented rules give, and every ignored override is reported', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const result = resolvePolicy(ls);
        if (!result.ok) throw new Error(result.error.message);
        const expectedIgnored: Array<{ path: string; level: LayerLevel; lockedBy: LayerLevel }> = [];
        for (const path of POLICY_LEAF_PATHS) {
          const m = model(ls, path);
          expect(getPath(result.policy as unknown as Tree, path), path).toEqual(m.value);
          expect(result.source[path]!.level, path).toBe(m.setBy);
          expectedIgnored.push(...m.ignored.map((i) => ({ path, ...i })));
        }
        const got = result.ignored.map(({ path, level, lockedBy }) => ({ path, level, lockedBy }));
        const key = (i: { path: string; level: string }) => `${i.path}@${i.level}`;
        expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
          [...expectedIgnored].sort((a, b) => key(a).localeCompare(key(b))),
        );
        for (const i of result.ignored) expect(rank(i.lockedBy)).toBeLessThan(rank(i.level));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a lock holds: below it a field only moves to its privacy-safe value; excluded apps are never removed', () => {
    fc.assert(
      fc.property(layers, fc.constantFrom(...POLICY_LEAF_PATHS), (ls, path) => {
        const result = resolvePolicy(ls);
        if (!result.ok) throw new Error(result.error.message);
        const value = getPath(result.policy as unknown as Tree, path);
        const holder = [...ls]
          .sort((a, b) => rank(a.level) - rank(b.level))
          .find((h) => (h.locked ?? []).some((l) => covers(l, path)));
        if (holder) {
          // without any layer below the holder, the value would be this
          const atHolder = model(
            ls.filter((l) => rank(l.level) <= rank(holder.level)),
            path,
          ).value;
          if (spec(path).kind !== 'app-list' && value !== atHolder) expect(privacySafe(spec(path), value)).toBe(true);
        }
        if (spec(path).kind === 'app-list') {
          for (const l of ls)
            for (const app of (getPath(l.settings as Tree, path) as string[] | undefined) ?? [])
              expect(value).toContain(app);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('idempotent: the resolved policy, resolved again as the only layer, is itself; inputs are left untouched', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const before = JSON.stringify(ls);
        const first = resolvePolicy(ls);
        if (!first.ok) throw new Error(first.error.message);
        expect(JSON.stringify(ls)).toBe(before);
        const again = resolvePolicy([{ level: 'organisation', id: 'org-again', settings: first.policy }]);
        if (!again.ok) throw new Error(again.error.message);
        expect(again.policy).toEqual(first.policy);
        expect(resolvePolicy(ls)).toEqual(first);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('two layers of one level are refused, never silently merged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAYER_ORDER), patch, patch, (level, a, b) => {
        const result = resolvePolicy([
          { level, id: 'one', settings: a },
          { level, id: 'two', settings: b },
        ]);
        expect(result.ok ? 'ok' : result.error.code).toBe('duplicate-level');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
