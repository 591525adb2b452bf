/**
 * "Other project…": the projects this computer may track, with a filter box
 * that keeps the focus; ↑/↓ move the highlight, Enter tracks it (the same
 * `track` the CLI and the tray's recent projects use), Escape closes. What
 * is tracked now is marked. A refusal (an archived project, a task just
 * closed) is said in the window, which stays open.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { settle, type AgentBridge } from './bridge.js';
import {
  filterChoices,
  moveSelection,
  projectChoices,
  sameChoice,
  type ProjectChoice,
  type SearchKey,
} from './project-search-view.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; choices: ProjectChoice[]; current: { projectId: string; taskId?: string; label: string } | null };

const CLOSE_AFTER_MS = 1200;
const KEYS: readonly string[] = ['ArrowDown', 'ArrowUp', 'Home', 'End'];

export function ProjectSearch({ api, onDone }: { api: AgentBridge; onDone: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);

  useEffect(() => {
    void settle(() => api.projects()).then((r) =>
      setLoaded(
        r.ok
          ? { state: 'ready', choices: projectChoices(r.value.projects), current: r.value.current }
          : { state: 'error', message: r.error.message },
      ),
    );
  }, [api]);

  const shown = useMemo(() => (loaded.state === 'ready' ? filterChoices(loaded.choices, query) : []), [loaded, query]);
  const selected = shown.length === 0 ? -1 : Math.min(Math.max(index, 0), shown.length - 1);

  const choose = (c: ProjectChoice | undefined) => {
    if (!c || busy) return;
    setBusy(true);
    setMessage({ text: `Starting ${c.label}…`, problem: false });
    void settle(() => api.track(c.projectId, c.taskId)).then((r) => {
      setBusy(false);
      if (!r.ok) return setMessage({ text: `Not tracked: ${r.error.message}`, problem: true });
      if (loaded.state === 'ready') setLoaded({ ...loaded, current: r.value.current });
      setMessage({ text: `Tracking: ${r.value.current?.label ?? c.label}`, problem: false });
      setTimeout(onDone, CLOSE_AFTER_MS); // long enough to read what is tracked now
    });
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (KEYS.includes(e.key)) {
      e.preventDefault();
      setIndex(moveSelection(selected, shown.length, e.key as SearchKey));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(shown[selected]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onDone();
    }
  };

  if (loaded.state === 'loading')
    return (
      <main className="search-main">
        <p>Loading…</p>
      </main>
    );
  if (loaded.state === 'error')
    return (
      <main className="search-main">
        <p className="tone-problem" role="alert" id="search-error">
          The projects could not be listed: {loaded.message}
        </p>
      </main>
    );

  const optionId = (i: number) => `choice-${i}`;
  return (
    <main className="search-main">
      <h1>Track a project</h1>
      <p className="muted" id="search-current">
        {loaded.current ? `Tracking now: ${loaded.current.label}` : 'Not tracking a project now.'}
      </p>
      <input
        type="search"
        id="project-filter"
        className="search-box"
        aria-label="Filter projects and tasks"
        placeholder="Type to filter projects and tasks"
        role="combobox"
        aria-expanded="true"
        aria-controls="project-list"
        aria-activedescendant={selected >= 0 ? optionId(selected) : undefined}
        autoFocus
        autoComplete="off"
        value={query}
        disabled={busy}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKey}
      />
      {loaded.choices.length === 0 ? (
        <p className="muted" id="search-empty">
          No projects have reached this computer yet: your organisation publishes them.
        </p>
      ) : shown.length === 0 ? (
        <p className="muted" id="search-empty">
          Nothing matches “{query}”.
        </p>
      ) : (
        <ul className="choices" id="project-list" role="listbox" aria-label="Projects and tasks">
          {shown.map((c, i) => {
            const now = loaded.current !== null && sameChoice(c, loaded.current);
            return (
              <li
                key={`${c.projectId}/${c.taskId ?? ''}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === selected}
                className={`choice${c.taskId ? ' task' : ''}${i === selected ? ' selected' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setIndex(i)}
                onClick={() => choose(c)}
              >
                {/* set through the CSSOM, which the CSP's style-src allows (no inline style attribute) */}
                <span className="swatch" style={{ background: c.colour }} aria-hidden="true" />
                <span className="choice-label">{c.label}</span>
                {c.client && !c.taskId && <span className="muted"> · {c.client}</span>}
                {c.assignedToMe && <span className="tag">assigned to you</span>}
                {now && <span className="tag">tracking now</span>}
              </li>
            );
          })}
        </ul>
      )}
      {message && (
        <p className={message.problem ? 'tone-problem' : 'muted'} role="status" id="search-message">
          {message.text}
        </p>
      )}
      <p className="hint">↑ ↓ to choose, Enter to track, Esc to close.</p>
    </main>
  );
}
