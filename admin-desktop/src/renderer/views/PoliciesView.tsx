/**
 * Screen 7, the policy editor: pick a scope (organisation → team → employee →
 * device); every setting shows its effective value there, the level that set
 * it, and this level's own value as a typed input; edits are reviewed as a
 * diff before publishing. Props in, callbacks out (PoliciesScreen feeds it).
 */
import type {
  PolicyLayerLevel,
  PolicyPreview,
  PolicyScope,
  PolicyScopeView,
  PolicyTargets,
} from '../../api/admin-api.js';
import { formatDateTime } from './format.js';
import type { PolicyDraft } from './policy-draft.js';
import { ChangeRow, SettingRow } from './PolicySettingRows.js';
import { LEVELS, firstScopeOf, groupOf, idsFor, levelName, scopeName, words } from './policy-names.js';

export { firstScopeOf, formatPolicyValue, scopeName } from './policy-names.js';

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
