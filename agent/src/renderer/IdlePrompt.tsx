/**
 * The idle prompt: one question, keep or discard, the default marked and
 * focused; main applies the answer (or the default after the timeout). The
 * status call tells whose setting the default is.
 */
import { useEffect, useState } from 'react';
import type { IdlePromptView } from '../tray/idle-prompt.js';
import { settle, type AgentBridge } from './bridge.js';
import { idleView } from './idle-view.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'none' }
  | { state: 'error'; message: string }
  | { state: 'ready'; prompt: IdlePromptView; source: string | null };

export function IdlePrompt({ api, timeZone, onDone }: { api: AgentBridge; timeZone: string; onDone: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; problem: boolean } | null>(null);

  useEffect(() => {
    void (async () => {
      const [p, s] = await Promise.all([settle(() => api.idlePrompt()), settle(() => api.status())]);
      if (!p.ok) return setLoaded({ state: 'error', message: p.error.message });
      if (!p.value) return setLoaded({ state: 'none' });
      const source = s.ok && s.value.agent ? (s.value.agent.policy.sources['idle.discardIdle'] ?? 'default') : null;
      setLoaded({ state: 'ready', prompt: p.value, source });
    })();
  }, [api]);

  if (loaded.state === 'loading')
    return (
      <main className="prompt-main">
        <p>Loading…</p>
      </main>
    );
  if (loaded.state === 'none')
    return (
      <main className="prompt-main">
        <p>Nothing to decide: this question was already answered.</p>
      </main>
    );
  if (loaded.state === 'error')
    return (
      <main className="prompt-main">
        <p className="tone-problem" role="alert">
          The question could not be loaded: {loaded.message}
        </p>
      </main>
    );

  const v = idleView(loaded.prompt, loaded.source, timeZone);
  const answer = (choice: 'keep' | 'discard') => {
    setBusy(true);
    void settle(() => api.answerIdle(loaded.prompt.promptId, choice)).then((r) => {
      if (!r.ok) {
        setBusy(false);
        setResult({ text: `Your answer was not saved: ${r.error.message}`, problem: true });
        return;
      }
      setResult({
        text: r.value.accepted
          ? choice === 'keep'
            ? 'Kept as work time.'
            : 'Discarded.'
          : 'This question was already answered.',
        problem: false,
      });
      setTimeout(onDone, 800);
    });
  };
  const button = (choice: 'keep' | 'discard', label: string) => {
    const isDefault = v.defaultChoice === choice;
    return (
      <button
        type="button"
        id={choice}
        className={isDefault ? 'primary' : ''}
        disabled={busy}
        onClick={() => answer(choice)}
        autoFocus={isDefault}
        aria-describedby={isDefault ? 'default-note' : undefined}
      >
        {label}
        {isDefault && <span className="default-mark"> (default)</span>}
      </button>
    );
  };
  return (
    <main className="prompt-main">
      <p id="question" className="question">
        {v.question}
      </p>
      <div className="buttons">
        {button('keep', v.keepLabel)}
        {button('discard', v.discardLabel)}
      </div>
      <p id="default-note" className="hint">
        {v.defaultNote}
      </p>
      <p id="result" className={result?.problem ? 'message tone-problem' : 'message'} role="status">
        {result?.text ?? ''}
      </p>
    </main>
  );
}
