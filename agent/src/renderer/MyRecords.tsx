/**
 * "What was recorded about me": the employee opens their records with their
 * key ring and passphrase (decrypted in main, on this computer), then reads
 * them a day at a time through the same view model and timeline a reviewer
 * uses (buildPersonDay + PersonDayView), screenshots full size, each day's
 * records as stored folded below.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { buildPersonDay, manualEntriesOf, type OpenedRecord, type ProductivityRuleSet } from '@sealtime/shared/views';
import { ManualTimeList, PersonDayView, formatTime } from '@sealtime/shared/ui';
import { settle, type AgentBridge } from './bridge.js';
import { localDate, whenText } from './local-time.js';
import { MyProductivity } from './MyProductivity.js';
import { kindsText, recordLine, recordTime, type RecordedItem, type RecordedView } from './privacy-view.js';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The records a view model can read: those that opened. */
export function openedRecords(v: RecordedView): OpenedRecord[] {
  return v.records
    .filter((r) => r.payload !== null && !r.kind.startsWith('class:'))
    .map(
      (r) =>
        ({
          id: `${v.deviceId}:${r.seq}`,
          deviceId: v.deviceId,
          employeeId: v.employeeId ?? 'me',
          seq: r.seq,
          kind: r.kind,
          createdAt: r.createdAt,
          payload: r.payload,
          integrity: 'ok',
        }) as OpenedRecord,
    );
}

/** The record's JSON as stored, with the sealed-in thumbnail's base64 shortened to its size (it is shown as a picture). */
export function rawJson(payload: unknown): string {
  return JSON.stringify(
    payload,
    (key, value: unknown) =>
      key === 'thumb' && typeof value === 'string'
        ? `(thumbnail image, ${Math.round((value.length * 3) / 4 / 1024)} KB)`
        : value,
    1,
  );
}

