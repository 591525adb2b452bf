// Which part of the opened index a productivity view reads: a day or a few
// (the dashboard's "productivity today", the timeline's panel) come from the
// day buckets the day views opened already; a longer range opens the whole
// person. Opening the whole person for a day view re-opened every person's
// month on each dashboard visit.
import { describe, expect, it } from 'vitest';
import type { Unlocked } from '../unlocked-session.js';
import { recordsOf } from './productivity-feature.js';

function fakeSession() {
  const calls = { days: [] as string[][], whole: 0 };
  const u = {
    index: {
      days: async (_e: string, dates: readonly string[]) => {
        calls.days.push([...dates]);
        return [];
      },
      employee: async () => {
        calls.whole++;
        return { days: new Map(), problems: new Map(), cannotOpen: 0 };
      },
    },
  } as unknown as Unlocked;
  return { u, calls };
}

describe('productivity records of a range', () => {
  it('a day reads its day buckets (and a day either side), never the whole person', async () => {
    const { u, calls } = fakeSession();
    await recordsOf(u, 'ada', '2026-11-10', '2026-11-10');
    expect(calls.whole).toBe(0);
    expect(calls.days).toEqual([['2026-11-09', '2026-11-10', '2026-11-11']]);
  });

  it('up to three days read buckets too; a longer range opens the whole person', async () => {
    const { u, calls } = fakeSession();
    await recordsOf(u, 'ada', '2026-10-31', '2026-11-02');
    expect(calls.days).toEqual([['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03']]);
    expect(calls.whole).toBe(0);
    await recordsOf(u, 'ada', '2026-11-01', '2026-11-04');
    await recordsOf(u, 'ada', '2026-11-01', '2026-11-30');
    expect(calls.whole).toBe(2);
    expect(calls.days).toHaveLength(1);
  });
});
