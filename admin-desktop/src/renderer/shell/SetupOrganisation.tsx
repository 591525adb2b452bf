// First run on a fresh server: the first admin creates the organisation's keys on this machine,
// wrapped with their passphrase; the recovery keys are shown once, for printing, with the
// organisation key fingerprint that enrollment codes carry.
import { useState, type FormEvent } from 'react';
import { MIN_PASSPHRASE, type AdminApi, type SetupOrganisationResult } from '../../api/admin-api.js';

export function SetupOrganisation({ api, onDone }: { api: AdminApi; onDone: () => void }) {
  const [orgId, setOrgId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SetupOrganisationResult | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (passphrase !== repeat) return setError('the two passphrases differ');
    if (passphrase.length < MIN_PASSPHRASE)
      return setError(`use a passphrase of at least ${MIN_PASSPHRASE} characters`);
    setBusy(true);
    try {
      setResult(await api.request('setupOrganisation', { orgId, passphrase }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      setPassphrase('');
      setRepeat('');
    }
  };
  if (result)
    return (
      <section className="card auth setup-done" aria-labelledby="setup-done-title">
        <h1 id="setup-done-title">Organisation {result.orgId} is set up</h1>
        <p>
          Organisation key fingerprint (enrollment codes carry it; check it when a device enrolls):
          <br />
          <code className="fingerprint">{result.fingerprint}</code>
        </p>
        <p className="warn-text">
          Print these recovery keys now and keep them offline. They open the keys if the passphrase is lost, and this
          app will not show them again.
        </p>
        <ul className="recovery-keys">
          {result.recoveryKeys.map((k) => (
            <li key={k.role}>
              <strong>{k.role === 'organisation' ? 'Organisation' : 'HR'} recovery key</strong>
              <pre>{k.text}</pre>
            </li>
          ))}
        </ul>
        <div className="row no-print">
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
          <button type="button" className="secondary" onClick={onDone}>
            I have stored them: unlock
          </button>
        </div>
      </section>
    );
  return (
    <form className="card auth" onSubmit={submit} aria-labelledby="setup-title">
      <h1 id="setup-title">Set up a new organisation</h1>
      <p className="muted">
        The organisation and HR keys are made on this computer and wrapped with your passphrase; the server only ever
        holds them wrapped.
      </p>
      <label>
        Organisation id
        <input
          name="orgId"
          required
          pattern="[a-z0-9][a-z0-9-]{0,62}"
          value={orgId}
          onChange={(e) => setOrgId(e.target.value)}
          placeholder="acme"
        />
      </label>
      <label>
        Passphrase
        <input
          name="passphrase"
          type="password"
          required
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </label>
      <label>
        Passphrase again
        <input
          name="repeat"
          type="password"
          required
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Making the keys…' : 'Create the organisation keys'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Back
        </button>
      </div>
    </form>
  );
}
