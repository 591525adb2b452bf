import type { IntegrityAlertView } from '../views/integrity-alerts.js';
import { formatTime } from './format.js';

/** Integrity alerts, most serious first within the given order. */
export function AlertList({
  alerts,
  timeZone,
  empty = 'No integrity alerts.',
}: {
  alerts: readonly IntegrityAlertView[];
  timeZone: string;
  empty?: string;
}) {
  if (alerts.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="alert-list">
      {alerts.map((a, i) => (
        <li key={`${a.recordId ?? a.deviceId}-${i}`} className={`alert alert-${a.severity}`}>
          <span className="alert-severity">
            {a.severity === 'critical' ? 'Critical' : a.severity === 'warning' ? 'Warning' : 'Note'}
          </span>
          <time>{formatTime(a.at, timeZone)}</time>
          <span className="alert-text">{a.text}</span>
          <span className="muted">{a.deviceId}</span>
        </li>
      ))}
    </ul>
  );
}

export function ActivityMeter({ percent, label }: { percent: number | null; label?: string }) {
  return (
    <span
      className="meter"
      role="img"
      aria-label={`${label ?? 'Activity'} ${percent === null ? 'not tracked' : `${percent} percent`}`}
    >
      <span className="meter-track">
        <span className="meter-fill" style={{ width: `${percent ?? 0}%` }} />
      </span>
      <span className="meter-value">{percent === null ? '—' : `${percent} %`}</span>
    </span>
  );
}
