import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './resolve-policy.js';
import { DEFAULT_POLICY } from './policy-types.js';
import type {
  IgnoredOverride,
  LayerLevel,
  PolicyErrorCode,
  PolicyLayer,
  PolicyLevel,
  PolicyPatch,
} from './policy-types.js';
import { getPath, POLICY_LEAF_PATHS } from './policy-schema.js';

const layer = (level: LayerLevel, settings: PolicyPatch, locked?: string[]): PolicyLayer =>
  locked ? { level, id: `${level}-1`, settings, locked } : { level, id: `${level}-1`, settings };
const org = (s: PolicyPatch, locked?: string[]) => layer('organisation', s, locked);
const team = (s: PolicyPatch, locked?: string[]) => layer('team', s, locked);
const employee = (s: PolicyPatch, locked?: string[]) => layer('employee', s, locked);
const device = (s: PolicyPatch, locked?: string[]) => layer('device', s, locked);
const ign = (path: string, level: LayerLevel, lockedBy: LayerLevel): IgnoredOverride => ({
  path,
  level,
  reason: 'locked',
  lockedBy,
});

interface Row {
  name: string;
  layers: PolicyLayer[];
  /** Expected value and source level for some leaves; all others must equal the default. */
  expect?: Record<string, [value: unknown, from: PolicyLevel]>;
  ignored?: IgnoredOverride[];
  error?: { code: PolicyErrorCode; path?: string };
}

