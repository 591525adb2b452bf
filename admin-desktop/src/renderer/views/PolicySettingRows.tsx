/**
 * The policy editor's table rows: one setting (effective value, the level
 * that set it, this level's own value as a typed input, the lock), and one
 * line of the publish preview's diff.
 */
import type { PolicyChange, PolicySettingView, PolicyTargets } from '../../api/admin-api.js';
import { formatPolicyValue, labelOf, scopeName } from './policy-names.js';
import { valueText, type PolicyDraft } from './policy-draft.js';

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

export function SettingRow({
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

export function ChangeRow({ c }: { c: PolicyChange }) {
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
