/** Today at a glance: totals, then one row per person (virtualised: organisations can be large). */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Dashboard, DashboardRow } from '@sealtime/shared';
import { ActivityMeter } from './AlertList.js';
import {
  formatAgo,
  formatDate,
  formatDateTime,
  formatDuration,
  formatHm,
  formatPercent,
  formatTime,
} from './format.js';

export type DashboardViewProps = {
  dashboard: Dashboard;
  onOpenPerson: (employeeId: string) => void;
};

const STATUS_TEXT = { working: 'Working', 'on-break': 'On break', offline: 'Offline' } as const;
const ROW_HEIGHT = 56;

function Row({ row, now, onOpenPerson }: { row: DashboardRow; now: number; onOpenPerson: (id: string) => void }) {
  const firstAlert = row.alerts.find((a) => a.severity === 'critical') ?? row.alerts[0];
  return (
    <div role="row" className="grid-row dashboard-row">
      <div role="cell">
        <button type="button" className="link-button" onClick={() => onOpenPerson(row.employeeId)}>
          {row.name}
        </button>
      </div>
      <div role="cell">
        <span className={`status status-${row.status}`}>{STATUS_TEXT[row.status]}</span>
        {row.statusSince !== undefined &&
          (row.staleSession ? (
            <span className="warn-text small" title="Clocked in since before today: a clock-out may be missing">
              {' '}
              since {formatDateTime(row.statusSince, row.timeZone)}
            </span>
          ) : (
            <span className="muted small"> since {formatTime(row.statusSince, row.timeZone)}</span>
          ))}
      </div>
      <div role="cell" className="num">
        {formatHm(row.workedMs)}
      </div>
      <div role="cell">
        <ActivityMeter percent={row.activityPercent} />
      </div>
      <div role="cell" className="small">
        {row.lastSeen === undefined ? <span className="muted">Never</span> : formatAgo(now - row.lastSeen)}
      </div>
      <div role="cell" className="small">
        {row.silentDevices.length > 0 ? (
          <span className="warn-text">Silent: {row.silentDevices.join(', ')}</span>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="cell" className="small">
        {firstAlert ? (
          <span
            className={`alert-inline alert-${firstAlert.severity}`}
            title={row.alerts.map((a) => a.text).join('\n')}
          >
            {row.alerts.length > 1 ? `${row.alerts.length} alerts: ` : ''}
            {firstAlert.text}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
    </div>
  );
}

export function DashboardView({ dashboard, onOpenPerson }: DashboardViewProps) {
  const { totals, rows } = dashboard;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // before layout (and when rendered to a string) show the first screenful
    initialRect: { width: 1200, height: 12 * ROW_HEIGHT },
  });
  return (
    <section className="view dashboard" aria-labelledby="dashboard-title">
      <header className="view-header">
        <h1 id="dashboard-title">Today</h1>
        <p className="muted">{formatDate(dashboard.date)}</p>
      </header>
      <dl className="stats">
        <div className="stat">
          <dt>Working</dt>
          <dd>{totals.working}</dd>
        </div>
        <div className="stat">
          <dt>On break</dt>
          <dd>{totals.onBreak}</dd>
        </div>
        <div className="stat">
          <dt>Offline</dt>
          <dd>{totals.offline}</dd>
        </div>
        <div className="stat">
          <dt>Worked today</dt>
          <dd>{formatDuration(totals.workedMs)}</dd>
        </div>
        <div className="stat">
          <dt>Activity</dt>
          <dd>{formatPercent(totals.activityPercent)}</dd>
        </div>
        <div
          className={`stat ${totals.criticalAlerts > 0 ? 'stat-critical' : totals.alerts > 0 ? 'stat-warning' : ''}`}
        >
          <dt>Integrity alerts</dt>
          <dd>
            {totals.alerts}
            {totals.criticalAlerts > 0 && <span className="small"> ({totals.criticalAlerts} critical)</span>}
          </dd>
        </div>
        <div className={`stat ${totals.silentDevices > 0 ? 'stat-warning' : ''}`}>
          <dt>Silent devices</dt>
          <dd>{totals.silentDevices}</dd>
        </div>
      </dl>
      <div role="table" aria-label={`People (${totals.people})`} aria-rowcount={rows.length + 1} className="grid-table">
        <div role="rowgroup">
          <div role="row" className="grid-row dashboard-row grid-head">
            <div role="columnheader">Person</div>
            <div role="columnheader">Status</div>
            <div role="columnheader" className="num">
              Worked
            </div>
            <div role="columnheader">Activity</div>
            <div role="columnheader">Last seen</div>
            <div role="columnheader">Devices</div>
            <div role="columnheader">Alerts</div>
          </div>
        </div>
        {rows.length === 0 ? (
          <p className="empty">No people to show.</p>
        ) : (
          <div role="rowgroup" ref={scrollRef} className="grid-scroll" tabIndex={0} aria-label="People list">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => (
                <div
                  key={item.key}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: item.size,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <Row row={rows[item.index]!} now={dashboard.now} onOpenPerson={onOpenPerson} />
                </div>
              ))}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
