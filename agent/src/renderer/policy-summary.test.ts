// The policy in words, as rows: each setting that matters to the employee
// gives one sentence, on or off, with who set it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type CapturePolicy } from '@sealtime/shared';
import { minutesText, policySentence, policySummary } from './policy-summary.js';

type Patch = {
  [K in keyof CapturePolicy]?: CapturePolicy[K] extends object ? Partial<CapturePolicy[K]> : CapturePolicy[K];
};
function policy(patch: Patch): CapturePolicy {
  const out = structuredClone(DEFAULT_POLICY) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch))
    out[k] = typeof v === 'object' && v !== null ? { ...(out[k] as object), ...v } : v;
  return out as unknown as CapturePolicy;
}
const line = (p: CapturePolicy, topic: string, sources: Record<string, string> = {}) =>
  policySummary(p, sources).find((l) => l.topic === topic)!;

describe('policy summary', () => {
  it.each([
    ['off', { screenshots: { enabled: false } }, 'No screenshots', false],
    ['on but 0 an hour', { screenshots: { enabled: true, perHour: 0 } }, 'No screenshots', false],
    [
      'blurred, 6 an hour',
      { screenshots: { enabled: true, perHour: 6, blur: true } },
      'Blurred screenshots about 6 an hour; you are told each time',
      true,
    ],
    [
      'sharp, 12 an hour, silent',
      { screenshots: { enabled: true, perHour: 12, blur: false, notify: false } },
      'Screenshots, not blurred, about 12 an hour; without telling you each time',
      true,
    ],
    [
      'with excluded apps',
      { screenshots: { enabled: true, perHour: 3, excludedApps: ['KeePassXC', 'Signal'] } },
      'Blurred screenshots about 3 an hour; you are told each time; never of KeePassXC, Signal',
      true,
    ],
  ] as const)('screenshots %s', (_name, patch, text, recorded) => {
    expect(line(policy(patch as Patch), 'screenshots')).toMatchObject({ text, recorded });
  });

  it.each([
    [
      { appTracking: { enabled: true, titles: false, urls: false } },
      'App names, not window titles; no web addresses',
      true,
    ],
    [
      { appTracking: { enabled: true, titles: true, urls: false } },
      'App names and window titles; no web addresses',
      true,
    ],
    [
      { appTracking: { enabled: true, titles: true, urls: true } },
      'App names and window titles; web addresses too',
      true,
    ],
    [{ appTracking: { enabled: false, titles: true } }, 'No app names or window titles', false],
  ] as const)('apps %j', (patch, text, recorded) => {
    expect(line(policy(patch as Patch), 'apps')).toMatchObject({ text, recorded });
  });

  it.each([
    [
      { idle: { enabled: true, thresholdSeconds: 300, discardIdle: false } },
      'Idle after 5 min without input; idle time is kept as work time unless you discard it',
    ],
    [
      { idle: { enabled: true, thresholdSeconds: 900, discardIdle: true } },
      'Idle after 15 min without input; idle time is discarded unless you keep it',
    ],
    [
      { idle: { enabled: true, thresholdSeconds: 3600 } },
      'Idle after 1 h without input; idle time is kept as work time unless you discard it',
    ],
    [{ idle: { enabled: false } }, 'No idle detection'],
  ] as const)('idle %j', (patch, text) => {
    expect(line(policy(patch as Patch), 'idle').text).toBe(text);
  });

  it.each([
    [1, 'Kept 1 day, then deleted'],
    [90, 'Kept 90 days, then deleted'],
    [3650, 'Kept 3650 days, then deleted'],
  ])('retention %i days', (days, text) => {
    expect(line(policy({ retention: { days } }), 'retention').text).toBe(text);
  });

  it.each([
    [
      { activity: { enabled: true, slotSeconds: 600 } },
      'Keyboard and mouse counts per 10 min, never the keys you press',
      true,
    ],
    [
      { activity: { enabled: true, slotSeconds: 60 } },
      'Keyboard and mouse counts per 1 min, never the keys you press',
      true,
    ],
    [{ activity: { enabled: false } }, 'No keyboard or mouse activity', false],
  ] as const)('activity %j', (patch, text, recorded) => {
    expect(line(policy(patch as Patch), 'activity')).toMatchObject({ text, recorded });
  });

  it('says who set each part: organisation, team, you, this device, the default', () => {
    const p = policy({ screenshots: { enabled: true, perHour: 6 } });
    const sources = {
      'screenshots.enabled': 'organisation:acme',
      'screenshots.perHour': 'team:t1',
      'idle.thresholdSeconds': 'employee:e1',
      'retention.days': 'organisation:acme',
      employeeCanPause: 'device:d1',
    };
    expect(line(p, 'screenshots', sources).setBy).toEqual(['your organisation', 'your team', 'the default']);
    expect(line(p, 'idle', sources).setBy).toEqual(['you', 'the default']);
    expect(line(p, 'retention', sources).setBy).toEqual(['your organisation']);
    expect(line(p, 'pause', sources).setBy).toEqual(['this device']);
    expect(line(p, 'apps', sources).setBy).toEqual(['the default']);
  });

  it('reads as one sentence at the top', () => {
    const lines = policySummary(policy({ screenshots: { enabled: true, perHour: 6, blur: true } }), {});
    expect(policySentence(lines)).toBe(
      'Blurred screenshots about 6 an hour; app names, not window titles; keyboard and mouse counts per 10 min, never the keys you press; idle after 5 min without input; kept 90 days, then deleted',
    );
    expect(policySentence(policySummary(DEFAULT_POLICY, {}))).toMatch(/^No screenshots; app names, not window titles;/);
  });

  it('writes minutes and hours', () => {
    expect([60, 300, 3600, 5400].map(minutesText)).toEqual(['1 min', '5 min', '1 h', '1 h 30 min']);
  });
});
