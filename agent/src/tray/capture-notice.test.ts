import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@sealtime/shared';
import { ScreenshotNotices } from './capture-notice.js';

const policy = (notify: boolean, blur = false) => ({ screenshots: { ...DEFAULT_POLICY.screenshots, notify, blur } });

describe('screenshot notices', () => {
  it('follow screenshots.notify', () => {
    const n = new ScreenshotNotices();
    expect(n.onScreenshot(policy(false), 0, 0)).toBeNull();
    const shown = n.onScreenshot(policy(true, true), Date.UTC(2026, 0, 5, 10, 0), 1_000_000);
    expect(shown?.title).toBe('Screenshot taken');
    expect(shown?.body).toContain('blurred before encryption');
  });

  it('coalesce a burst into one notice that counts the rest', () => {
    const n = new ScreenshotNotices(30_000);
    expect(n.onScreenshot(policy(true), 0, 100_000)).not.toBeNull();
    expect(n.onScreenshot(policy(true), 0, 110_000)).toBeNull();
    expect(n.onScreenshot(policy(true), 0, 120_000)).toBeNull();
    const next = n.onScreenshot(policy(true), 0, 131_000);
    expect(next?.body).toContain('and 2 more shortly before');
    expect(n.onScreenshot(policy(true), 0, 170_000)?.body).not.toContain('more');
  });
});
