/**
 * Privacy requests (screen 8): choose a person, see exactly what their data
 * amounts to, export it as JSON, or erase them — behind a statement of what
 * is lost and their id typed in full. PrivacyPanel only shows; PrivacyScreen
 * feeds it from the API.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AdminApi, EraseResult, Person, PrivacySummary } from '../../api/admin-api.js';
import { downloadText } from './csv-download.js';
import { formatDate } from './format.js';

export type PrivacyMessage = { kind: 'ok' | 'error'; text: string };

export type PrivacyPanelProps = {
  people: Person[];
  selected: string | null;
  onSelect: (employeeId: string) => void;
  summary: PrivacySummary | null;
  /** Admins erase; HR exports only (what HR can open). */
  canErase: boolean;
  confirmText: string;
  onConfirmText: (text: string) => void;
  busy: boolean;
  message: PrivacyMessage | null;
  onExport: (includeThumbnails: boolean) => void;
  onErase: () => void;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What erasure destroys, in words, from the counts. */
export function lossStatement(s: PrivacySummary): string {
  const span = s.from && s.to ? ` over ${plural(s.days, 'day')} from ${formatDate(s.from)} to ${formatDate(s.to)}` : '';
  const kinds = Object.entries(s.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const hidden = s.cannotOpen > 0 ? ` and ${plural(s.cannotOpen, 'record')} sealed to keys you do not hold` : '';
  return (
    `Erasing ${s.employeeId} destroys ${plural(s.records, 'record')}${hidden}${span}` +
    `${kinds ? ` (${kinds})` : ''}, including ${plural(s.screenshots, 'screenshot')} and their images, ` +
    `on the server and in this app; their key ring is destroyed, their ${plural(s.devices, 'device')} revoked and their accounts disabled. This cannot be undone.`
  );
}

export function PrivacyPanel(p: PrivacyPanelProps) {
  const s = p.summary;
  const confirmed = s !== null && p.confirmText === s.employeeId;
  return (
    <section className="view privacy" aria-labelledby="privacy-title">
      <header className="view-header">
        <h1 id="privacy-title">Privacy requests</h1>
      </header>
      <label className="privacy-person">
        Person{' '}
        <select value={p.selected ?? ''} onChange={(e) => p.onSelect(e.target.value)} aria-label="Person">
          <option value="" disabled>
            Choose a person
          </option>
          {p.people.map((x) => (
            <option key={x.employeeId} value={x.employeeId}>
              {x.displayName}
              {x.teamId ? ` (${x.teamId})` : ''}
            </option>
          ))}
        </select>
      </label>
      {p.message && (
        <p
          role={p.message.kind === 'error' ? 'alert' : 'status'}
          className={p.message.kind === 'error' ? 'error' : 'notice'}
        >
          {p.message.text}
        </p>
      )}
      {p.selected && !s && <p className="muted">Counting their records…</p>}
      {s && (
        <>
          <section className="privacy-card" aria-label="Their data">
            <h2>Their data in this app</h2>
            <dl className="privacy-counts">
              <dt>Records</dt>
              <dd>{s.records}</dd>
              <dt>Screenshots</dt>
              <dd>{s.screenshots}</dd>
              <dt>Days</dt>
              <dd>
                {s.days}
                {s.from && s.to ? ` (${formatDate(s.from)} – ${formatDate(s.to)})` : ''}
              </dd>
              <dt>Devices</dt>
              <dd>{s.devices}</dd>
              {s.cannotOpen > 0 && (
                <>
                  <dt>Sealed to other keys</dt>
                  <dd>{s.cannotOpen}</dd>
                </>
              )}
            </dl>
          </section>
          <section className="privacy-card" aria-label="Export">
            <h2>Export (JSON)</h2>
            <p className="small muted">
              Every record of theirs this role can open, decrypted, with screenshot metadata. Full images stay sealed on
              the server.
            </p>
            <button type="button" disabled={p.busy} onClick={() => p.onExport(false)}>
              Export their data
            </button>{' '}
            <button type="button" disabled={p.busy} onClick={() => p.onExport(true)}>
              Export with thumbnails
            </button>
          </section>
          {p.canErase && (
            <section className="privacy-card privacy-erase" aria-label="Erase">
              <h2>Erase this person</h2>
              <p className="privacy-loss">{lossStatement(s)}</p>
              <label>
                Type <strong>{s.employeeId}</strong> to confirm{' '}
                <input
                  value={p.confirmText}
                  onChange={(e) => p.onConfirmText(e.target.value)}
                  aria-label="Type the person's id to confirm"
                  autoComplete="off"
                  spellCheck={false}
                />
              </label>{' '}
              <button type="button" className="danger" disabled={!confirmed || p.busy} onClick={p.onErase}>
                Erase {s.employeeId}
              </button>
            </section>
          )}
        </>
      )}
    </section>
  );
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

function erasedText(r: EraseResult): string {
  return `${r.employeeId} was erased: ${plural(r.serverDocsPurged, 'server document')} purged, ${plural(r.databasesDeleted.length, 'database')} deleted, ${plural(r.devicesRevoked, 'device')} revoked, ${plural(r.accountsDisabled.length, 'account')} disabled, ${plural(r.replicaRemoved, 'record')} and ${plural(r.imagesRemoved, 'cached image')} removed from this app.`;
}

export function PrivacyScreen({ api, role }: { api: AdminApi; role: string }) {
  const [people, setPeople] = useState<Person[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [summary, setSummary] = useState<PrivacySummary | null>(null);
  const [confirmText, setConfirmText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<PrivacyMessage | null>(null);
  const loadPeople = useCallback(
    () => api.request('people', {}).then(setPeople, (e: unknown) => setMessage({ kind: 'error', text: describe(e) })),
    [api],
  );
  useEffect(() => {
    void loadPeople();
  }, [loadPeople]);
  useEffect(() => {
    setSummary(null);
    setConfirmText('');
    if (!selected) return;
    let live = true;
    api.request('privacySummary', { employeeId: selected }).then(
      (s) => live && setSummary(s),
      (e: unknown) => live && setMessage({ kind: 'error', text: describe(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, selected]);
  const onExport = (includeThumbnails: boolean) => {
    if (!selected) return;
    setBusy(true);
    setMessage(null);
    api
      .request('privacyExport', { employeeId: selected, includeThumbnails })
      .then(
        (r) => {
          downloadText(r.json, r.fileName, 'application/json');
          setMessage({ kind: 'ok', text: `Exported ${plural(r.records, 'record')} to ${r.fileName}` });
        },
        (e: unknown) => setMessage({ kind: 'error', text: describe(e) }),
      )
      .finally(() => setBusy(false));
  };
  const onErase = () => {
    if (!selected) return;
    setBusy(true);
    setMessage(null);
    api
      .request('privacyErase', { employeeId: selected, confirm: confirmText })
      .then(
        (r) => {
          setMessage({ kind: 'ok', text: erasedText(r) });
          setSelected(null);
          void loadPeople();
        },
        (e: unknown) => setMessage({ kind: 'error', text: describe(e) }),
      )
      .finally(() => setBusy(false));
  };
  return (
    <PrivacyPanel
      people={people}
      selected={selected}
      onSelect={(id) => {
        setMessage(null);
        setSelected(id);
      }}
      summary={summary}
      canErase={role === 'admin' || role === 'super-admin'}
      confirmText={confirmText}
      onConfirmText={setConfirmText}
      busy={busy}
      message={message}
      onExport={onExport}
      onErase={onErase}
    />
  );
}
