/**
 * Work schedules (admins edit, HR and managers read): who works when on a
 * chosen date and which level set it (organisation → team → person), each
 * level's history of versions, the public holidays, documents refused for a
 * bad signature, and for admins an editor that publishes a new version from
 * a date on (a split day is a second shift on the same day).
 */
import { useEffect, useState } from 'react';
import type {
  ScheduleBook,
  ScheduleLevel,
  ScheduleScope,
  ScheduleVersion,
} from '../../api/contracts/schedules-contract.js';
import {
  draftOf,
  parseDates,
  versionOf,
  versionSummary,
  weekSummary,
  WEEKDAY_NAMES,
  type DayDraft,
  type ScheduleDraft,
} from './schedule-draft.js';

export type SchedulesViewProps = {
  book: ScheduleBook;
  /** the reviewer's zone: a first schedule starts in it */
  zone: string;
  onDate: (date: string) => void;
  /** resolves to a line to show (sent / queued), rejects with the core's words */
  onPublish: (scope: ScheduleScope, version: ScheduleVersion) => Promise<string>;
  onPublishHolidays: (dates: string[]) => Promise<string>;
};

const LEVEL_TEXT: Record<ScheduleLevel, string> = { organisation: 'Organisation', team: 'Team', employee: 'Person' };
const scopeKey = (s: ScheduleScope) => `${s.level}:${s.id}`;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function scopeFromKey(key: string): ScheduleScope {
  const i = key.indexOf(':');
  return { level: key.slice(0, i) as ScheduleLevel, id: key.slice(i + 1) };
}

function DayRow({ index, day, onChange }: { index: number; day: DayDraft; onChange: (d: DayDraft) => void }) {
  const name = WEEKDAY_NAMES[index]!;
  const field = (k: 'start' | 'end' | 'start2' | 'end2', label: string) => (
    <input
      type="time"
      aria-label={`${name} ${label}`}
      value={day[k]}
      disabled={!day.on}
      onChange={(e) => onChange({ ...day, [k]: e.target.value })}
    />
  );
  return (
    <tr>
      <th scope="row">
        <label>
          <input type="checkbox" checked={day.on} onChange={(e) => onChange({ ...day, on: e.target.checked })} /> {name}
        </label>
      </th>
      <td>
        {field('start', 'start')} – {field('end', 'end')}
      </td>
      <td>
        {field('start2', 'second start')} – {field('end2', 'second end')}
      </td>
    </tr>
  );
}

