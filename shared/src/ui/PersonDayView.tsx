/**
 * Shared by the admin app's person-day screen and the agent's privacy
 * centre (the employee sees what a reviewer sees); presentational only.
 *
 * One person's day: summary, a timeline of hour rows (six 10-minute cells
 * coloured by activity %, idle and worked marks, the hour's apps and
 * screenshots inline), then attendance, apps and titles, idle periods, alerts.
 */
import type { PersonDay, PersonDaySlot, ScreenshotThumb } from '../views/person-day.js';
import { AlertList } from './AlertList.js';
import { formatDate, formatDuration, formatPercent, formatTime } from './format.js';

export type PersonDayViewProps = {
  day: PersonDay;
  onDate: (date: string) => void;
  /** neighbours in the reviewer's list of people; absent at the ends */
  prevPerson?: { id: string; name: string };
  nextPerson?: { id: string; name: string };
  /** absent where there is only one person (the employee's own privacy centre): no person buttons */
  onPerson?: (employeeId: string) => void;
  /** the heading; the person's name by default */
  title?: string;
  onOpenScreenshot: (recordId: string) => void;
  /** thumbnail URLs the app fetched for shots without a sealed-in thumb */
  thumbUrls?: Readonly<Record<string, string>>;
};

const EVENT_TEXT = {
  'clock-in': 'Clock in',
  'clock-out': 'Clock out',
  'break-start': 'Break start',
  'break-end': 'Break end',
} as const;
const DECISION_TEXT = { pending: 'Not answered yet', kept: 'Kept as work', discarded: 'Discarded' } as const;
const CAUSE_TEXT = { 'no-input': 'No input', 'screen-locked': 'Screen locked', suspended: 'Suspended' } as const;

/** Slots grouped six by six into hours (the first and last may be short on odd zones). */
function hoursOf(slots: readonly PersonDaySlot[]): PersonDaySlot[][] {
  const out: PersonDaySlot[][] = [];
  for (const s of slots) {
    const last = out.at(-1);
    if (last && last.length < 6 && s.label.slice(0, 2) === last[0]!.label.slice(0, 2)) last.push(s);
    else out.push([s]);
  }
  return out;
}

function slotTitle(s: PersonDaySlot): string {
  const parts = [`${s.label}: ${s.activity.percent === null ? 'not tracked' : `${s.activity.percent} % active`}`];
  if (s.workedMs > 0) parts.push(`clocked in ${formatDuration(s.workedMs)}`);
  if (s.idleMs > 0) parts.push(`idle ${formatDuration(s.idleMs)}`);
  for (const p of s.projects) parts.push(`project ${p.label} ${formatDuration(p.ms)}`);
  for (const a of s.apps.slice(0, 3)) parts.push(`${a.app} ${formatDuration(a.ms)}`);
  return parts.join(', ');
}

function Thumb({
  shot,
  url,
  onOpen,
}: {
  shot: ScreenshotThumb;
  url: string | undefined;
  onOpen: (id: string) => void;
}) {
  const src = shot.thumb ?? url;
  const label = `Screenshot ${shot.label}, screen ${shot.screen + 1}${shot.app ? `, ${shot.app}` : ''}${shot.blurred ? ', blurred' : ''}`;
  return (
    <button
      type="button"
      className={shot.blurred ? 'thumb thumb-blurred' : 'thumb'}
      onClick={() => onOpen(shot.recordId)}
      aria-label={label}
      title={label}
    >
      {src ? <img src={src} alt="" width={96} height={54} /> : <span className="thumb-placeholder">{shot.label}</span>}
      {shot.blurred && <span className="badge badge-blurred">Blurred</span>}
    </button>
  );
}

