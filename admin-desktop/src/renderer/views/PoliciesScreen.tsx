// The policy editor wired to the API: loads the scopes and the chosen scope's
// settings, keeps the unsaved draft, previews, publishes and withdraws.
import { useCallback, useEffect, useState } from 'react';
import type { AdminApi, PolicyPreview, PolicyScope, PolicyScopeView, PolicyTargets } from '../../api/admin-api.js';
import { PoliciesView, scopeName } from './PoliciesView.js';
import { draftToEdit, EMPTY_DRAFT, type PolicyDraft } from './policy-draft.js';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function PoliciesScreen({ api }: { api: AdminApi }) {
  const [targets, setTargets] = useState<PolicyTargets | null>(null);
  const [scope, setScope] = useState<PolicyScope | null>(null);
  const [view, setView] = useState<PolicyScopeView | null>(null);
  const [draft, setDraft] = useState<PolicyDraft>(EMPTY_DRAFT);
  const [preview, setPreview] = useState<PolicyPreview | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    api.request('policyTargets', {}).then(
      (t) => {
        if (!live) return;
        setTargets(t);
        setLoadError(null);
        setScope((s) => s ?? { level: 'organisation', id: t.orgId });
      },
      (err: unknown) => live && setLoadError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [api, generation]);

  useEffect(() => {
    if (!scope) return;
    let live = true;
    api.request('policyScope', { scope }).then(
      (v) => live && setView(v),
      (err: unknown) => live && setNotice({ kind: 'error', text: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [api, scope, generation]);

  const reset = () => {
    setDraft(EMPTY_DRAFT);
    setPreview(null);
    setFieldErrors({});
    setConfirming(false);
  };

  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setNotice({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }, []);

  if (loadError)
    return (
      <p role="alert" className="error view">
        {loadError}
      </p>
    );
  if (!targets || !scope) return <p className="muted view">Loading policies…</p>;

  const edit = () => draftToEdit(scope, draft, view?.settings ?? []);
  return (
    <PoliciesView
      targets={targets}
      scope={scope}
      view={view && view.scope.level === scope.level && view.scope.id === scope.id ? view : null}
      draft={draft}
      preview={preview}
      fieldErrors={fieldErrors}
      busy={busy}
      notice={notice}
      confirmingWithdraw={confirming}
      timeZone={localZone()}
      onScope={(s) => {
        reset();
        setNotice(null);
        setScope(s);
      }}
      onDraft={(d) => {
        setDraft(d);
        setPreview(null);
        setFieldErrors({});
      }}
      onDiscard={reset}
      onPreview={() =>
        void run(async () => {
          setNotice(null);
          const local = edit();
          if (local.errors.length > 0) {
            setFieldErrors(Object.fromEntries(local.errors.map((e) => [e.path, e.message])));
            return;
          }
          const r = await api.request('previewPolicy', local.edit);
          setPreview(r);
          setFieldErrors(Object.fromEntries(r.errors.map((e) => [e.path, e.message])));
        })
      }
      onPublish={() =>
        void run(async () => {
          const r = await api.request('publishPolicy', edit().edit);
          reset();
          setNotice({
            kind: 'ok',
            text: `Published the ${scopeName(scope, targets)} layer, signed with the organisation key, to ${r.publishedTo.join(', ') || 'nobody yet'}${r.notProvisioned.length ? ` (not enrolled yet: ${r.notProvisioned.join(', ')})` : ''}.`,
          });
          setGeneration((g) => g + 1);
        })
      }
      onWithdraw={() => {
        if (!confirming) {
          setConfirming(true);
          return;
        }
        void run(async () => {
          const r = await api.request('withdrawPolicy', { scope });
          reset();
          setNotice({
            kind: 'ok',
            text: `Withdrew the ${scopeName(scope, targets)} layer (signed withdrawal sent to ${r.publishedTo.join(', ') || 'nobody'}).`,
          });
          setGeneration((g) => g + 1);
        });
      }}
      onCancelWithdraw={() => setConfirming(false)}
    />
  );
}
