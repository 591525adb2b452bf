/**
 * Screen 7, the policy editor: pick a scope (organisation → team → employee →
 * device); every setting shows its effective value there, the level that set
 * it, and this level's own value as a typed input; edits are reviewed as a
 * diff before publishing. Props in, callbacks out (PoliciesScreen feeds it).
 */
import type {
  PolicyChange,
  PolicyLayerLevel,
  PolicyPreview,
  PolicyScope,
  PolicyScopeView,
  PolicySettingView,
  PolicyTargets,
  PolicyValue,
} from '../../api/admin-api.js';
import { formatDateTime } from './format.js';
import { valueText, type PolicyDraft } from './policy-draft.js';

export interface PoliciesViewProps {
  targets: PolicyTargets;
  scope: PolicyScope;
  view: PolicyScopeView | null;
  draft: PolicyDraft;
  preview: PolicyPreview | null;
  /** path → message, from the form check and the core's preview ('' = the layer as a whole). */
  fieldErrors: Record<string, string>;
  busy: boolean;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  confirmingWithdraw: boolean;
  timeZone: string;
  onScope: (scope: PolicyScope) => void;
  onDraft: (draft: PolicyDraft) => void;
  onPreview: () => void;
  onPublish: () => void;
  onDiscard: () => void;
  onWithdraw: () => void;
  onCancelWithdraw: () => void;
}

const LEVELS: Array<[PolicyLayerLevel, string]> = [
  ['organisation', 'Organisation'],
  ['team', 'Team'],
  ['employee', 'Employee'],
  ['device', 'Device'],
];
const levelName = (l: string) => LEVELS.find(([k]) => k === l)?.[1] ?? 'Default';

/** 'perHour' → 'Per hour' */
const words = (key: string) => {
  const s = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
};
const groupOf = (path: string) => (path.includes('.') ? path.split('.')[0]! : 'general');
const labelOf = (path: string) => words(path.split('.').pop()!);

export function formatPolicyValue(v: PolicyValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'On' : 'Off';
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.join(', ');
  return String(v);
}

export const scopeName = (s: { level: string; id?: string }, targets?: PolicyTargets): string => {
  if (s.level === 'default') return 'Default';
  if (s.level === 'device' && targets) {
    const d = targets.devices.find((x) => x.deviceId === s.id);
    if (d) return `Device ${d.name ?? s.id} (${d.employeeId})`;
  }
  return `${levelName(s.level)} ${s.id ?? ''}`.trim();
};

function idsFor(level: PolicyLayerLevel, t: PolicyTargets): Array<[string, string]> {
  if (level === 'organisation') return [[t.orgId, t.orgId]];
  if (level === 'team') return t.teams.map((x) => [x, x]);
  if (level === 'employee')
    return t.employees.map((e) => [e.employeeId, e.teamId ? `${e.employeeId} (team ${e.teamId})` : e.employeeId]);
  return t.devices.map((d) => [
    d.deviceId,
    `${d.name ?? d.deviceId} — ${d.employeeId}${d.revoked ? ' (revoked)' : ''}`,
  ]);
}

/** The first id of a level, for switching levels. */
export const firstScopeOf = (level: PolicyLayerLevel, t: PolicyTargets): PolicyScope | null => {
  const first = idsFor(level, t)[0];
  return first ? { level, id: first[0] } : null;
};

