/**
 * The employee's productivity in one line ("2 h 10 min productive, 25 min
 * neutral"): the reviewers' pure classification (buildDayProductivity, the
 * same rules the organisation signed) said in words. MyProductivity and the
 * status view both say it from here, so the two never disagree.
 */
import { buildDayProductivity, type OpenedRecord, type ProductivityRuleSet } from '@sealtime/shared/views';
import { formatDuration } from '@sealtime/shared/ui';

const LABEL = {
  productive: 'productive',
  neutral: 'neutral',
  unproductive: 'unproductive',
  unclassified: 'unclassified',
};

export function productivityLine(day: ReturnType<typeof buildDayProductivity>): string {
  const t = day.totals;
  const all = t.productive + t.neutral + t.unproductive + t.unclassified;
  if (all === 0) return 'no app time recorded';
  return (Object.keys(LABEL) as Array<keyof typeof LABEL>)
    .filter((c) => t[c] > 0)
    .map((c) => `${formatDuration(t[c])} ${LABEL[c]}`)
    .join(', ');
}

/** Today's line, or why there is none (no rules delivered). */
export function todaysProductivity(input: {
  records: readonly OpenedRecord[];
  rules: readonly ProductivityRuleSet[];
  today: string;
  timeZone: string;
}): { line: string; classified: boolean } {
  if (input.rules.length === 0)
    return { line: 'not classified: your organisation has published no productivity rules', classified: false };
  const day = buildDayProductivity({
    date: input.today,
    timeZone: input.timeZone,
    records: input.records,
    chain: input.rules,
  });
  return { line: productivityLine(day), classified: true };
}
