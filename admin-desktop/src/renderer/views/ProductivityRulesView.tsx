/**
 * The productivity rules editor: pick the organisation's set or a team's,
 * edit its rules (match by app name, site host, window-title pattern or
 * app-name pattern → productive / neutral / unproductive), try a rule on
 * the apps seen in the last 7 days, publish (the core signs with the
 * organisation key). Precedence is the classifier's: team over
 * organisation; app > host > title > app pattern; then list order.
 */
import { useMemo, useState } from 'react';
import type {
  ProductivityClass,
  ProductivityRule,
  ProductivityRuleBook,
  RuleMatch,
  RuleSetScope,
  RuleSetVersion,
  RuleTestResult,
} from '../../api/contracts/productivity-contract.js';
import { formatDuration } from './format.js';
import { CLASS_COLOR, CLASS_LABEL } from './ProductivityPanels.js';

export type ProductivityRulesViewProps = {
  book: ProductivityRuleBook;
  onPublish: (scope: RuleSetScope, version: RuleSetVersion) => Promise<string>;
  onTest: (rule: ProductivityRule) => Promise<RuleTestResult>;
};

const KINDS: Array<[RuleMatch['by'], string, string]> = [
  ['app', 'App name (exact)', 'e.g. xterm'],
  ['host', 'Site host', 'example.com or *.example.com'],
  ['title', 'Window title (pattern)', 'e.g. pull request #\\d+'],
  ['app-pattern', 'App name (pattern)', 'e.g. ^(code|vim)$'],
];
const CLASSES: ProductivityClass[] = ['productive', 'neutral', 'unproductive'];

const valueOf = (m: RuleMatch): string => (m.by === 'app' ? m.app : m.by === 'host' ? m.host : m.pattern);
function matchOf(by: RuleMatch['by'], value: string): RuleMatch {
  if (by === 'app') return { by, app: value };
  if (by === 'host') return { by, host: value };
  return { by, pattern: value };
}
const scopeKey = (s: RuleSetScope) => `${s.level}:${s.id}`;
function parseScope(key: string): RuleSetScope {
  const [level, id] = key.split(':') as [RuleSetScope['level'], string];
  return { level, id };
}