const rows: Row[] = [
  { name: 'defaults only', layers: [] },
  {
    name: 'organisation only',
    layers: [org({ screenshots: { enabled: true, perHour: 6 }, retention: { days: 30 } })],
    expect: {
      'screenshots.enabled': [true, 'organisation'],
      'screenshots.perHour': [6, 'organisation'],
      'retention.days': [30, 'organisation'],
    },
  },
  {
    name: 'team overrides organisation',
    layers: [org({ screenshots: { enabled: true, perHour: 6 } }), team({ screenshots: { perHour: 12 } })],
    expect: { 'screenshots.enabled': [true, 'organisation'], 'screenshots.perHour': [12, 'team'] },
  },
  {
    name: 'employee overrides team and organisation',
    layers: [
      org({ retention: { days: 30 } }),
      team({ retention: { days: 60 } }),
      employee({ retention: { days: 14 } }),
    ],
    expect: { 'retention.days': [14, 'employee'] },
  },
  {
    name: 'device overrides every other level',
    layers: [
      org({ idle: { thresholdSeconds: 600 } }),
      employee({ idle: { thresholdSeconds: 900 } }),
      device({ idle: { thresholdSeconds: 120 } }),
    ],
    expect: { 'idle.thresholdSeconds': [120, 'device'] },
  },
  {
    name: 'lock blocks lower levels',
    layers: [
      org({ screenshots: { perHour: 6 } }, ['screenshots.perHour']),
      team({ screenshots: { perHour: 12 } }),
      device({ screenshots: { perHour: 1 } }),
    ],
    expect: { 'screenshots.perHour': [6, 'organisation'] },
    ignored: [ign('screenshots.perHour', 'team', 'organisation'), ign('screenshots.perHour', 'device', 'organisation')],
  },
  {
    name: 'parent-path lock covers every field below it',
    layers: [
      org({ screenshots: { enabled: true } }, ['screenshots']),
      team({ screenshots: { perHour: 12, blur: false }, retention: { days: 7 } }),
    ],
    expect: { 'screenshots.enabled': [true, 'organisation'], 'retention.days': [7, 'team'] },
    ignored: [ign('screenshots.perHour', 'team', 'organisation'), ign('screenshots.blur', 'team', 'organisation')],
  },
  {
    name: 'switching capture off is allowed under a lock',
    layers: [
      org({ screenshots: { enabled: true }, activity: { enabled: true } }, ['screenshots', 'activity']),
      employee({ screenshots: { enabled: false }, activity: { enabled: false } }),
    ],
    expect: { 'screenshots.enabled': [false, 'employee'], 'activity.enabled': [false, 'employee'] },
  },
  {
    name: 'titles/urls off and blur on are privacy moves allowed under a lock',
    layers: [
      org({ appTracking: { titles: true, urls: true }, screenshots: { enabled: true, blur: false } }, [
        'appTracking',
        'screenshots',
      ]),
      team({ appTracking: { titles: false, urls: false }, screenshots: { blur: true } }),
    ],
    expect: {
      'appTracking.titles': [false, 'team'],
      'appTracking.urls': [false, 'team'],
      'screenshots.enabled': [true, 'organisation'],
      'screenshots.blur': [true, 'team'],
    },
  },
  {
    name: 'switching capture on under a lock is ignored',
    layers: [
      org({ screenshots: { enabled: false }, appTracking: { titles: false } }, ['screenshots', 'appTracking.titles']),
      team({ screenshots: { enabled: true, blur: false }, appTracking: { titles: true } }),
    ],
    expect: { 'screenshots.enabled': [false, 'organisation'], 'appTracking.titles': [false, 'organisation'] },
    ignored: [
      ign('appTracking.titles', 'team', 'organisation'),
      ign('screenshots.enabled', 'team', 'organisation'),
      ign('screenshots.blur', 'team', 'organisation'),
    ],
  },
  {
    name: 'a switch-off under a lock cannot be undone by a lower level',
    layers: [
      org({ screenshots: { enabled: true } }, ['screenshots.enabled']),
      team({ screenshots: { enabled: false } }),
      employee({ screenshots: { enabled: true } }),
    ],
    expect: { 'screenshots.enabled': [false, 'team'] },
    ignored: [ign('screenshots.enabled', 'employee', 'organisation')],
  },
  {
    name: 'without a lock a lower level may switch capture back on',
    layers: [org({ screenshots: { enabled: false } }), team({ screenshots: { enabled: true } })],
    expect: { 'screenshots.enabled': [true, 'team'] },
  },
  {
    name: 'fields that are not privacy moves stay locked in both directions',
    layers: [
      org({ idle: { discardIdle: true }, employeeCanPause: false }, ['idle.discardIdle', 'employeeCanPause']),
      team({ idle: { discardIdle: false }, employeeCanPause: true }),
    ],
    expect: { 'idle.discardIdle': [true, 'organisation'], employeeCanPause: [false, 'organisation'] },
    ignored: [ign('idle.discardIdle', 'team', 'organisation'), ign('employeeCanPause', 'team', 'organisation')],
  },
  {
    name: 'excludedApps are unioned across levels',
    layers: [
      org({ screenshots: { excludedApps: ['1Password', 'Signal'] } }),
      team({ screenshots: { excludedApps: ['Slack', 'Signal'] } }),
      device({ screenshots: { excludedApps: [] } }),
    ],
    expect: { 'screenshots.excludedApps': [['1Password', 'Signal', 'Slack'], 'device'] },
  },
  {
    name: 'adding exclusions is allowed under a lock',
    layers: [
      org({ screenshots: { enabled: true, excludedApps: ['1Password'] } }, ['screenshots']),
      employee({ screenshots: { excludedApps: ['Banking'] } }),
    ],
    expect: {
      'screenshots.enabled': [true, 'organisation'],
      'screenshots.excludedApps': [['1Password', 'Banking'], 'employee'],
    },
  },
  {
    name: 'a lock binds levels below, not the locking level itself',
    layers: [team({ screenshots: { perHour: 10 } }, ['screenshots']), employee({ screenshots: { perHour: 20 } })],
    expect: { 'screenshots.perHour': [10, 'team'] },
    ignored: [ign('screenshots.perHour', 'employee', 'team')],
  },
  {
    name: 'lockedBy names the highest level holding a covering lock',
    layers: [
      org({}, ['screenshots']),
      team({}, ['screenshots.perHour', 'screenshots']),
      employee({ screenshots: { perHour: 20 } }),
    ],
    ignored: [ign('screenshots.perHour', 'employee', 'organisation')],
  },
  {
    name: 'order independence: layers given lowest first',
    layers: [
      device({ retention: { days: 5 } }),
      employee({ retention: { days: 10 } }),
      org({ retention: { days: 365 } }, ['retention']),
      team({ retention: { days: 20 } }),
    ],
    expect: { 'retention.days': [365, 'organisation'] },
    ignored: [
      ign('retention.days', 'team', 'organisation'),
      ign('retention.days', 'employee', 'organisation'),
      ign('retention.days', 'device', 'organisation'),
    ],
  },
  {
    name: 'duplicate level is an error',
    layers: [team({}), org({}), team({ retention: { days: 1 } })],
    error: { code: 'duplicate-level' },
  },
  {
    name: 'out-of-range setting is an error',
    layers: [org({ screenshots: { perHour: 61 } })],
    error: { code: 'invalid-value', path: 'screenshots.perHour' },
  },
  {
    name: 'unknown setting is an error',
    layers: [org({ screenshots: { audio: true } } as PolicyPatch)],
    error: { code: 'unknown-field', path: 'screenshots.audio' },
  },
  {
    name: 'unknown lock path is an error',
    layers: [org({}, ['screenshots.audio'])],
    error: { code: 'unknown-field', path: 'screenshots.audio' },
  },
];

