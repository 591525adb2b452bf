// The unlocked app: navigation, the day and person being reviewed, keyboard
// (←/→ day, ↑/↓ person on the timeline), screens fed from subscriptions, sync bar.
import { ManualTimeList } from '@sealtime/shared/ui';
import { ManualSummary } from '../views/ManualSummary.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminApi, Person } from '../../api/admin-api.js';
import type { ReportGroupBy } from '@sealtime/shared';
import { AttendanceView, DashboardView, GalleryView, PersonDayView, ReportsView } from '../views/index.js';
import type { OutboxMark } from '../views/AttendanceView.js';
import { createIdleLock, DEFAULT_IDLE_LOCK_MS } from './idle-lock.js';
import { ORG_SCREENS } from './org-screens.js';
import { DayProductivityPanel, ProductivityReportPanel, ProductivityReportView } from '../views/ProductivityPanels.js';
import { printReport } from './print-report.js';
import { SyncBar } from './SyncBar.js';
import { dropThumbs, useGalleryThumbs, usePersonDayThumbs } from './thumb-batch.js';
import { useSubscription } from './use-subscription.js';

export type ReviewTab = 'dashboard' | 'timeline' | 'screenshots' | 'attendance' | 'reports';
/** A review tab, or the id of an organisation screen (org-screens.tsx). */
export type Tab = ReviewTab | `org:${string}`;
const TABS: Array<[ReviewTab, string]> = [
  ['dashboard', 'Dashboard'],
  ['timeline', 'Timeline'],
  ['screenshots', 'Screenshots'],
  ['attendance', 'Attendance'],
  ['reports', 'Reports'],
];

export const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
export const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthStart = (date: string) => `${date.slice(0, 8)}01`;
// one function for every render: the memoised Reports view is not rendered again for a new closure
const printNow = () => void printReport();

