/**
 * The idle prompt in words: "You were away 14:38–15:07 (29 min): no keyboard
 * or mouse input.", the two answers, which one is the default and who chose
 * that default (the policy's idle.discardIdle source, read from the status:
 * "the default setting" is not "your organisation's setting").
 */
import type { IdlePromptView } from '../tray/idle-prompt.js';
import { rangeText } from './local-time.js';

export interface IdleView {
  question: string;
  keepLabel: string;
  discardLabel: string;
  defaultChoice: 'keep' | 'discard';
  /** "Without an answer by 15:17 this time is kept as work time (the default setting)." */
  defaultNote: string;
}

const CAUSE: Record<IdlePromptView['cause'], string> = {
  'no-input': 'no keyboard or mouse input',
  'screen-locked': 'the screen was locked',
  suspended: 'the computer was asleep',
};

const WHOSE: Record<string, string> = {
  default: 'the default setting',
  organisation: "your organisation's setting",
  team: "your team's setting",
  employee: 'your own setting',
  device: "this computer's setting",
};

/** '29 min', '2 h 12 min', '1 h' (rounded to the minute; under a minute says so). */
export function awayDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  return min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * `source` is the status's source of idle.discardIdle ("default",
 * "organisation:acme", …); null when the status could not be read, and then
 * the page does not claim whose setting it is.
 */
export function idleView(p: IdlePromptView, source: string | null, timeZone: string): IdleView {
  const keep = p.defaultChoice === 'keep';
  const whose = source === null ? null : (WHOSE[source.split(':')[0]!] ?? null);
  const by = rangeText(p.answerBy, p.answerBy, timeZone).split('–')[0]!;
  return {
    question: `You were away ${rangeText(p.start, p.end, timeZone)} (${awayDuration(p.end - p.start)}): ${CAUSE[p.cause] ?? 'away'}.`,
    keepLabel: 'Keep as work time',
    discardLabel: 'Discard',
    defaultChoice: p.defaultChoice,
    defaultNote: `Without an answer by ${by}, this time is ${keep ? 'kept as work time' : 'discarded'}${whose ? ` (${whose})` : ''}.`,
  };
}
