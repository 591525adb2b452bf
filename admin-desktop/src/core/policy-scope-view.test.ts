import { describe, expect, it } from 'vitest';
import type { PolicyLayer } from '@sealtime/shared';
import { applyEdit, buildScopeView, diffEdit, type ChainLink } from './policy-scope-view.js';

const org: PolicyLayer = {
  level: 'organisation',
  id: 'acme',
  settings: { screenshots: { enabled: true, perHour: 6 } },
  locked: ['screenshots.perHour'],
};
const team: PolicyLayer = {
  level: 'team',
  id: 'blue',
  settings: { screenshots: { perHour: 12 }, retention: { days: 30 } },
};
const chain = (own: PolicyLayer | null): ChainLink[] => [
  { scope: { level: 'organisation', id: 'acme' }, layer: org, issuedAt: 1000 },
  { scope: { level: 'team', id: 'blue' }, layer: own, issuedAt: own ? 2000 : null },
];

describe('buildScopeView', () => {
  it('names, for each setting, its effective value, the level that set it, the own value and locks', () => {
    const v = buildScopeView(chain(team), ['ada', 'bob']);
    const s = (path: string) => v.settings.find((x) => x.path === path)!;
    expect(v.scope).toEqual({ level: 'team', id: 'blue' });
    expect(v.chain).toEqual([
      { level: 'organisation', id: 'acme', issuedAt: 1000 },
      { level: 'team', id: 'blue', issuedAt: 2000 },
    ]);
    expect(v.reaches).toEqual(['ada', 'bob']);
    expect(s('screenshots.enabled')).toMatchObject({
      effective: true,
      source: { level: 'organisation', id: 'acme' },
      lockedHere: false,
      ignored: false,
    });
    expect(s('screenshots.enabled').own).toBeUndefined();
    // the team's 12 is under the organisation's lock: 6 stands, the 12 is shown as ignored
    expect(s('screenshots.perHour')).toMatchObject({
      effective: 6,
      own: 12,
      source: { level: 'organisation', id: 'acme' },
      lockedAbove: { level: 'organisation', id: 'acme' },
      ignored: true,
      spec: { kind: 'integer', min: 0, max: 60 },
    });
    expect(s('retention.days')).toMatchObject({
      effective: 30,
      own: 30,
      source: { level: 'team', id: 'blue' },
      ignored: false,
    });
    expect(s('activity.slotSeconds')).toMatchObject({ effective: 600, source: { level: 'default' } });
    expect(s('screenshots.excludedApps').spec).toEqual({ kind: 'app-list', maxItems: 500, maxLength: 256 });
    expect(s('idle.enabled').spec).toEqual({ kind: 'boolean' });
  });

  it('shows defaults when no layer is in force', () => {
    const v = buildScopeView([{ scope: { level: 'organisation', id: 'acme' }, layer: null, issuedAt: null }], []);
    expect(v.settings.every((s) => s.source.level === 'default' && s.own === undefined)).toBe(true);
  });
});

describe('applyEdit', () => {
  it('sets typed values, clears back to inherit and locks, over the layer in force', () => {
    const r = applyEdit(team, {
      scope: { level: 'team', id: 'blue' },
      set: { 'idle.thresholdSeconds': 600, 'screenshots.excludedApps': ['keepassxc'], 'appTracking.titles': true },
      clear: ['retention.days'],
      lock: ['idle.thresholdSeconds'],
    });
    expect(r.errors).toEqual([]);
    expect(r.layer).toEqual({
      level: 'team',
      id: 'blue',
      settings: {
        screenshots: { perHour: 12, excludedApps: ['keepassxc'] },
        idle: { thresholdSeconds: 600 },
        appTracking: { titles: true },
      },
      locked: ['idle.thresholdSeconds'],
    });
    expect(team.settings).toEqual({ screenshots: { perHour: 12 }, retention: { days: 30 } }); // not mutated
  });

  it('names each refused field with its own message', () => {
    const r = applyEdit(null, {
      scope: { level: 'team', id: 'blue' },
      set: { 'screenshots.perHour': 999, 'idle.thresholdSeconds': 2.5, 'screenshots.perhour': 3 },
      lock: ['screenshot'],
    });
    expect(r.layer).toBeNull();
    const by = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(by['screenshots.perHour']).toMatch(/perHour/);
    expect(by['idle.thresholdSeconds']).toMatch(/not a whole number/);
    expect(by['screenshots.perhour']).toMatch(/unknown policy setting/);
    expect(by['screenshot']).toMatch(/not a policy setting/);
  });

  it('says which group to unlock when a leaf is locked through its group', () => {
    const r = applyEdit(
      { level: 'organisation', id: 'acme', settings: {}, locked: ['screenshots'] },
      { scope: { level: 'organisation', id: 'acme' }, unlock: ['screenshots.blur'] },
    );
    expect(r.layer).toBeNull();
    expect(r.errors).toEqual([
      { path: 'screenshots.blur', message: expect.stringMatching(/locked with its whole group 'screenshots'/) },
    ]);
    expect(
      applyEdit(
        { level: 'organisation', id: 'acme', settings: {}, locked: ['screenshots'] },
        { scope: { level: 'organisation', id: 'acme' }, unlock: ['screenshots'] },
      ).layer,
    ).toEqual({ level: 'organisation', id: 'acme', settings: {} });
  });
});

describe('diffEdit', () => {
  it('lists what publishing changes: own value, lock and effective value', () => {
    const next = applyEdit(team, {
      scope: { level: 'team', id: 'blue' },
      clear: ['retention.days'],
      set: { 'screenshots.blur': false },
    }).layer!;
    expect(diffEdit(chain(team), next)).toEqual([
      {
        path: 'screenshots.blur',
        ownAfter: false,
        lockedBefore: false,
        lockedAfter: false,
        effectiveBefore: true,
        effectiveAfter: false,
      },
      {
        path: 'retention.days',
        ownBefore: 30,
        lockedBefore: false,
        lockedAfter: false,
        effectiveBefore: 30,
        effectiveAfter: 90,
      },
    ]);
  });
});
