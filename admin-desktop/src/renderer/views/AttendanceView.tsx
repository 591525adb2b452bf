/**
 * Attendance: daily rows against each person's schedule (in their own time
 * zone, named with where it came from), weekly and monthly totals per person
 * (tabs), one row per person for a team, and the correction requests, each
 * pending one with Approve / Reject and a reason for the decision. Late,
 * early, absent and holiday dates are marked in words, not by colour alone.
 */
import { useState } from 'react';
import type { AttendanceSheet, CorrectionView, PersonSheet, SheetDay, SheetPeriod } from '@sealtime/shared';
import { formatDate, formatHm, formatShortDate, formatTime } from './format.js';

/** Right-aligned column heads of figures. */
const numHeads = (labels: readonly string[]) =>
  labels.map((l) => (
    <th key={l} scope="col" className="num">
      {l}
    </th>
  ));

export type AttendanceTab = 'daily' | 'weekly' | 'monthly';
export type OutboxMark = { lastError: string | null; state: 'waiting' | 'refused' | 'sent' };
const MARK_TEXT = {
  waiting: 'Waiting to sync',
  refused: 'Refused by the server',
  sent: 'Sent: the device has not confirmed yet',
} as const;

export type AttendanceViewProps = {
  sheet: AttendanceSheet;
  initialTab?: AttendanceTab;
  onDecide: (decision: {
    requestId: string;
    employeeId: string;
    decision: 'approved' | 'rejected';
    reason: string;
  }) => void;
  onOpenDay?: (employeeId: string, date: string) => void;
  /** Decisions from the outbox by request id: waiting to sync, refused, or sent (until the device's record shows it). */
  waiting?: ReadonlyMap<string, OutboxMark>;
};

const TABS: [AttendanceTab, string][] = [
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
];
const CHANGE_TEXT = { add: 'Add', remove: 'Remove', move: 'Move' } as const;
const EVENT_TEXT = {
  'clock-in': 'clock-in',
  'clock-out': 'clock-out',
  'break-start': 'break start',
  'break-end': 'break end',
} as const;

const dash = (ms: number) => (ms > 0 ? formatHm(ms) : '—');
const ZONE_TEXT = {
  schedule: 'schedule’s zone',
  device: 'zone of their device',
  reviewer: 'your zone: no schedule or device zone known',
} as const;

function rowClass(d: SheetDay): string {
  if (d.absent) return 'row-absent';
  if (d.holiday) return 'row-holiday';
  if (d.lateMs > 0 || d.earlyLeaveMs > 0) return 'row-late';
  return d.expectedMs === 0 && d.workedMs === 0 ? 'row-off' : '';
}