export function PersonDayView({
  day,
  onDate,
  prevPerson,
  nextPerson,
  onPerson,
  title,
  onOpenScreenshot,
  thumbUrls = {},
}: PersonDayViewProps) {
  const idleMs = day.idle.reduce((s, i) => s + i.ms, 0);
  return (
    <section className="view person-day" aria-labelledby="person-day-title">
      <header className="view-header">
        <div>
          <h1 id="person-day-title">{title ?? day.employeeName}</h1>
          <p className="muted">
            {formatDate(day.date)} · {day.timeZone}
            {day.hours !== 24 && <span className="badge">{day.hours}-hour day (clock change)</span>}
          </p>
        </div>
        <nav className="pager" aria-label="Day and person">
          <button type="button" onClick={() => onDate(day.prevDate)}>
            ← Previous day
          </button>
          <button type="button" onClick={() => day.nextDate && onDate(day.nextDate)} disabled={day.nextDate === null}>
            Next day →
          </button>
          {onPerson && (
            <>
              <button type="button" onClick={() => prevPerson && onPerson(prevPerson.id)} disabled={!prevPerson}>
                ↑ {prevPerson ? prevPerson.name : 'Previous person'}
              </button>
              <button type="button" onClick={() => nextPerson && onPerson(nextPerson.id)} disabled={!nextPerson}>
                ↓ {nextPerson ? nextPerson.name : 'Next person'}
              </button>
            </>
          )}
        </nav>
      </header>

      <dl className="stats">
        <div className="stat">
          <dt>Worked</dt>
          <dd>{formatDuration(day.attendance.workedMs)}</dd>
        </div>
        <div className="stat">
          <dt>Breaks</dt>
          <dd>{formatDuration(day.attendance.breakMs)}</dd>
        </div>
        <div className="stat">
          <dt>Activity</dt>
          <dd>{formatPercent(day.activity.percent)}</dd>
        </div>
        <div className="stat">
          <dt>Idle</dt>
          <dd>{formatDuration(idleMs)}</dd>
        </div>
        <div className="stat">
          <dt>Screenshots</dt>
          <dd>{day.screenshots.length}</dd>
        </div>
        <div
          className={`stat ${day.alerts.some((a) => a.severity === 'critical') ? 'stat-critical' : day.alerts.length > 0 ? 'stat-warning' : ''}`}
        >
          <dt>Alerts</dt>
          <dd>{day.alerts.length}</dd>
        </div>
      </dl>

      {day.alerts.length > 0 && (
        <section aria-labelledby="pd-alerts">
          <h2 id="pd-alerts">Integrity alerts</h2>
          <AlertList alerts={day.alerts} timeZone={day.timeZone} />
        </section>
      )}

      <section aria-labelledby="pd-timeline">
        <h2 id="pd-timeline">Timeline</h2>
        <p className="legend muted small">
          <span className="swatch level-none" /> not tracked <span className="swatch level-low" /> under 33 %{' '}
          <span className="swatch level-medium" /> 33–65 % <span className="swatch level-high" /> 66 % and more{' '}
          <span className="swatch swatch-idle" /> idle <span className="swatch swatch-worked" /> clocked in
        </p>
        <ol className="timeline">
          {hoursOf(day.slots).map((hour) => {
            const shots = hour.flatMap((s) => s.screenshots);
            const apps = new Map<string, number>();
            for (const s of hour) for (const a of s.apps) apps.set(a.app, (apps.get(a.app) ?? 0) + a.ms);
            const topApps = [...apps].sort((a, b) => b[1] - a[1]).slice(0, 3);
            const projects = new Map<string, { label: string; colour: string | null; ms: number }>();
            for (const s of hour)
              for (const p of s.projects) {
                const cur = projects.get(p.label) ?? { label: p.label, colour: p.colour, ms: 0 };
                cur.ms += p.ms;
                projects.set(p.label, cur);
              }
            return (
              <li key={hour[0]!.index} className="timeline-hour">
                <span className="timeline-label">{hour[0]!.label}</span>
                <span className="timeline-slots">
                  {hour.map((s) => (
                    <span
                      key={s.index}
                      className={[
                        'slot',
                        `level-${s.level}`,
                        s.idleMs > 0 && 'slot-idle',
                        s.workedMs > 0 && 'slot-worked',
                      ]
                        .filter(Boolean)
                        .join(' ')}
                      title={slotTitle(s)}
                      aria-label={slotTitle(s)}
                      role="img"
                    />
                  ))}
                </span>
                <span className="timeline-apps small">
                  {[...projects.values()].map((p) => (
                    <span key={p.label} className="chip project-chip" title="tracked project">
                      {p.colour && <span className="project-dot" style={{ background: p.colour }} aria-hidden="true" />}
                      {p.label} {formatDuration(p.ms)}
                    </span>
                  ))}
                  {topApps.length > 0 && (
                    <details>
                      <summary aria-label={`Apps and window titles ${hour[0]!.label} hour`}>
                        {topApps.map(([app, ms]) => (
                          <span key={app} className="chip">
                            {app} {formatDuration(ms)}
                          </span>
                        ))}
                      </summary>
                      <ul className="slot-titles">
                        {hour.flatMap((s) =>
                          s.titles.map((t) => (
                            <li key={`${s.index}-${t.app}-${t.title}`}>
                              <span className="timeline-label">{s.label}</span>{' '}
                              <span className="app-name">{t.app}</span>{' '}
                              {t.title || <span className="muted">(no title)</span>}{' '}
                              <span className="muted">{formatDuration(t.ms)}</span>
                            </li>
                          )),
                        )}
                      </ul>
                    </details>
                  )}
                </span>
                <span className="timeline-thumbs">
                  {shots.map((s) => (
                    <Thumb key={s.recordId} shot={s} url={thumbUrls[s.recordId]} onOpen={onOpenScreenshot} />
                  ))}
                </span>
              </li>
            );
          })}
        </ol>
      </section>

      <div className="columns">
        <section aria-labelledby="pd-attendance">
          <h2 id="pd-attendance">Attendance</h2>
          {day.attendance.events.length === 0 ? (
            <p className="muted">No clock events on this day.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {day.attendance.events.map((e) => (
                  <tr key={e.recordId}>
                    <td>{e.label}</td>
                    <td>
                      {EVENT_TEXT[e.type]}
                      {e.note && <span className="muted"> — {e.note}</span>}
                    </td>
                    <td className="muted">{e.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {day.attendance.anomalies.length > 0 && (
            <ul className="anomalies small">
              {day.attendance.anomalies.map((a, i) => (
                <li key={i} className="warn-text">
                  {a.detail}
                </li>
              ))}
            </ul>
          )}

          <h2 id="pd-idle">Idle time</h2>
          {day.idle.length === 0 ? (
            <p className="muted">No idle periods.</p>
          ) : (
            <table className="table" aria-labelledby="pd-idle">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Length</th>
                  <th scope="col">Cause</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {day.idle.map((i) => (
                  <tr key={i.recordId}>
                    <td>{i.startLabel}</td>
                    <td>{i.endLabel}</td>
                    <td>{formatDuration(i.ms)}</td>
                    <td>{CAUSE_TEXT[i.cause]}</td>
                    <td>
                      <span className={`decision decision-${i.decision}`}>{DECISION_TEXT[i.decision]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="pd-apps">
          <h2 id="pd-apps">Apps and windows</h2>
          {day.apps.length === 0 ? (
            <p className="muted">No app use recorded.</p>
          ) : (
            <ul className="app-list">
              {day.apps.map((a) => (
                <li key={a.app}>
                  <details>
                    <summary>
                      <span className="app-name">{a.app}</span> <span className="num">{formatDuration(a.ms)}</span>
                    </summary>
                    <ul className="title-list small">
                      {a.titles.map((t) => (
                        <li key={t.title}>
                          <span>{t.title || <span className="muted">(no title)</span>}</span>{' '}
                          <span className="num">{formatDuration(t.ms)}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                </li>
              ))}
            </ul>
          )}
          {day.attendance.firstIn !== undefined && (
            <p className="small muted">
              First in {formatTime(day.attendance.firstIn, day.timeZone)}
              {day.attendance.lastOut !== undefined && `, last out ${formatTime(day.attendance.lastOut, day.timeZone)}`}
            </p>
          )}
        </section>
      </div>
    </section>
  );
}
