import { describe, expect, it } from 'vitest';
import { AdminError } from './admin-error.js';
import { buildPolicyLayer } from './policy-layer-input.js';

describe('buildPolicyLayer', () => {
  it('parses booleans, numbers and app lists, and merges over the layer in force', () => {
    const current = {
      level: 'team' as const,
      id: 'blue',
      settings: { activity: { slotSeconds: 300 } },
      locked: ['screenshots.blur'],
    };
    const layer = buildPolicyLayer({
      level: 'team',
      id: 'blue',
      set: ['screenshots.enabled=true', 'screenshots.perHour=6', 'screenshots.excludedApps=keepassxc, 1password'],
      lock: ['screenshots'],
      unlock: ['screenshots.blur'],
      current,
    });
    expect(layer).toEqual({
      level: 'team',
      id: 'blue',
      settings: {
        activity: { slotSeconds: 300 },
        screenshots: { enabled: true, perHour: 6, excludedApps: ['keepassxc', '1password'] },
      },
      locked: ['screenshots'],
    });
    expect(current.settings).toEqual({ activity: { slotSeconds: 300 } }); // not mutated
  });

  it.each([
    [{ level: 'planet', id: 'x' }, /--level must be/],
    [{ level: 'team', id: 'x', set: ['screenshots.perhour=6'] }, /unknown policy setting 'screenshots.perhour'/],
    [{ level: 'team', id: 'x', set: ['screenshots.perHour'] }, /path=value/],
    [{ level: 'team', id: 'x', set: ['screenshots.perHour=many'] }, /neither true\/false nor a whole number/],
    [{ level: 'team', id: 'x', set: ['screenshots.perHour=999'] }, /invalid/],
    [{ level: 'team', id: 'x', lock: ['screenshot'] }, /cannot lock 'screenshot'/],
  ])('refuses %j with a clear message', (input, message) => {
    expect(() => buildPolicyLayer(input)).toThrow(AdminError);
    expect(() => buildPolicyLayer(input)).toThrow(message);
  });
});
