import { describe, expect, it } from 'vitest';
import { validatePolicyPatch } from './validate-policy.js';
import { DEFAULT_POLICY } from './policy-types.js';
import type { PolicyErrorCode } from './policy-types.js';

describe('validatePolicyPatch', () => {
  it.each([
    ['an empty patch', {}],
    ['an empty group', { screenshots: {} }],
    ['the full default policy', DEFAULT_POLICY],
    [
      'lower bounds',
      {
        activity: { slotSeconds: 60 },
        screenshots: { perHour: 0 },
        idle: { thresholdSeconds: 60 },
        retention: { days: 1 },
        appTracking: { pulseSeconds: 5 },
      },
    ],
    [
      'upper bounds',
      {
        activity: { slotSeconds: 600 },
        screenshots: { perHour: 60 },
        idle: { thresholdSeconds: 3600 },
        retention: { days: 3650 },
        appTracking: { pulseSeconds: 300 },
      },
    ],
    ['a top-level leaf', { employeeCanPause: false }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { retention: { days: 5 } })],
  ])('accepts %s', (_name, input) => {
    const result = validatePolicyPatch(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.patch).toEqual({ ...input });
  });

  it.each<[string, unknown, PolicyErrorCode, string | undefined]>([
    ['null', null, 'invalid-value', undefined],
    ['undefined', undefined, 'invalid-value', undefined],
    ['a string', 'screenshots', 'invalid-value', undefined],
    ['a number', 42, 'invalid-value', undefined],
    ['an array', [{ retention: { days: 5 } }], 'invalid-value', undefined],
    ['a Date', new Date(0), 'invalid-value', undefined],
    ['a function', () => ({}), 'invalid-value', undefined],
    ['a group that is not an object', { screenshots: true }, 'invalid-value', 'screenshots'],
    ['a group that is an array', { idle: [] }, 'invalid-value', 'idle'],
    ['a leaf given as a group', { employeeCanPause: { value: true } }, 'invalid-value', 'employeeCanPause'],
    ['a boolean as a string', { activity: { enabled: 'true' } }, 'invalid-value', 'activity.enabled'],
    ['a boolean as a number', { activity: { enabled: 0 } }, 'invalid-value', 'activity.enabled'],
    ['an explicit undefined', { activity: { enabled: undefined } }, 'invalid-value', 'activity.enabled'],
    ['slotSeconds below range', { activity: { slotSeconds: 59 } }, 'invalid-value', 'activity.slotSeconds'],
    ['slotSeconds above range', { activity: { slotSeconds: 601 } }, 'invalid-value', 'activity.slotSeconds'],
    ['a fractional number', { screenshots: { perHour: 2.5 } }, 'invalid-value', 'screenshots.perHour'],
    ['NaN', { retention: { days: Number.NaN } }, 'invalid-value', 'retention.days'],
    ['Infinity', { idle: { thresholdSeconds: Number.POSITIVE_INFINITY } }, 'invalid-value', 'idle.thresholdSeconds'],
    ['a numeric string', { retention: { days: '30' } }, 'invalid-value', 'retention.days'],
    ['a bigint', { retention: { days: 30n } }, 'invalid-value', 'retention.days'],
    ['negative perHour', { screenshots: { perHour: -1 } }, 'invalid-value', 'screenshots.perHour'],
    ['retention of zero days', { retention: { days: 0 } }, 'invalid-value', 'retention.days'],
    [
      'excludedApps not a list',
      { screenshots: { excludedApps: 'Slack' } },
      'invalid-value',
      'screenshots.excludedApps',
    ],
    ['a non-string app', { screenshots: { excludedApps: ['Slack', 7] } }, 'invalid-value', 'screenshots.excludedApps'],
    ['a blank app', { screenshots: { excludedApps: ['  '] } }, 'invalid-value', 'screenshots.excludedApps'],
    [
      'an overlong app name',
      { screenshots: { excludedApps: ['x'.repeat(257)] } },
      'invalid-value',
      'screenshots.excludedApps',
    ],
    [
      'too many apps',
      { screenshots: { excludedApps: Array.from({ length: 501 }, (_, i) => `app${i}`) } },
      'invalid-value',
      'screenshots.excludedApps',
    ],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse app list', { screenshots: { excludedApps: ['a', , 'b'] } }, 'invalid-value', 'screenshots.excludedApps'],
    ['an unknown group', { audio: { enabled: true } }, 'unknown-field', 'audio'],
    ['an unknown leaf', { screenshots: { quality: 80 } }, 'unknown-field', 'screenshots.quality'],
    ['a dotted key', { 'screenshots.perHour': 3 }, 'unknown-field', 'screenshots.perHour'],
    [
      'a dotted key inside a group',
      { screenshots: { 'excludedApps.length': 0 } },
      'unknown-field',
      'screenshots.excludedApps.length',
    ],
    ['a JSON __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}'), 'unknown-field', '__proto__'],
    [
      'a nested JSON __proto__ key',
      JSON.parse('{"idle": {"__proto__": {"enabled": false}}}'),
      'unknown-field',
      'idle.__proto__',
    ],
    ['a constructor key', { constructor: { prototype: { polluted: true } } }, 'unknown-field', 'constructor'],
    ['a hasOwnProperty key', { retention: { hasOwnProperty: 1 } }, 'unknown-field', 'retention.hasOwnProperty'],
    ['a toString key', { toString: {} }, 'unknown-field', 'toString'],
  ])('rejects %s', (_name, input, code, path) => {
    const result = validatePolicyPatch(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.path).toBe(path);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops duplicate app names but keeps their order', () => {
    const result = validatePolicyPatch({ screenshots: { excludedApps: ['b', 'a', 'b'] } });
    expect(result).toEqual({ ok: true, patch: { screenshots: { excludedApps: ['b', 'a'] } } });
  });

  it('returns a copy that later changes to the input cannot reach', () => {
    const input = { screenshots: { perHour: 4, excludedApps: ['a'] } };
    const result = validatePolicyPatch(input);
    input.screenshots.perHour = 99;
    input.screenshots.excludedApps.push('b');
    expect(result).toEqual({ ok: true, patch: { screenshots: { perHour: 4, excludedApps: ['a'] } } });
  });

  it('does not throw on objects that throw when read', () => {
    const throwingGetter = {
      get screenshots(): never {
        throw new Error('boom');
      },
    };
    const hostileProxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
        getPrototypeOf: () => Object.prototype,
      },
    );
    const hostileList = {
      screenshots: {
        excludedApps: new Proxy([], {
          get: () => {
            throw new Error('boom');
          },
        }),
      },
    };
    for (const input of [throwingGetter, hostileProxy, hostileList]) {
      expect(() => validatePolicyPatch(input)).not.toThrow();
      expect(validatePolicyPatch(input).ok).toBe(false);
    }
  });

  it('ignores symbol keys and returns only schema fields', () => {
    const result = validatePolicyPatch({ [Symbol('x')]: 1, retention: { days: 9 } });
    expect(result).toEqual({ ok: true, patch: { retention: { days: 9 } } });
  });
});
