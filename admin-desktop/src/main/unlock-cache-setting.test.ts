import { describe, expect, it } from 'vitest';
import { osKeyStoreRefusal, unlockCacheSetting, UNLOCK_CACHE_ENV } from './unlock-cache-setting.js';

describe('unlock cache setting', () => {
  it.each([
    [undefined, { on: false }],
    ['', { on: false }],
    ['0', { on: false }],
    ['8', { on: true, maxAgeMs: 8 * 3_600_000 }],
    ['0.5', { on: true, maxAgeMs: 1_800_000 }],
    ['24', { on: true, maxAgeMs: 24 * 3_600_000 }],
  ])('%s → %o', (value, expected) => {
    expect(unlockCacheSetting({ [UNLOCK_CACHE_ENV]: value })).toEqual(expected);
  });

  it.each(['25', '-1', 'eight', '8h', 'Infinity', '1e3'])('refuses %s with a warning and stays off', (value) => {
    const s = unlockCacheSetting({ [UNLOCK_CACHE_ENV]: value });
    expect(s.on).toBe(false);
    expect(!s.on && s.warning).toContain(UNLOCK_CACHE_ENV);
  });

  it('never uses a missing key store or Linux basic_text', () => {
    expect(osKeyStoreRefusal({ available: false, platform: 'darwin' })).toMatch(/not available/);
    expect(osKeyStoreRefusal({ available: true, platform: 'linux', backend: 'basic_text' })).toMatch(/basic_text/);
    expect(osKeyStoreRefusal({ available: true, platform: 'linux', backend: 'gnome_libsecret' })).toBeNull();
    expect(osKeyStoreRefusal({ available: true, platform: 'win32' })).toBeNull();
  });
});
