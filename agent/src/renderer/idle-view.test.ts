// The idle prompt in words: the from–to range in local time, the length to
// the minute, the default, and whose setting the default is.
import { describe, expect, it } from 'vitest';
import type { IdlePromptView } from '../tray/idle-prompt.js';
import { awayDuration, idleView } from './idle-view.js';

const BER = 'Europe/Berlin';
// 2026-12-06 14:38 and 15:07 in Berlin (UTC+1)
const at = (hm: string, day = '2026-12-06') => Date.parse(`${day}T${hm}:00+01:00`);
const prompt = (over: Partial<IdlePromptView> = {}): IdlePromptView => ({
  promptId: 'idle-1',
  start: at('14:38'),
  end: at('15:07'),
  cause: 'no-input',
  message: '',
  defaultChoice: 'keep',
  answerBy: at('15:17'),
  ...over,
});

describe('idle view', () => {
  it('says the range and the length in local time', () => {
    const v = idleView(prompt(), 'default', BER);
    expect(v.question).toBe('You were away 14:38–15:07 (29 min): no keyboard or mouse input.');
    expect(v).toMatchObject({ keepLabel: 'Keep as work time', discardLabel: 'Discard', defaultChoice: 'keep' });
    expect(idleView(prompt(), 'default', 'UTC').question).toContain('13:38–14:07');
  });

  it.each([
    ['default', 'keep', 'Without an answer by 15:17, this time is kept as work time (the default setting).'],
    [
      'organisation:acme',
      'discard',
      "Without an answer by 15:17, this time is discarded (your organisation's setting).",
    ],
    ['team:t1', 'keep', "Without an answer by 15:17, this time is kept as work time (your team's setting)."],
    ['employee:e1', 'discard', 'Without an answer by 15:17, this time is discarded (your own setting).'],
    [null, 'keep', 'Without an answer by 15:17, this time is kept as work time.'],
  ] as const)('names the default and its source %s', (source, choice, note) => {
    expect(idleView(prompt({ defaultChoice: choice }), source, BER).defaultNote).toBe(note);
  });

  it.each([
    [20_000, 'under a minute'],
    [29 * 60_000, '29 min'],
    [60 * 60_000, '1 h'],
    [132 * 60_000, '2 h 12 min'],
  ])('length %i ms reads %s', (ms, text) => {
    expect(awayDuration(ms)).toBe(text);
  });

  it('dates the end when the period crosses midnight, and names the cause', () => {
    const v = idleView(
      prompt({ start: at('23:40'), end: at('00:20', '2026-12-07'), cause: 'suspended' }),
      'default',
      BER,
    );
    expect(v.question).toBe('You were away 23:40–Mon 00:20 (40 min): the computer was asleep.');
  });
});
