/**
 * The employee's own day, classified with the productivity rules their
 * organisation signed and delivered to this computer (verified here): the
 * same pure function and the same rules the reviewers' app uses, so what
 * the employee sees is what reviewers see. A one-line summary of today, and
 * for the chosen day the time per class and which rule decided each app.
 */
import { buildDayProductivity, type OpenedRecord, type ProductivityRuleSet } from '@sealtime/shared/views';
import { formatDuration } from '@sealtime/shared/ui';
import { productivityLine } from './productivity-line.js';

export { productivityLine };

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
