/** The organisation's productivity rules the employee-side views are tested with: terminals work, YouTube does not. */
import type { ProductivityRule, ProductivityRuleSet } from '@sealtime/shared/views';

export const TERMINAL_RULE: ProductivityRule = { id: 'term', match: { by: 'app', app: 'xterm' }, class: 'productive' };
export const MAIL_RULE: ProductivityRule = { id: 'mail', match: { by: 'app', app: 'thunderbird' }, class: 'neutral' };
export const YOUTUBE_RULE: ProductivityRule = {
  id: 'yt',
  match: { by: 'host', host: '*.youtube.com' },
  class: 'unproductive',
};

/** One organisation rule set, in force from the start of time. */
export function organisationRules(rules: ProductivityRule[]): ProductivityRuleSet[] {
  return [{ level: 'organisation', id: 'acme', issuedAt: 1, versions: [{ effectiveFrom: 0, rules }] }];
}
