/**
 * Whether and how to tell the employee a screenshot was taken. The policy
 * decides (screenshots.notify); a burst (several screens, a catch-up after
 * sleep) becomes one notice rather than a stack of them.
 */
import type { CapturePolicy } from '@sealtime/shared';
import { format } from 'date-fns';

export interface Notice {
  title: string;
  body: string;
}

export class ScreenshotNotices {
  private lastShownAt = -Infinity;
  private suppressed = 0;

  constructor(private readonly coalesceMs = 30_000) {}

  /** The notice to show for a screenshot taken now, or null (policy says no, or one was just shown). */
  onScreenshot(policy: Pick<CapturePolicy, 'screenshots'>, takenAt: number, now: number): Notice | null {
    if (!policy.screenshots.notify) return null;
    if (now - this.lastShownAt < this.coalesceMs) {
      this.suppressed++;
      return null;
    }
    const more = this.suppressed;
    this.suppressed = 0;
    this.lastShownAt = now;
    const blur = policy.screenshots.blur ? ' It was blurred before encryption.' : '';
    return {
      title: 'Screenshot taken',
      body: `Sealtime took a screenshot at ${format(takenAt, 'HH:mm')}${more ? ` (and ${more} more shortly before)` : ''}.${blur} See it in the privacy centre.`,
    };
  }
}
