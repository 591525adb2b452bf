import { describe, it, expect } from 'vitest';
import { AGENT_MALLOC_ENV, mallocRelaunchPlan, RELAUNCHED_MARK } from './malloc-env.js';

describe('mallocRelaunchPlan', () => {
  it('relaunches a Linux tray app started without the settings, once, with every missing one', () => {
    expect(mallocRelaunchPlan({ HOME: '/home/ann' }, 'linux')).toEqual({
      env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', [RELAUNCHED_MARK]: '1' },
      execPath: undefined,
    });
    // the relaunched process never relaunches again, even if a setting was stripped on the way
    expect(mallocRelaunchPlan({ [RELAUNCHED_MARK]: '1' }, 'linux')).toBeNull();
  });

  it('keeps what the user set and adds only what is missing', () => {
    expect(mallocRelaunchPlan({ MALLOC_ARENA_MAX: '4' }, 'linux')?.env).toEqual({
      MALLOC_MMAP_THRESHOLD_: '131072',
      [RELAUNCHED_MARK]: '1',
    });
    expect(mallocRelaunchPlan({ ...AGENT_MALLOC_ENV }, 'linux')).toBeNull();
  });

  it('starts an AppImage again from its own file, and does nothing off Linux', () => {
    expect(mallocRelaunchPlan({ APPIMAGE: '/home/ann/Sealtime-Agent.AppImage' }, 'linux')?.execPath).toBe(
      '/home/ann/Sealtime-Agent.AppImage',
    );
    expect(mallocRelaunchPlan({}, 'win32')).toBeNull();
    expect(mallocRelaunchPlan({}, 'darwin')).toBeNull();
  });
});
