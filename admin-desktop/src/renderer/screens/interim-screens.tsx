// Interim screens (plain tables) for the views whose React screens are not merged yet.
import type { AttendanceSheetView, DashboardView, GalleryView, PersonDayView, ReportView } from '../../api/admin-api.js';

const hm = (ms: number) => `${Math.floor(ms / 3_600_000)}h ${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function DashboardScreen({ view, onOpenPerson }: { view: DashboardView; onOpenPerson: (id: string) => void }) {
  return (
    <section className="view" aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard — {view.date}</h1>
      <table>
        <thead><tr><th>Person</th><th>Status</th><th>Worked</th><th>Activity</th><th>Alerts</th></tr></thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.employeeId} data-employee={r.employeeId}>
              <td><button className="link" onClick={() => onOpenPerson(r.employeeId)}>{r.name}</button></td>
              <td>{r.status}</td>
              <td>{hm(r.workedMs)}</td>
              <td>{r.activityPercent === null ? '—' : `${r.activityPercent}%`}</td>
              <td>{r.alerts.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function TimelineScreen({ view, onOpenScreenshot }: { view: PersonDayView; onOpenScreenshot: (id: string) => void }) {
  return (
    <section className="view" aria-labelledby="tl-title">
      <h1 id="tl-title">{view.employeeName} — {view.date}</h1>
      <p>Worked {hm(view.attendance.workedMs)} · activity {view.activity.percent === null ? '—' : `${view.activity.percent}%`}</p>
      <h2>Attendance</h2>
      <ul>{view.attendance.events.map((e) => <li key={`${e.at}-${e.type}`}>{time(e.at)} {e.label}</li>)}</ul>
      <h2>Apps</h2>
      <ul>{view.apps.map((a) => <li key={a.app}>{a.app}: {hm(a.ms)}</li>)}</ul>
      <h2>Screenshots</h2>
      <ul>{view.screenshots.map((s) => <li key={s.recordId}><button className="link" onClick={() => onOpenScreenshot(s.recordId)}>{time(s.takenAt)}</button></li>)}</ul>
    </section>
  );
}

export function GalleryScreen({ view, imageUrl, onOpen }: { view: GalleryView; imageUrl: string | null; onOpen: (id: string) => void }) {
  return (
    <section className="view" aria-labelledby="gal-title">
      <h1 id="gal-title">Screenshots — {view.employeeId} — {view.date}</h1>
      <ul className="shots">
        {view.shots.map((s) => (
          <li key={s.recordId}><button onClick={() => onOpen(s.recordId)}>{time(s.takenAt)} {s.app ?? ''}</button></li>
        ))}
      </ul>
      {view.shots.length === 0 && <p className="muted">No screenshots this day.</p>}
      {imageUrl && <img className="full-shot" src={imageUrl} alt="screenshot" />}
    </section>
  );
}

export function AttendanceScreen({ view }: { view: AttendanceSheetView }) {
  return (
    <section className="view" aria-labelledby="att-title">
      <h1 id="att-title">Attendance {view.from} – {view.to}</h1>
      <table>
        <thead><tr><th>Person</th><th>Date</th><th>Worked</th></tr></thead>
        <tbody>{view.rows.map((r) => <tr key={`${r.employeeId}-${r.date}`}><td>{r.employeeId}</td><td>{r.date}</td><td>{hm(r.workedMs)}</td></tr>)}</tbody>
      </table>
    </section>
  );
}

export function ReportScreen({ view }: { view: ReportView }) {
  return (
    <section className="view" aria-labelledby="rep-title">
      <h1 id="rep-title">Report {view.from} – {view.to}</h1>
      <table>
        <thead><tr><th>Person</th><th>Worked</th><th>Active</th></tr></thead>
        <tbody>{view.rows.map((r) => <tr key={r.employeeId}><td>{r.employeeId}</td><td>{hm(r.workedMs)}</td><td>{hm(r.activeMs)}</td></tr>)}</tbody>
      </table>
    </section>
  );
}