function DailyTable({ person, onOpenDay }: { person: PersonSheet; onOpenDay?: AttendanceViewProps['onOpenDay'] }) {
  return (
    <table className="table attendance-table">
      <caption className="sr-only">Daily attendance of {person.name}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Schedule</th>
          <th scope="col">First in</th>
          <th scope="col">Last out</th>
          {numHeads(['Breaks', 'Expected', 'Worked', 'Late', 'Left early', 'Overtime'])}
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {person.days.map((d) => (
          <tr key={d.date} className={rowClass(d)} data-date={d.date}>
            <th scope="row">
              {onOpenDay ? (
                <button type="button" className="link-button" onClick={() => onOpenDay(person.employeeId, d.date)}>
                  {formatShortDate(d.date)}
                </button>
              ) : (
                formatShortDate(d.date)
              )}
            </th>
            <td className="small" title={d.scheduleSource ? `set by ${d.scheduleSource}` : 'no schedule applies'}>
              {d.holiday ? 'Holiday' : d.shifts.length > 0 ? d.shifts.join(', ') : '—'}
            </td>
            <td>{d.firstInLabel ?? '—'}</td>
            <td>{d.lastOutLabel ?? '—'}</td>
            <td className={`num ${d.breakOverMs > 0 ? 'warn-text' : ''}`}>{dash(d.breakMs)}</td>
            <td className="num">{dash(d.expectedMs)}</td>
            <td className="num">{dash(d.workedMs)}</td>
            <td className={`num ${d.lateMs > 0 ? 'warn-text' : ''}`}>{dash(d.lateMs)}</td>
            <td className={`num ${d.earlyLeaveMs > 0 ? 'warn-text' : ''}`}>{dash(d.earlyLeaveMs)}</td>
            <td className="num">{dash(d.overtimeMs)}</td>
            <td className="small">
              {d.absent && <span className="badge badge-absent">Absent</span>}
              {d.lateMs > 0 && <span className="badge badge-late">Late</span>}
              {d.earlyLeaveMs > 0 && <span className="badge badge-late">Left early</span>}
              {d.holiday && <span className="badge badge-holiday">Holiday</span>}
              {d.breakOverMs > 0 && <span className="badge badge-late">Break +{formatHm(d.breakOverMs)}</span>}
              {d.corrected && <span className="badge">Corrected</span>}
              {d.anomalies.map((a, i) => (
                <span key={i} className="warn-text">
                  {' '}
                  {a.detail}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PeriodTable({
  person,
  periods,
  label,
}: {
  person: PersonSheet;
  periods: readonly SheetPeriod[];
  label: string;
}) {
  return (
    <table className="table attendance-table">
      <caption className="sr-only">
        {label} totals of {person.name}
      </caption>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          {numHeads(['Days worked', 'Absent', 'Expected', 'Worked', 'Late', 'Left early', 'Overtime', 'Breaks over'])}
        </tr>
      </thead>
      <tbody>
        {periods.map((p) => (
          <tr key={p.key}>
            <th scope="row">
              {p.key}{' '}
              <span className="muted small">
                ({formatShortDate(p.from)} – {formatShortDate(p.to)})
              </span>
            </th>
            <td className="num">{p.daysWorked}</td>
            <td className={`num ${p.absentDays > 0 ? 'warn-text' : ''}`}>{p.absentDays}</td>
            <td className="num">{dash(p.expectedMs)}</td>
            <td className="num">{dash(p.workedMs)}</td>
            <td className={`num ${p.lateMs > 0 ? 'warn-text' : ''}`}>{dash(p.lateMs)}</td>
            <td className={`num ${p.earlyLeaveMs > 0 ? 'warn-text' : ''}`}>{dash(p.earlyLeaveMs)}</td>
            <td className="num">{dash(p.overtimeMs)}</td>
            <td className="num">{dash(p.breakOverMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One row per person of the chosen team: the period's totals side by side. */
function TeamTable({ people }: { people: readonly PersonSheet[] }) {
  return (
    <table className="table attendance-team">
      <caption className="sr-only">Totals per person</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Time zone</th>
          {numHeads(['Expected', 'Worked', 'Overtime', 'Late days', 'Left early', 'Absent'])}
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.employeeId} className={p.totals.absentDays > 0 ? 'row-absent' : ''}>
            <th scope="row">{p.name}</th>
            <td className="small">{p.timeZone}</td>
            <td className="num">{dash(p.totals.expectedMs)}</td>
            <td className="num">{dash(p.totals.workedMs)}</td>
            <td className="num">{dash(p.totals.overtimeMs)}</td>
            <td className={`num ${p.totals.lateDays > 0 ? 'warn-text' : ''}`}>{p.totals.lateDays}</td>
            <td className={`num ${p.totals.earlyDays > 0 ? 'warn-text' : ''}`}>{p.totals.earlyDays}</td>
            <td className={`num ${p.totals.absentDays > 0 ? 'warn-text' : ''}`}>{p.totals.absentDays}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CorrectionItem({
  c,
  timeZone,
  onDecide,
  waiting,
}: {
  c: CorrectionView & { employeeName: string };
  timeZone: string;
  onDecide: AttendanceViewProps['onDecide'];
  waiting?: OutboxMark | undefined;
}) {
  // a sent decision is marked only until the request shows as decided in the synced records
  const mark = waiting && (waiting.state !== 'sent' || c.status === 'pending') ? waiting : undefined;
  const [reason, setReason] = useState('');
  const inputId = `reason-${c.requestId}`;
  const what = `${CHANGE_TEXT[c.change]} ${EVENT_TEXT[c.eventType]}${c.at !== undefined ? ` at ${formatTime(c.at, timeZone)}` : ''}`;
  return (
    <li className={`correction correction-${c.status}`}>
      <div>
        <strong>{c.employeeName}</strong> · {formatDate(c.date)} · {what}
        <p className="small">“{c.reason}”</p>
      </div>
      {mark ? (
        <p className="small outbox-mark">
          <span className={`badge badge-${mark.state}`}>{MARK_TEXT[mark.state]}</span>
          {mark.lastError && mark.state !== 'sent' && <span className="muted"> {mark.lastError}</span>}
        </p>
      ) : c.status === 'pending' ? (
        <form className="decision-form" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={inputId}>Reason for the decision</label>
          <input id={inputId} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button
            type="button"
            className="primary"
            onClick={() => onDecide({ requestId: c.requestId, employeeId: c.employeeId, decision: 'approved', reason })}
          >
            Approve
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => onDecide({ requestId: c.requestId, employeeId: c.employeeId, decision: 'rejected', reason })}
          >
            Reject
          </button>
        </form>
      ) : (
        <p className="small">
          <span className={`badge badge-${c.status}`}>{c.status === 'approved' ? 'Approved' : 'Rejected'}</span>
          {c.decidedBy && ` by ${c.decidedBy}`}
          {c.decidedAt !== undefined && ` at ${formatTime(c.decidedAt, timeZone)}`}
          {c.comment && ` — ${c.comment}`}
        </p>
      )}
    </li>
  );
}

export function AttendanceView({ sheet, initialTab = 'daily', onDecide, onOpenDay, waiting }: AttendanceViewProps) {
  const [tab, setTab] = useState<AttendanceTab>(initialTab);
  const [team, setTeam] = useState('');
  const teams = [...new Set(sheet.people.flatMap((p) => (p.teamId ? [p.teamId] : [])))].sort();
  const shown = team ? sheet.people.filter((p) => p.teamId === team) : sheet.people;
  const zoneOf = (employeeId: string) => sheet.people.find((p) => p.employeeId === employeeId)?.timeZone ?? 'UTC';
  return (
    <section className="view attendance" aria-labelledby="attendance-title">
      <header className="view-header">
        <div>
          <h1 id="attendance-title">Attendance</h1>
          <p className="muted">
            {formatDate(sheet.from)} – {formatDate(sheet.to)}
          </p>
        </div>
        {teams.length > 0 && (
          <label className="team-filter">
            Team{' '}
            <select value={team} onChange={(e) => setTeam(e.target.value)}>
              <option value="">Everyone</option>
              {teams.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>

      {sheet.refusedSchedules.length > 0 && (
        <div role="alert" className="integrity-problem">
          <strong>Schedules refused (not used):</strong>
          <ul>
            {sheet.refusedSchedules.map((r) => (
              <li key={r.id}>
                <code>{r.id}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      {shown.length > 1 && <TeamTable people={shown} />}

      <section aria-labelledby="corrections-title">
        <h2 id="corrections-title">
          Correction requests{' '}
          {sheet.pendingCorrections > 0 && (
            <span className="badge badge-pending">{sheet.pendingCorrections} pending</span>
          )}
        </h2>
        {sheet.corrections.length === 0 ? (
          <p className="muted">No correction requests in this period.</p>
        ) : (
          <ul className="corrections">
            {sheet.corrections.map((c) => (
              <CorrectionItem
                key={c.requestId}
                c={c}
                timeZone={zoneOf(c.employeeId)}
                onDecide={onDecide}
                waiting={waiting?.get(c.requestId)}
              />
            ))}
          </ul>
        )}
      </section>

      <div
        role="tablist"
        aria-label="Period"
        className="tabs"
        onKeyDown={(e) => {
          // arrow keys move between tabs (WAI-ARIA tabs pattern)
          const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (step === 0) return;
          const i = TABS.findIndex(([id]) => id === tab);
          const next = TABS[(i + step + TABS.length) % TABS.length]![0];
          setTab(next);
          e.currentTarget.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus();
        }}
      >
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls="attendance-panel"
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="attendance-panel" aria-labelledby={`tab-${tab}`}>
        {shown.map((p) => (
          <section key={p.employeeId} className="attendance-person" aria-label={p.name}>
            <h2>
              {p.name}{' '}
              <span className="muted small">
                {p.timeZone} ({ZONE_TEXT[p.zoneSource]}){!p.hasSchedule && ' · no schedule'}
              </span>
            </h2>
            <p className="small">
              Worked <strong>{formatHm(p.totals.workedMs)}</strong> of {formatHm(p.totals.expectedMs)} expected ·
              overtime {formatHm(p.totals.overtimeMs)} · {p.totals.lateDays} late · {p.totals.earlyDays} left early ·{' '}
              {p.totals.absentDays} absent
              {p.totals.holidays > 0 && ` · ${p.totals.holidays} holiday${p.totals.holidays > 1 ? 's' : ''}`}
            </p>
            {tab === 'daily' && <DailyTable person={p} {...(onOpenDay ? { onOpenDay } : {})} />}
            {tab === 'weekly' && <PeriodTable person={p} periods={p.weeks} label="Week" />}
            {tab === 'monthly' && <PeriodTable person={p} periods={p.months} label="Month" />}
          </section>
        ))}
      </div>
    </section>
  );
}
