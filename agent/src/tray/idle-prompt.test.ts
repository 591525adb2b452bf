import { describe, expect, it } from 'vitest';
import type { IdlePeriodPayload } from '@sealtime/shared';
import { IdleDecider, idleMessage, type IdlePromptView, type Timers } from './idle-prompt.js';

/** Manual timers: the test decides when time passes. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let n = 0;
  const timers: Timers = {
    set: (fn, ms) => (pending.set(++n, { fn, ms }), n),
    clear: (h) => void pending.delete(h as number),
  };
  return { timers, fireAll: () => [...pending.entries()].forEach(([k, t]) => (pending.delete(k), t.fn())), pending };
}

const period = (
  start: number,
  minutes: number,
  decision: IdlePeriodPayload['decision'] = 'pending',
): IdlePeriodPayload => ({ v: 1, start, end: start + minutes * 60_000, cause: 'no-input', decision });

describe('idle prompt', () => {
  it('asks, and records the employee’s answer', async () => {
    const t = manualTimers();
    const shown: Array<IdlePromptView | null> = [];
    const d = new IdleDecider({
      discardByDefault: () => false,
      timers: t.timers,
      now: () => 1000,
      onChange: (p) => shown.push(p),
    });
    const decision = d.decide(period(0, 29));
    expect(d.current?.message).toBe(idleMessage(period(0, 29)));
    expect(d.current?.message).toContain('29 minutes');
    expect(d.current).toMatchObject({ promptId: 'idle-1', defaultChoice: 'keep', answerBy: 1000 + 600_000 });
    expect(d.answer('idle-1', 'discard')).toBe(true);
    expect(await decision).toBe('discarded');
    expect(d.answer('idle-1', 'keep')).toBe(false); // a second click changes nothing
    expect(shown.map((p) => p?.promptId ?? null)).toEqual(['idle-1', null]);
    expect(t.pending.size).toBe(0);
  });

  it('applies the policy default when nobody answers in time', async () => {
    const t = manualTimers();
    const d = new IdleDecider({ discardByDefault: () => true, timers: t.timers });
    const decision = d.decide(period(0, 5));
    expect(d.current?.defaultChoice).toBe('discard');
    t.fireAll();
    expect(await decision).toBe('discarded');
    expect(d.current).toBeNull();
  });

  it('queues periods, oldest first, and settles all with their defaults on shutdown', async () => {
    const t = manualTimers();
    const d = new IdleDecider({ discardByDefault: () => false, timers: t.timers });
    const a = d.decide(period(0, 10));
    const b = d.decide(period(3_600_000, 20));
    expect(d.pending).toBe(2);
    expect(d.current?.promptId).toBe('idle-1');
    expect(d.answer('idle-2', 'discard')).toBe(true); // answering a queued one is allowed
    expect(d.current?.promptId).toBe('idle-1');
    expect(await b).toBe('discarded');
    d.settleAll();
    expect(await a).toBe('kept');
    expect(d.pending).toBe(0);
  });

  it('passes through a period that is already decided', async () => {
    const d = new IdleDecider({ discardByDefault: () => false, timers: manualTimers().timers });
    expect(await d.decide(period(0, 1, 'discarded'))).toBe('discarded');
    expect(d.current).toBeNull();
  });
});