function Screen({
  api,
  tab,
  date,
  person,
  people,
  onOpenPerson,
  onDate,
  onPerson,
  showsActivity = true,
}: {
  api: AdminApi;
  tab: ReviewTab;
  /** HR reads no activity (nor app names): no productivity panels */
  showsActivity?: boolean;
  date: string;
  person: string | null;
  people: Person[];
  onOpenPerson: (id: string) => void;
  onDate: (d: string) => void;
  onPerson: (id: string) => void;
}) {
  const [openShot, setOpenShot] = useState<string | null>(null);
  const [imageUrl, setImageUrl] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [groupBy, setGroupBy] = useState<ReportGroupBy>('person');
  // the full images' links that came with the day's views: opening one then needs no request. A link
  // serves once: after it showed, the next one is fetched in the background for the next open
  const fullLinks = useRef(new Map<string, string>());
  const spentLinks = useRef(new Set<string>());
  const fetchUrl = useCallback(
    (recordId: string) => {
      setImageUrl(null);
      api.request('screenshotUrl', { recordId, size: 'full' }).then(
        (r) => setImageUrl(r.url),
        (err: unknown) => setNotice(err instanceof Error ? err.message : String(err)),
      );
    },
    [api],
  );
  const open = useCallback(
    (recordId: string) => {
      setOpenShot(recordId);
      setNotice(null);
      const link = fullLinks.current.get(recordId);
      fullLinks.current.delete(recordId);
      if (link) {
        spentLinks.current.add(link);
        setImageUrl(link);
      } else fetchUrl(recordId);
    },
    [fetchUrl],
  );
  const imageShown = useCallback(() => {
    const recordId = openShot;
    if (!recordId || fullLinks.current.has(recordId)) return;
    api.request('screenshotUrl', { recordId, size: 'full' }).then(
      (r) => fullLinks.current.set(recordId, r.url),
      () => undefined, // only a head start: the next open asks again
    );
  }, [api, openShot]);
  // a link that no longer serves (expired, forgotten): ask for a fresh URL, once
  const imageFailed = useCallback(() => {
    if (openShot && imageUrl && spentLinks.current.has(imageUrl)) {
      spentLinks.current.delete(imageUrl);
      fetchUrl(openShot);
    } else setNotice('The image could not be loaded.');
  }, [fetchUrl, openShot, imageUrl]);
  useEffect(() => {
    setOpenShot(null);
    setImageUrl(null);
  }, [date, person, tab]);
  const decide = useCallback(
    (d: { requestId: string; employeeId: string; decision: 'approved' | 'rejected'; reason: string }) => {
      setNotice(null);
      api
        .request('decideCorrection', {
          requestId: d.requestId,
          employeeId: d.employeeId,
          decision: d.decision,
          ...(d.reason ? { comment: d.reason } : {}),
        })
        .then(
          (r) => setNotice(r.status === 'sent' ? `Decision sent: ${d.decision}` : 'Decision saved: waiting to sync'),
          (err: unknown) => setNotice(err instanceof Error ? err.message : String(err)),
        );
    },
    [api],
  );
  const deleteShots = useCallback(
    (params: { employeeId: string; recordId?: string; from?: string; to?: string }) => {
      if (
        params.recordId &&
        !window.confirm(
          'Delete this screenshot? It is purged on the server and removed from this app; this cannot be undone.',
        )
      )
        return;
      setNotice(null);
      setOpenShot(null);
      api.request('deleteScreenshots', params).then(
        (r) => setNotice(`${r.deleted.length} screenshot${r.deleted.length === 1 ? '' : 's'} deleted`),
        (err: unknown) => setNotice(err instanceof Error ? err.message : String(err)),
      );
    },
    [api],
  );
  const dashboard = useSubscription(api, 'dashboard', tab === 'dashboard' ? { date } : null);
  const day = useSubscription(api, 'personDay', tab === 'timeline' && person ? { employeeId: person, date } : null);
  const gallery = useSubscription(
    api,
    'gallery',
    tab === 'screenshots' && person ? { employeeId: person, date } : null,
  );
  // thumbnails as one batch per view, shown through object URLs (thumb-batch.ts)
  // (null when the view is not shown)
  const dayShown = usePersonDayThumbs(tab === 'timeline' ? day.value : null);
  const galleryShown = useGalleryThumbs(tab === 'screenshots' ? gallery.value : null);
  for (const s of [...(day.value?.screenshots ?? []), ...(gallery.value?.hours.flatMap((h) => h.shots) ?? [])])
    if (s.fullUrl && !spentLinks.current.has(s.fullUrl)) fullLinks.current.set(s.recordId, s.fullUrl);
  const sheet = useSubscription(api, 'attendance', tab === 'attendance' ? { from: monthStart(date), to: date } : null);
  const report = useSubscription(
    api,
    'report',
    tab === 'reports' ? { from: monthStart(date), to: date, groupBy } : null,
  );
  // the Reports screen's productivity over the same range, asked for at once rather than after the timesheet arrives
  const productivity = useSubscription(
    api,
    'productivityReport',
    tab === 'reports' && showsActivity ? { from: monthStart(date), to: date } : null,
  );
  const outbox = useSubscription(api, 'outbox', tab === 'attendance' ? {} : null);
  const waiting = new Map<string, OutboxMark>([
    ...(outbox.value?.delivered ?? []).flatMap((d) =>
      d.refs.map((r) => [r, { lastError: null, state: 'sent' }] as [string, OutboxMark]),
    ),
    ...(outbox.value?.items ?? []).flatMap((it) =>
      it.refs.map((r) => [r, { lastError: it.lastError, state: it.state }] as [string, OutboxMark]),
    ),
  ]);
  const live = { dashboard, timeline: day, screenshots: gallery, attendance: sheet, reports: report }[tab];
  if ((tab === 'timeline' || tab === 'screenshots') && !person) return <p className="muted">Choose a person.</p>;
  if (live.error)
    return (
      <p role="alert" className="error">
        {live.error.message}
      </p>
    );
  if (!live.value) return <p className="muted">Loading…</p>;
  const i = people.findIndex((p) => p.employeeId === person);
  const neighbour = (j: number) => (people[j] ? { id: people[j].employeeId, name: people[j].displayName } : undefined);
  const prevPerson = neighbour(i - 1);
  const nextPerson = neighbour(i + 1);
  return (
    <>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {tab === 'dashboard' && dashboard.value && (
        <DashboardView dashboard={dashboard.value} onOpenPerson={onOpenPerson} />
      )}
      {tab === 'dashboard' && dashboard.value && showsActivity && (
        <ProductivityReportPanel api={api} from={date} to={date} title="Productivity today" />
      )}
      {tab === 'timeline' && dayShown && (
        <PersonDayView
          day={dayShown}
          onDate={onDate}
          onPerson={onPerson}
          onOpenScreenshot={open}
          {...(prevPerson ? { prevPerson } : {})}
          {...(nextPerson ? { nextPerson } : {})}
        />
      )}
      {tab === 'timeline' && day.value?.manual && (
        <ManualTimeList entries={day.value.manual} timeZone={day.value.timeZone} />
      )}
      {tab === 'timeline' && day.value && person && showsActivity && (
        <DayProductivityPanel api={api} employeeId={person} date={date} />
      )}
      {tab === 'timeline' && openShot && imageUrl && (
        <img className="full-shot" src={imageUrl} alt="screenshot" onLoad={imageShown} onError={imageFailed} />
      )}
      {tab === 'screenshots' && galleryShown && (
        <GalleryView
          gallery={galleryShown}
          onOpen={open}
          onClose={() => setOpenShot(null)}
          openRecordId={openShot}
          fullImageUrl={imageUrl}
          onImageShown={imageShown}
          onImageError={imageFailed}
          onDate={onDate}
          {...(person
            ? {
                onDelete: (recordId: string) => deleteShots({ employeeId: person, recordId }),
                onDeleteRange: (from: string, to: string) => deleteShots({ employeeId: person, from, to }),
              }
            : {})}
        />
      )}
      {tab === 'attendance' && sheet.value && (
        <AttendanceView
          sheet={sheet.value}
          onDecide={decide}
          waiting={waiting}
          onOpenDay={(e, d) => {
            onPerson(e);
            onDate(d);
            onOpenPerson(e);
          }}
        />
      )}
      {tab === 'attendance' && sheet.value?.manual && (
        <ManualSummary manual={sheet.value.manual} names={new Map(people.map((p) => [p.employeeId, p.displayName]))} />
      )}
      {tab === 'reports' && report.value && (
        <ReportsView report={report.value} onGroupBy={setGroupBy} onPrint={printNow} />
      )}
      {tab === 'reports' && report.value && productivity.value && (
        <ProductivityReportView report={productivity.value} title="Productivity" />
      )}
      {tab === 'reports' && productivity.error && (
        <p role="alert" className="error-text">
          {productivity.error.message}
        </p>
      )}
    </>
  );
}

