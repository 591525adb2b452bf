/**
 * The privacy centre: at the top, what is recorded now and what is not, in
 * words, with who set it; then the agent's status (upload backlog, server,
 * problems in words, technical text folded); then the employee's own records
 * as a day timeline (MyRecords). The status is polled; when it fails after
 * having worked, the last one is not shown as current: only the policy stays,
 * marked with its time.
 */
import { useEffect, useState } from 'react';
import type { OpenedRecord } from '@sealtime/shared/views';
import type { StatusSnapshot } from '../ipc/status-snapshot.js';
import { settle, type AgentBridge } from './bridge.js';
import { whenText } from './local-time.js';
import { MyRecords } from './MyRecords.js';
import { errorInWords, statusView, type Fact, type Tone } from './status-view.js';

export const POLL_MS = 5000;

type Polled = { last: StatusSnapshot | null; failure: { message: string; at: number } | null };

function FactList({ facts }: { facts: readonly Fact[] }) {
  return (
    <ul className="facts">
      {facts.map((f) => (
        <li key={f.label} className={`fact tone-${f.tone}`}>
          <span className="fact-label">{f.label}</span>
          <span className="fact-text">
            {f.text}
            {f.detail && (
              <details className="detail">
                <summary>Technical details</summary>
                <code>{f.detail}</code>
              </details>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

const toneClass = (t: Tone) => `headline tone-${t}`;

export function PrivacyCentre({
  api,
  timeZone,
  pollMs = POLL_MS,
}: {
  api: AgentBridge;
  timeZone: string;
  pollMs?: number;
}) {
  const [polled, setPolled] = useState<Polled>({ last: null, failure: null });
  const [own, setOwn] = useState<OpenedRecord[] | null>(null);

  useEffect(() => {
    let alive = true;
    const poll = async () => {
      const r = await settle(() => api.status());
      if (!alive) return;
      setPolled((p) =>
        r.ok
          ? { last: r.value, failure: null }
          : { last: p.last, failure: p.failure ?? { message: r.error.message, at: Date.now() } },
      );
    };
    void poll();
    const timer = setInterval(() => void poll(), pollMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api, pollMs]);

  const { last, failure } = polled;
  const view = last ? statusView(last, timeZone, own ? { records: own } : undefined) : null;
  const stale = failure !== null && last !== null;

  return (
    <main className="centre">
      <h1>Privacy centre</h1>
      <section aria-labelledby="summary-title" className="summary">
        <h2 id="summary-title" className="sr-only">
          Summary
        </h2>
        {failure ? (
          <div className={toneClass('problem')} role="alert" id="headline">
            <span className="headline-text">{`Status unavailable since ${whenText(failure.at, Date.now(), timeZone)}: ${errorInWords(failure.message)}.`}</span>
            <details className="detail">
              <summary>Technical details</summary>
              <code>{failure.message}</code>
            </details>
          </div>
        ) : view ? (
          <p className={toneClass(view.headline.tone)} id="headline">
            {view.headline.text}
          </p>
        ) : (
          <p className="headline" id="headline">
            Loading…
          </p>
        )}
        {view?.policy && (
          <div className={stale ? 'policy stale' : 'policy'} id="policy">
            {stale && (
              <p className="stale-note">
                Last known at {whenText(last!.now, Date.now(), timeZone)}; it may have changed since.
              </p>
            )}
            <p className="sentence" id="policy-sentence">
              {view.policy.sentence}.
            </p>
            <div className="recorded-columns">
              <div>
                <h3>Recorded</h3>
                <ul className="lines" id="recorded">
                  {view.policy.lines
                    .filter((l) => l.recorded)
                    .map((l) => (
                      <li key={l.topic}>
                        {l.text}. <span className="set-by">Set by {l.setBy.join(' and ')}.</span>
                      </li>
                    ))}
                </ul>
              </div>
              <div>
                <h3>Not recorded</h3>
                <ul className="lines" id="not-recorded">
                  {view.policy.lines
                    .filter((l) => !l.recorded)
                    .map((l) => (
                      <li key={l.topic}>
                        {l.text}. <span className="set-by">Set by {l.setBy.join(' and ')}.</span>
                      </li>
                    ))}
                  <li>Never which keys you press: only how many.</li>
                </ul>
              </div>
            </div>
            {view.policy.layers.length > 0 && (
              <p className="hint" id="layers">
                Settings from {view.policy.layers.join('; ')}.
              </p>
            )}
          </div>
        )}
      </section>

      {view && !stale && view.now.length + view.sync.length > 0 && (
        <section aria-labelledby="status-title">
          <h2 id="status-title">Right now</h2>
          <FactList facts={[...view.now, ...view.sync]} />
          <p className="hint">
            Your records are sealed on this computer before they are uploaded: the server stores them without being able
            to read them.
          </p>
        </section>
      )}

      <MyRecords api={api} timeZone={timeZone} rules={last?.agent?.productivityRules ?? []} onOpened={setOwn} />

      {view && view.device.length > 0 && !stale && (
        <section aria-labelledby="device-title">
          <details>
            <summary id="device-title">This computer's setup</summary>
            <dl className="rows">
              {view.device.map((r) => (
                <div key={r.label}>
                  <dt>{r.label}</dt>
                  <dd>{r.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        </section>
      )}
    </main>
  );
}