export function SchedulesView({ book, zone, onDate, onPublish, onPublishHolidays }: SchedulesViewProps) {
  const scopes: ScheduleScope[] = [
    { level: 'organisation', id: book.orgId },
    ...book.teams.map((id) => ({ level: 'team' as const, id })),
    ...book.effective.map((e) => ({ level: 'employee' as const, id: e.employeeId })),
  ];
  const [scope, setScope] = useState(scopeKey(scopes[0]!));
  const layerOf = (key: string) => book.layers.find((l) => scopeKey(l) === key);
  const inForce = (key: string) => {
    const l = layerOf(key);
    const v = l ? [...l.versions].reverse().find((x) => x.effectiveFrom <= book.date) : undefined;
    return v && !('inherit' in v) ? v : null;
  };
  const [draft, setDraft] = useState<ScheduleDraft>(() => draftOf(inForce(scope), book.date, zone));
  const [holidays, setHolidays] = useState(book.holidays.dates.join('\n'));
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // a newly published holiday list shows as published
  useEffect(() => setHolidays(book.holidays.dates.join('\n')), [book.holidays.dates.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps

  const choose = (key: string) => {
    setScope(key);
    setDraft(
      draftOf(
        inForce(key) ??
          book.effective.find((e) => `employee:${e.employeeId}` === key)?.schedule ??
          inForce(scopeKey(scopes[0]!)),
        book.date,
        zone,
      ),
    );
    setNotice(null);
  };
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setNotice({ kind: 'ok', text: await work() });
    } catch (err) {
      setNotice({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  const scopeLabel = (s: ScheduleScope) =>
    s.level === 'employee'
      ? `${LEVEL_TEXT.employee}: ${book.effective.find((e) => e.employeeId === s.id)?.name ?? s.id}`
      : `${LEVEL_TEXT[s.level]}: ${s.id}`;

  return (
    <section className="view schedules" aria-labelledby="schedules-title">
      <header className="view-header">
        <div>
          <h1 id="schedules-title">Work schedules</h1>
          <p className="muted">
            Set for the organisation, a team or a person; a person’s overrides their team’s, a team’s the
            organisation’s. Signed with the organisation key.
          </p>
        </div>
        <label>
          Effective on{' '}
          <input type="date" value={book.date} onChange={(e) => e.target.value && onDate(e.target.value)} />
        </label>
      </header>

      {book.readFrom === 'cache' && (
        <p className="warn-text" role="status">
          The server does not answer: showing the last verified copy kept on this machine.
        </p>
      )}
      {book.refused.length > 0 && (
        <div role="alert" className="integrity-problem">
          <strong>Refused (signature does not verify, not used):</strong>
          <ul>
            {book.refused.map((r) => (
              <li key={r.id}>
                <code>{r.id}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      <h2>Who works when on {book.date}</h2>
      <table className="table schedules-effective">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Team</th>
            <th scope="col">Schedule</th>
            <th scope="col">Time zone</th>
            <th scope="col" className="num">
              Break
            </th>
            <th scope="col" className="num">
              Grace
            </th>
            <th scope="col">Set by</th>
          </tr>
        </thead>
        <tbody>
          {book.effective.map((e) => (
            <tr key={e.employeeId}>
              <th scope="row">{e.name}</th>
              <td>{e.teamId ?? '—'}</td>
              <td>{e.schedule ? weekSummary(e.schedule.week) : <span className="muted">no schedule</span>}</td>
              <td>{e.schedule?.timeZone ?? '—'}</td>
              <td className="num">{e.schedule ? `${e.schedule.breakMinutes} min` : '—'}</td>
              <td className="num">{e.schedule ? `${e.schedule.graceMinutes} min` : '—'}</td>
              <td>
                {e.source ? (
                  <span className="badge">
                    {LEVEL_TEXT[e.source.level]} {e.source.level === 'employee' ? '(own)' : e.source.id}
                  </span>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Levels and their history</h2>
      {book.layers.length === 0 ? (
        <p className="muted">No schedule has been published yet.</p>
      ) : (
        <ul className="schedule-layers">
          {book.layers.map((l) => (
            <li key={scopeKey(l)}>
              <strong>{scopeLabel(l)}</strong>{' '}
              {l.waiting && <span className="badge badge-waiting">Waiting to sync</span>}
              <ul>
                {l.versions.map((v) => (
                  <li key={v.effectiveFrom}>
                    from {v.effectiveFrom}: {versionSummary(v)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      {book.canEdit ? (
        <form className="schedule-editor" onSubmit={(e) => e.preventDefault()} aria-label="Edit a schedule">
          <h2>Publish a schedule</h2>
          <div className="form-row">
            <label>
              Level{' '}
              <select value={scope} onChange={(e) => choose(e.target.value)}>
                {scopes.map((s) => (
                  <option key={scopeKey(s)} value={scopeKey(s)}>
                    {scopeLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Effective from{' '}
              <input
                type="date"
                value={draft.effectiveFrom}
                onChange={(e) => setDraft({ ...draft, effectiveFrom: e.target.value })}
              />
            </label>
            <label>
              Time zone{' '}
              <input
                type="text"
                value={draft.timeZone}
                onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
                placeholder="Europe/Berlin"
              />
            </label>
            <label>
              Break allowance (min){' '}
              <input
                type="number"
                min={0}
                max={1440}
                value={draft.breakMinutes}
                onChange={(e) => setDraft({ ...draft, breakMinutes: e.target.value })}
              />
            </label>
            <label>
              Grace (min){' '}
              <input
                type="number"
                min={0}
                max={1440}
                value={draft.graceMinutes}
                onChange={(e) => setDraft({ ...draft, graceMinutes: e.target.value })}
              />
            </label>
          </div>
          <table className="table schedule-days">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Shift</th>
                <th scope="col">Second shift (split day)</th>
              </tr>
            </thead>
            <tbody>
              {draft.days.map((d, i) => (
                <DayRow
                  key={i}
                  index={i}
                  day={d}
                  onChange={(nd) => setDraft({ ...draft, days: draft.days.map((x, j) => (j === i ? nd : x)) })}
                />
              ))}
            </tbody>
          </table>
          <div className="form-row">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act(() => onPublish(scopeFromKey(scope), versionOf(draft)))}
            >
              Publish schedule
            </button>
            {scopeFromKey(scope).level !== 'organisation' && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(() => onPublish(scopeFromKey(scope), { effectiveFrom: draft.effectiveFrom, inherit: true }))
                }
              >
                Inherit from above from this date
              </button>
            )}
          </div>
        </form>
      ) : (
        <p className="muted">
          Schedules are signed with the organisation key: only admins edit them. You see what is in force.
        </p>
      )}

      <h2>Public holidays {book.holidays.waiting && <span className="badge badge-waiting">Waiting to sync</span>}</h2>
      {book.canEdit ? (
        <form className="holidays-editor" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="holiday-dates">Dates (YYYY-MM-DD, one per line): not working days for anyone</label>
          <textarea id="holiday-dates" rows={4} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
          <button type="button" disabled={busy} onClick={() => void act(() => onPublishHolidays(parseDates(holidays)))}>
            Publish holidays
          </button>
        </form>
      ) : book.holidays.dates.length > 0 ? (
        <p>{book.holidays.dates.join(', ')}</p>
      ) : (
        <p className="muted">No public holidays published.</p>
      )}
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'error-text' : 'notice'}
        >
          {notice.text}
        </p>
      )}
    </section>
  );
}