describe('resolvePolicy', () => {
  it.each(rows)('$name', (row) => {
    const result = resolvePolicy(row.layers);
    if (row.error) {
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect({ code: result.error.code, path: result.error.path }).toEqual({ path: undefined, ...row.error });
      return;
    }
    if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
    const expected = row.expect ?? {};
    for (const path of POLICY_LEAF_PATHS) {
      const want = expected[path];
      const value = getPath(result.policy as unknown as Record<string, unknown>, path);
      const fromDefault = getPath(DEFAULT_POLICY as unknown as Record<string, unknown>, path);
      expect(value, path).toEqual(want ? want[0] : fromDefault);
      expect(result.source[path]?.level, path).toBe(want ? want[1] : 'default');
    }
    expect(sortIgnored(result.ignored)).toEqual(sortIgnored(row.ignored ?? []));
  });

  it('gives the same result whatever order the layers come in', () => {
    const layers = [
      org({ screenshots: { enabled: true, excludedApps: ['a'] }, retention: { days: 30 } }, [
        'screenshots.perHour',
        'retention',
      ]),
      team({ screenshots: { perHour: 9, excludedApps: ['b'] }, retention: { days: 3 } }),
      employee({ screenshots: { excludedApps: ['c'] }, appTracking: { titles: true } }, ['appTracking']),
      device({ appTracking: { titles: false, urls: true }, screenshots: { enabled: false } }),
    ];
    const expected = resolvePolicy(layers);
    for (const perm of permutations(layers)) expect(resolvePolicy(perm)).toEqual(expected);
  });

  it('reports the layer id and level for every leaf path', () => {
    const result = resolvePolicy([
      layer('organisation', { screenshots: { enabled: true } }),
      { level: 'team', id: 'team-eng', settings: { appTracking: { pulseSeconds: 30 } } },
      { level: 'device', id: 'laptop-7', settings: { idle: { enabled: false } } },
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(Object.keys(result.source).sort()).toEqual([...POLICY_LEAF_PATHS].sort());
    expect(result.source['screenshots.enabled']).toEqual({ level: 'organisation', id: 'organisation-1' });
    expect(result.source['appTracking.pulseSeconds']).toEqual({ level: 'team', id: 'team-eng' });
    expect(result.source['idle.enabled']).toEqual({ level: 'device', id: 'laptop-7' });
    expect(result.source['screenshots.excludedApps']).toEqual({ level: 'default' });
    expect(result.source['employeeCanPause']).toEqual({ level: 'default' });
  });

  it('never shares arrays with DEFAULT_POLICY or the caller', () => {
    const apps = ['x'];
    const result = resolvePolicy([org({ screenshots: { excludedApps: apps } })]);
    if (!result.ok) throw new Error(result.error.message);
    result.policy.screenshots.excludedApps.push('y');
    expect(apps).toEqual(['x']);
    expect(DEFAULT_POLICY.screenshots.excludedApps).toEqual([]);
    const again = resolvePolicy([]);
    if (again.ok) expect(again.policy.screenshots.excludedApps).not.toBe(DEFAULT_POLICY.screenshots.excludedApps);
  });

  it.each([
    ['not a list', 'org'],
    ['a null layer', [null]],
    ['an unknown level', [{ level: 'company', id: 'x', settings: {} }]],
    ['the default level', [{ level: 'default', id: 'x', settings: {} }]],
    ['a missing id', [{ level: 'team', settings: {} }]],
    ['settings that are not an object', [{ level: 'team', id: 't', settings: 'all' }]],
    ['locks that are not a list', [{ level: 'team', id: 't', settings: {}, locked: 'screenshots' }]],
    ['a lock on __proto__', [{ level: 'team', id: 't', settings: {}, locked: ['__proto__'] }]],
  ])('rejects %s without throwing', (_name, input) => {
    const result = resolvePolicy(input as unknown as PolicyLayer[]);
    expect(result.ok).toBe(false);
  });
});

function sortIgnored(list: IgnoredOverride[]): IgnoredOverride[] {
  return [...list].sort((a, b) => `${a.level}:${a.path}`.localeCompare(`${b.level}:${b.path}`));
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