export function AppShell({ api, user, role }: { api: AdminApi; user: string; role: string }) {
  const [tab, setTab] = useState<Tab>('dashboard');
  const [date, setDate] = useState(today());
  const [people, setPeople] = useState<Person[]>([]);
  const [person, setPerson] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.request('people', {}).then((list) => {
      if (!live) return;
      setPeople(list);
      setPerson((p) => p ?? list[0]?.employeeId ?? null);
    });
    return () => {
      live = false;
    };
  }, [api]);

  // locked or signed out: the decrypted thumbnails leave the page with the keys
  useEffect(() => dropThumbs, []);

  // auto-lock: no input for a while and the keys leave memory
  useEffect(() => {
    const idle = createIdleLock({ timeoutMs: DEFAULT_IDLE_LOCK_MS, onIdle: () => void api.request('lock', {}) });
    const touch = () => idle.touch();
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const ev of events) window.addEventListener(ev, touch, { passive: true });
    return () => {
      idle.stop();
      for (const ev of events) window.removeEventListener(ev, touch);
    };
  }, [api]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement ||
        e.target instanceof HTMLTextAreaElement
      )
        return;
      if (e.key === 'ArrowLeft') setDate((d) => shiftDate(d, -1));
      else if (e.key === 'ArrowRight') setDate((d) => shiftDate(d, 1));
      else if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && tab === 'timeline' && people.length > 0) {
        e.preventDefault();
        setPerson((p) => {
          const i = people.findIndex((x) => x.employeeId === p);
          const next = Math.min(people.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)));
          return people[next]!.employeeId;
        });
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tab, people]);

  return (
    <div className="app">
      <header className="top">
        <nav aria-label="screens">
          {[
            ...TABS,
            ...ORG_SCREENS.filter((o) => o.roles.includes(role)).map((o): [Tab, string] => [`org:${o.id}`, o.label]),
          ].map(([id, label]) => (
            <button
              key={id}
              className={id === tab ? 'tab active' : 'tab'}
              aria-current={id === tab ? 'page' : undefined}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="controls">
          <button aria-label="previous day" onClick={() => setDate((d) => shiftDate(d, -1))}>
            ←
          </button>
          <input
            aria-label="date"
            type="date"
            value={date}
            onChange={(e) => e.target.value && setDate(e.target.value)}
          />
          <button aria-label="next day" onClick={() => setDate((d) => shiftDate(d, 1))}>
            →
          </button>
          <select aria-label="person" value={person ?? ''} onChange={(e) => setPerson(e.target.value)}>
            {people.map((p) => (
              <option key={p.employeeId} value={p.employeeId}>
                {p.displayName}
              </option>
            ))}
          </select>
          <span className="muted">
            {user} ({role})
          </span>
          <button className="secondary" onClick={() => void api.request('lock', {})}>
            Lock
          </button>
        </div>
      </header>
      <main>
        {tab.startsWith('org:') ? (
          (ORG_SCREENS.find((o) => `org:${o.id}` === tab)?.render({ api, role, user }) ?? null)
        ) : (
          <Screen
            api={api}
            tab={tab as ReviewTab}
            date={date}
            person={person}
            people={people}
            onOpenPerson={(id) => {
              setPerson(id);
              setTab('timeline');
            }}
            onDate={setDate}
            onPerson={setPerson}
            showsActivity={role !== 'hr'}
          />
        )}
      </main>
      <SyncBar api={api} />
    </div>
  );
}