function Opened({
  view,
  timeZone,
  api,
  rules,
}: {
  view: RecordedView;
  timeZone: string;
  api: AgentBridge;
  rules: readonly ProductivityRuleSet[];
}) {
  const dates = useMemo(
    () => [...new Set(view.records.map((r) => localDate(recordTime(r), timeZone)))].sort(),
    [view, timeZone],
  );
  const [date, setDate] = useState(dates.at(-1) ?? localDate(Date.now(), timeZone));
  const [shot, setShot] = useState<RecordedItem | null>(null);
  const [message, setMessage] = useState('');
  const opened = useMemo(() => openedRecords(view), [view]);
  const day = useMemo(
    () =>
      buildPersonDay({
        employee: { id: view.employeeId ?? 'me', name: 'You', timeZone },
        date,
        timeZone,
        records: opened,
        now: Date.now(),
      }),
    [opened, date, timeZone, view.employeeId],
  );
  // manual time as its own band: entries touching this day, with the decision the inbox brought
  const manual = useMemo(
    () =>
      manualEntriesOf(
        opened,
        (view.manualDecisions ?? []).map((d) => ({ ...d, employeeId: view.employeeId ?? 'me' })),
      ).filter((e) => e.start < day.end && e.end > day.start),
    [opened, view, day],
  );
  const ofDay = view.records.filter((r) => localDate(recordTime(r), timeZone) === date);
  const problems = view.records.filter((r) => r.problem !== null);
  const s = view.summary;
  const earlier = dates.filter((d) => d < date).at(-1);
  const later = dates.find((d) => d > date);

  const openShot = (recordId: string) => {
    const seq = Number(recordId.slice(recordId.lastIndexOf(':') + 1));
    setShot(view.records.find((r) => r.seq === seq) ?? null);
  };
  const doExport = () => {
    void settle(() => api.exportRecorded()).then((r) => {
      if (!r.ok) setMessage(`Not saved: ${r.error.message}`);
      else if (r.value.saved) setMessage(`Saved ${count(r.value.records, 'record')} to ${r.value.fileName}.`);
    });
  };

  return (
    <>
      <p id="records-summary">
        {count(s.records, 'record')} on this computer, {s.readable === s.records ? 'all' : s.readable} readable with
        your key: {kindsText(s.byKind)}.{' '}
        {s.images > 0 &&
          (s.imagesVerified === s.images
            ? `Every screenshot matches its record. `
            : `${s.images - s.imagesVerified} of ${count(s.images, 'screenshot')} do not match their record. `)}
        Opened at {whenText(view.exportedAt, Date.now(), timeZone)}.
      </p>
      <p id="chain" className={view.chain.ok ? 'tone-ok' : 'tone-problem'}>
        {view.chain.ok
          ? `Nothing missing or altered: ${count(view.chain.verified, 'signature')} checked.`
          : `The chain of records has ${count(view.chain.issues.length, 'problem')}: records are missing or were altered.`}
        {!view.chain.ok && (
          <details className="detail">
            <summary>Technical details</summary>
            <code>{view.chain.issues.join('\n')}</code>
          </details>
        )}
      </p>
      {problems.length > 0 && (
        <ul className="problems" id="record-problems">
          {problems.slice(0, 20).map((r) => (
            <li key={r.seq} className="tone-warning">
              {whenText(r.createdAt, Date.now(), timeZone)}: {r.problem}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <span className="muted">Days with records:</span>
        <button type="button" onClick={() => earlier && setDate(earlier)} disabled={!earlier}>
          ← Earlier day with records
        </button>
        <button type="button" onClick={() => later && setDate(later)} disabled={!later}>
          Later day with records →
        </button>
        <button type="button" onClick={doExport}>
          Save all as a file…
        </button>
      </div>
      <p className="message" role="status">
        {message}
      </p>
      <PersonDayView day={day} title="Your day" onDate={setDate} onOpenScreenshot={openShot} />
      <ManualTimeList entries={manual} timeZone={timeZone} />
      <MyProductivity
        records={opened}
        rules={rules}
        date={date}
        today={localDate(Date.now(), timeZone)}
        timeZone={timeZone}
      />
      <details className="raw" id="raw-records">
        <summary>The {count(ofDay.length, 'record')} of this day, as stored</summary>
        <ol className="raw-list">
          {ofDay.map((r) => (
            <li key={r.seq}>
              <details>
                <summary>
                  <time>{formatTime(recordTime(r), timeZone)}</time> {recordLine(r)}
                  {r.problem && <span className="tone-warning"> — {r.problem}</span>}
                </summary>
                <pre>{r.payload === null ? '(not readable with your key)' : rawJson(r.payload)}</pre>
              </details>
            </li>
          ))}
        </ol>
      </details>
      {shot && <ShotOverlay item={shot} timeZone={timeZone} onClose={() => setShot(null)} />}
    </>
  );
}

function ShotOverlay({ item, timeZone, onClose }: { item: RecordedItem; timeZone: string; onClose: () => void }) {
  const p = item.payload as { thumb?: string; width?: number; height?: number; blurred?: boolean } | null;
  const thumb = p?.thumb ? (p.thumb.startsWith('data:image/') ? p.thumb : `data:image/webp;base64,${p.thumb}`) : null;
  const src = item.image?.src ?? null;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Screenshot"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="overlay-bar">
        <span>
          Screenshot at {whenText(recordTime(item), Date.now(), timeZone)}
          {p?.blurred ? ', blurred' : ''}
          {p?.width ? `, ${p.width}×${p.height}` : ''}
        </span>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <div className="overlay-image">
        {src ? (
          <img src={src} alt={`Screenshot at ${whenText(recordTime(item), Date.now(), timeZone)}`} id="full-shot" />
        ) : (
          <div>
            {thumb && <img src={thumb} alt="Thumbnail" />}
            <p>
              {item.image && !item.image.verified
                ? 'The stored image does not match its record, so it is not shown.'
                : 'Only your newest screenshots open full size here; "Save all as a file…" keeps the rest of your records.'}
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

export function MyRecords({
  api,
  timeZone,
  rules = [],
  onOpened,
}: {
  api: AgentBridge;
  timeZone: string;
  /** the verified productivity rule sets this agent holds (status) */
  rules?: readonly ProductivityRuleSet[];
  /** told the records once they opened (the status says today's productivity from them) */
  onOpened?: (records: OpenedRecord[]) => void;
}) {
  const [keyring, setKeyring] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);
  const [view, setView] = useState<RecordedView | null>(null);

  const choose = () => {
    void settle(() => api.chooseKeyring()).then((r) => {
      if (!r.ok) setMessage({ text: r.error.message, problem: true });
      else if (r.value) setKeyring(r.value.fileName);
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = passphrase;
    setPassphrase(''); // not kept in the page longer than the request
    setMessage({ text: 'Opening your records…', problem: false });
    void settle(() => api.loadRecorded(p)).then((r) => {
      if (!r.ok) return setMessage({ text: `Your records did not open: ${r.error.message}`, problem: true });
      setMessage(null);
      setView(r.value);
      onOpened?.(openedRecords(r.value));
    });
  };

  return (
    <section aria-labelledby="records-title" className="my-records">
      <h2 id="records-title">What was recorded about me</h2>
      <p className="hint">
        Your records are sealed on this computer, and only you and the reviewers your organisation names can open them.
        To read them here, type the passphrase of your key ring: it reaches this computer through your organisation's
        server, locked so that only your passphrase opens it, and your records are decrypted on this computer only.
      </p>
      <form className="unlock" onSubmit={submit}>
        <label>
          Passphrase{' '}
          <input
            type="password"
            id="passphrase"
            autoComplete="off"
            maxLength={1024}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        <button type="submit" id="show" className="primary" disabled={passphrase.length === 0}>
          Show my records
        </button>
        <span className="muted small">
          Key ring: <span id="keyring">{keyring ?? "from your organisation's server"}</span>{' '}
          <button type="button" onClick={choose} id="choose" className="link-button">
            {keyring ? 'Choose another file…' : 'Use a key ring file instead…'}
          </button>
        </span>
      </form>
      {message && (
        <p id="records-message" className={message.problem ? 'message tone-problem' : 'message'} role="status">
          {message.text}
        </p>
      )}
      {view && <Opened view={view} timeZone={timeZone} api={api} rules={rules} />}
    </section>
  );
}