export function ProductivityRulesView({ book, onPublish, onTest }: ProductivityRulesViewProps) {
  const scopes: RuleSetScope[] = [
    { level: 'organisation', id: book.orgId },
    ...book.teams.map((id) => ({ level: 'team' as const, id })),
  ];
  const [scope, setScope] = useState(scopeKey(scopes[0]!));
  const current = useMemo(() => book.sets.find((s) => scopeKey(s) === scope), [book, scope]);
  const [rules, setRules] = useState<ProductivityRule[]>(() => current?.versions.at(-1)?.rules ?? []);
  const [from, setFrom] = useState('');
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [tests, setTests] = useState<Record<string, RuleTestResult | string>>({});
  const [busy, setBusy] = useState(false);

  const choose = (key: string) => {
    setScope(key);
    setRules(book.sets.find((s) => scopeKey(s) === key)?.versions.at(-1)?.rules ?? []);
    setTests({});
    setStatus(null);
  };
  const update = (i: number, r: ProductivityRule) => setRules((rs) => rs.map((x, j) => (j === i ? r : x)));
  const add = () => {
    const used = new Set(rules.map((r) => r.id));
    let n = rules.length + 1;
    while (used.has(`rule-${n}`)) n += 1;
    setRules((rs) => [...rs, { id: `rule-${n}`, match: { by: 'app', app: '' }, class: 'productive' }]);
  };
  const test = async (r: ProductivityRule) => {
    try {
      const result = await onTest(r);
      setTests((t) => ({ ...t, [r.id]: result }));
    } catch (err) {
      setTests((t) => ({ ...t, [r.id]: (err as Error).message }));
    }
  };
  const publish = async () => {
    setBusy(true);
    try {
      const effectiveFrom = from ? new Date(`${from}T00:00`).getTime() : 0;
      setStatus({ text: await onPublish(parseScope(scope), { effectiveFrom, rules }), error: false });
    } catch (err) {
      setStatus({ text: (err as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="view productivity-rules" aria-labelledby="productivity-rules-title">
      <header className="view-header">
        <div>
          <h1 id="productivity-rules-title">Productivity rules</h1>
          <p className="muted">
            A team's rules override the organisation's where they match; in a set an exact app name wins over a site, a
            site over a title pattern, a title pattern over an app pattern, then the first listed. Rules apply when
            views are built: publishing re-classifies the history shown.
          </p>
        </div>
        <label>
          Rule set{' '}
          <select aria-label="Rule set" value={scope} onChange={(e) => choose(e.target.value)}>
            {scopes.map((s) => (
              <option key={scopeKey(s)} value={scopeKey(s)}>
                {s.level === 'organisation' ? `Organisation ${s.id}` : `Team ${s.id}`}
              </option>
            ))}
          </select>
        </label>
      </header>
      {book.readFrom === 'cache' && <p className="notice">The server does not answer: the last copy read is shown.</p>}
      {book.refused.map((r) => (
        <p key={r.id} role="alert" className="error-text">
          Refused {r.id}: {r.reason}
        </p>
      ))}
      <p className="muted">
        {current
          ? `Signed ${new Date(current.issuedAt).toLocaleString()}, ${current.versions.length} version(s).`
          : 'Not published yet.'}
      </p>
      <table className="rules-table" aria-label="Rules">
        <thead>
          <tr>
            <th>Match by</th>
            <th>Value</th>
            <th>Class</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => {
            const t = tests[r.id];
            return (
              <tr key={r.id} data-rule={r.id}>
                <td>
                  <select
                    aria-label={`Match by, rule ${i + 1}`}
                    value={r.match.by}
                    disabled={!book.canEdit}
                    onChange={(e) =>
                      update(i, { ...r, match: matchOf(e.target.value as RuleMatch['by'], valueOf(r.match)) })
                    }
                  >
                    {KINDS.map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Value, rule ${i + 1}`}
                    value={valueOf(r.match)}
                    placeholder={KINDS.find(([k]) => k === r.match.by)?.[2]}
                    disabled={!book.canEdit}
                    onChange={(e) => update(i, { ...r, match: matchOf(r.match.by, e.target.value) })}
                  />
                  {t !== undefined && (
                    <div className="rule-test" role="status">
                      {typeof t === 'string'
                        ? t
                        : t.problems.length > 0
                          ? t.problems.map((p) => p.message).join('; ')
                          : t.matches.length === 0
                            ? `Matches none of the ${t.appsSeen} apps seen in the last 7 days.`
                            : `Matches ${t.matches
                                .slice(0, 5)
                                .map((m) => `${m.app}${m.host ? ` (${m.host})` : ''} ${formatDuration(m.ms)}`)
                                .join(', ')}${t.matches.length > 5 ? ` and ${t.matches.length - 5} more` : ''}.`}
                    </div>
                  )}
                </td>
                <td>
                  <span className="class-chip" style={{ background: CLASS_COLOR[r.class] }} />
                  <select
                    aria-label={`Class, rule ${i + 1}`}
                    value={r.class}
                    disabled={!book.canEdit}
                    onChange={(e) => update(i, { ...r, class: e.target.value as ProductivityClass })}
                  >
                    {CLASSES.map((c) => (
                      <option key={c} value={c}>
                        {CLASS_LABEL[c]}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="row-actions">
                  <button type="button" onClick={() => void test(r)}>
                    Test
                  </button>
                  {book.canEdit && (
                    <button type="button" onClick={() => setRules((rs) => rs.filter((_, j) => j !== i))}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {book.canEdit ? (
        <div className="toolbar">
          <button type="button" onClick={add}>
            Add rule
          </button>
          <label>
            Applies from{' '}
            <input type="date" aria-label="Applies from" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <span className="muted">{from ? '' : '(empty: all history)'}</span>
          <button type="button" className="primary" disabled={busy} onClick={() => void publish()}>
            Publish
          </button>
        </div>
      ) : (
        <p className="muted">Only admins publish rules: they are signed with the organisation key.</p>
      )}
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'error-text' : 'notice'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
