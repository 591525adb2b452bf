/**
 * The employee's own day, classified with the productivity rules their
 * organisation signed and delivered to this computer (verified here): the
 * same pure function and the same rules the reviewers' app uses, so what
 * the employee sees is what reviewers see. A one-line summary of today, and
 * for the chosen day the time per class and which rule decided each app.
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

export function MyProductivity({
  records,
  rules,
  date,
  today,
  timeZone,
}: {
  records: readonly OpenedRecord[];
  rules: readonly ProductivityRuleSet[];
  date: string;
  today: string;
  timeZone: string;
}) {
  if (rules.length === 0)
    return (
      <p id="my-productivity" className="muted">
        Your organisation has published no productivity rules: your app time is not classified.
      </p>
    );
  const day = buildDayProductivity({ date, timeZone, records, chain: rules });
  const now = date === today ? day : buildDayProductivity({ date: today, timeZone, records, chain: rules });
  return (
    <section id="my-productivity" aria-labelledby="my-productivity-title">
      <h3 id="my-productivity-title">How your organisation's rules classify your time</h3>
      <p id="productivity-today">Today: {productivityLine(now)}.</p>
      {date !== today && (
        <p>
          {date}: {productivityLine(day)}.
        </p>
      )}
      <table className="productivity-apps">
        <thead>
          <tr>
            <th>App</th>
            <th>Site</th>
            <th>Class</th>
            <th>Rule</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {day.apps.map((a) => (
            <tr key={`${a.app}|${a.host ?? ''}|${a.class}`}>
              <td>{a.app}</td>
              <td>{a.host ?? '—'}</td>
              <td>{a.class}</td>
              <td>{a.rule ? `${a.rule.level} ${a.rule.setId} · ${a.rule.ruleId}` : '—'}</td>
              <td>{formatDuration(a.ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