function SettingInput({ s, text, onText }: { s: PolicySettingView; text: string; onText: (t: string) => void }) {
  const label = `${s.path} at this level`;
  const described = `hint-${s.path}`;
  if (s.spec.kind === 'boolean') {
    return (
      <select aria-label={label} aria-describedby={described} value={text} onChange={(e) => onText(e.target.value)}>
        <option value="">inherit</option>
        <option value="true">On</option>
        <option value="false">Off</option>
      </select>
    );
  }
  if (s.spec.kind === 'enum') {
    return (
      <select aria-label={label} aria-describedby={described} value={text} onChange={(e) => onText(e.target.value)}>
        <option value="">inherit</option>
        {s.spec.values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  }
  if (s.spec.kind === 'integer') {
    return (
      <input
        aria-label={label}
        aria-describedby={described}
        type="number"
        inputMode="numeric"
        min={s.spec.min}
        max={s.spec.max}
        step={1}
        placeholder="inherit"
        value={text}
        onChange={(e) => onText(e.target.value)}
      />
    );
  }
  return (
    <input
      aria-label={label}
      aria-describedby={described}
      type="text"
      placeholder="inherit (comma-separated apps)"
      value={text}
      onChange={(e) => onText(e.target.value)}
    />
  );
}

function SettingRow({
  s,
  draft,
  error,
  targets,
  onDraft,
}: {
  s: PolicySettingView;
  draft: PolicyDraft;
  error: string | undefined;
  targets: PolicyTargets;
  onDraft: (d: PolicyDraft) => void;
}) {
  const entry = draft.values[s.path];
  const text = entry ? (entry.op === 'set' ? entry.text : '') : valueText(s.own);
  const setText = (t: string) => {
    const values = { ...draft.values };
    if (t.trim() === '') {
      if (s.own !== undefined) values[s.path] = { op: 'clear' };
      else delete values[s.path];
    } else if (t === valueText(s.own)) delete values[s.path];
    else values[s.path] = { op: 'set', text: t };
    onDraft({ ...draft, values });
  };
  const locked = draft.locks[s.path] ?? s.lockedHere;
  const setLock = (on: boolean) => {
    const locks = { ...draft.locks };
    if (on === s.lockedHere) delete locks[s.path];
    else locks[s.path] = on;
    onDraft({ ...draft, locks });
  };
  const hint =
    s.spec.kind === 'integer'
      ? `${s.spec.min}–${s.spec.max}`
      : s.spec.kind === 'app-list'
        ? `up to ${s.spec.maxItems} apps, added to the levels above`
        : s.spec.kind === 'enum'
          ? s.spec.values.join(' / ')
          : 'on or off';
  return (
    <tr className={entry || s.path in draft.locks ? 'policy-row changed' : 'policy-row'}>
      <th scope="row">
        {labelOf(s.path)}
        <span className="muted small policy-path"> {s.path}</span>
      </th>
      <td className="policy-effective">{formatPolicyValue(s.effective)}</td>
      <td className="policy-source">
        <span className={`source source-${s.source.level}`}>{scopeName(s.source, targets)}</span>
        {s.lockedAbove && (
          <span className="badge badge-locked" title="levels below may only switch capture off">
            locked by {scopeName(s.lockedAbove, targets)}
          </span>
        )}
        {s.ignored && (
          <span className="small warn-text"> this level's {formatPolicyValue(s.own)} has no effect (locked above)</span>
        )}
      </td>
      <td className="policy-input">
        <SettingInput s={s} text={text} onText={setText} />
        {entry?.op === 'clear' && <span className="small muted"> back to inherit</span>}
        <span id={`hint-${s.path}`} className="small muted">
          {' '}
          {hint}
        </span>
        {error && (
          <p className="field-error" role="alert" id={`err-${s.path}`}>
            {error}
          </p>
        )}
      </td>
      <td className="policy-actions">
        <label className="small">
          <input
            type="checkbox"
            aria-label={`lock ${s.path} for the levels below`}
            checked={locked}
            onChange={(e) => setLock(e.target.checked)}
          />{' '}
          lock
        </label>
        {(s.own !== undefined || entry?.op === 'set') && entry?.op !== 'clear' && (
          <button
            type="button"
            className="link-button small"
            aria-label={`inherit ${s.path}`}
            onClick={() => setText('')}
          >
            inherit
          </button>
        )}
      </td>
    </tr>
  );
}

function ChangeRow({ c }: { c: PolicyChange }) {
  return (
    <tr>
      <th scope="row">{c.path}</th>
      <td>
        {c.ownBefore === undefined ? 'inherits' : formatPolicyValue(c.ownBefore)} →{' '}
        {c.ownAfter === undefined ? 'inherits' : formatPolicyValue(c.ownAfter)}
      </td>
      <td>
        {formatPolicyValue(c.effectiveBefore)} → <strong>{formatPolicyValue(c.effectiveAfter)}</strong>
      </td>
      <td>
        {c.lockedBefore === c.lockedAfter ? (c.lockedAfter ? 'locked' : '') : c.lockedAfter ? 'locks' : 'unlocks'}
      </td>
    </tr>
  );
}

export function PoliciesView(p: PoliciesViewProps) {
  const { targets, scope, view, draft, preview, fieldErrors } = p;
  const own = view?.chain[view.chain.length - 1];
  const groups = [...new Set((view?.settings ?? []).map((s) => groupOf(s.path)))];
  const dirty = Object.keys(draft.values).length > 0 || Object.keys(draft.locks).length > 0;
  return (
    <section className="view policies" aria-labelledby="policies-title">
      <header className="view-header">
        <div>
          <h1 id="policies-title">Policies</h1>
          <p className="muted">
            Organisation → team → employee → device: a lower level overrides a higher one unless it is locked there.
          </p>
        </div>
        <div className="toolbar">
          <label>
            Level{' '}
            <select
              aria-label="level"
              value={scope.level}
              onChange={(e) => {
                const s = firstScopeOf(e.target.value as PolicyLayerLevel, targets);
                if (s) p.onScope(s);
              }}
            >
              {LEVELS.map(([l, name]) => (
                <option key={l} value={l} disabled={idsFor(l, targets).length === 0}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {levelName(scope.level)}{' '}
            <select
              aria-label="scope"
              value={scope.id}
              onChange={(e) => p.onScope({ level: scope.level, id: e.target.value })}
            >
              {idsFor(scope.level, targets).map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>

      {p.notice && (
        <p
          role={p.notice.kind === 'error' ? 'alert' : 'status'}
          className={p.notice.kind === 'error' ? 'error' : 'notice'}
        >
          {p.notice.text}
        </p>
      )}
      {targets.refused.length > 0 && (
        <p role="alert" className="error">
          Refused (not signed by the organisation key): {targets.refused.map((r) => `${r.id} — ${r.reason}`).join('; ')}
        </p>
      )}

      {view && (
        <>
          <ol className="policy-chain" aria-label="layers that apply">
            {view.chain.map((l) => (
              <li key={`${l.level}:${l.id}`} className={l.issuedAt === null ? 'muted' : ''}>
                {scopeName(l, targets)}:{' '}
                {l.issuedAt === null ? 'no layer' : `signed ${formatDateTime(l.issuedAt, p.timeZone)}`}
              </li>
            ))}
          </ol>
          <p className="muted small">
            A layer here reaches: {view.reaches.length > 0 ? view.reaches.join(', ') : 'nobody yet'}
          </p>

          <table className="policy-table" aria-label={`settings for ${scopeName(scope, targets)}`}>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Effective</th>
                <th scope="col">Set by</th>
                <th scope="col">At this level</th>
                <th scope="col">
                  <span className="sr-only">Lock and inherit</span>
                </th>
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody key={g}>
                <tr className="policy-group">
                  <th colSpan={5} scope="rowgroup">
                    {words(g)}
                  </th>
                </tr>
                {view.settings
                  .filter((s) => groupOf(s.path) === g)
                  .map((s) => (
                    <SettingRow
                      key={s.path}
                      s={s}
                      draft={draft}
                      error={fieldErrors[s.path]}
                      targets={targets}
                      onDraft={p.onDraft}
                    />
                  ))}
              </tbody>
            ))}
          </table>

          {fieldErrors[''] && (
            <p role="alert" className="error">
              {fieldErrors['']}
            </p>
          )}
          <div className="toolbar policy-actions-bar">
            <button type="button" disabled={!dirty || p.busy} onClick={p.onPreview}>
              Review changes
            </button>
            <button type="button" className="secondary" disabled={!dirty || p.busy} onClick={p.onDiscard}>
              Discard
            </button>
            {own && own.issuedAt !== null && !p.confirmingWithdraw && (
              <button type="button" className="secondary" disabled={p.busy} onClick={p.onWithdraw}>
                Withdraw this layer…
              </button>
            )}
          </div>
          {p.confirmingWithdraw && (
            <div role="alertdialog" aria-labelledby="withdraw-title" className="confirm">
              <p id="withdraw-title">
                Withdraw the {scopeName(scope, targets)} layer? Its settings stop applying to{' '}
                {view.reaches.join(', ') || 'nobody'}; the levels above decide again.
              </p>
              <button type="button" disabled={p.busy} onClick={p.onWithdraw}>
                Withdraw and sign
              </button>
              <button type="button" className="secondary" onClick={p.onCancelWithdraw}>
                Cancel
              </button>
            </div>
          )}

          {preview && (
            <section className="policy-preview" aria-labelledby="preview-title">
              <h2 id="preview-title">What publishing changes</h2>
              {preview.changes.length === 0 ? (
                <p className="muted">Nothing: the layer would stay as it is.</p>
              ) : (
                <table className="policy-diff" aria-label="changes">
                  <thead>
                    <tr>
                      <th scope="col">Setting</th>
                      <th scope="col">This level</th>
                      <th scope="col">Effective here</th>
                      <th scope="col">Lock</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.changes.map((c) => (
                      <ChangeRow key={c.path} c={c} />
                    ))}
                  </tbody>
                </table>
              )}
              <p className="muted small">
                Signed with the organisation key and sent to:{' '}
                {preview.reaches.join(', ') || 'nobody yet (new employees get it when enrolled)'}
              </p>
              <button
                type="button"
                disabled={p.busy || preview.errors.length > 0 || preview.changes.length === 0}
                onClick={p.onPublish}
              >
                Publish
              </button>
            </section>
          )}
        </>
      )}
    </section>
  );
}
