// Unlock the role's keys with the passphrase (not the sign-in password); a wrong one says so.
// An admin on a server without an organisation sets it up from here.
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { SetupOrganisation } from './SetupOrganisation.js';

export function Unlock({
  api,
  user,
  server,
  role,
  notice,
}: {
  api: AdminApi;
  user: string;
  server: string;
  role?: string;
  notice?: string | undefined;
}) {
  const [setup, setSetup] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.request('unlock', { passphrase });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      setPassphrase('');
    }
  };
  if (setup) return <SetupOrganisation api={api} onDone={() => setSetup(false)} />;
  return (
    <form className="card auth" onSubmit={submit} aria-labelledby="unlock-title">
      <h1 id="unlock-title">Unlock</h1>
      <p className="muted">
        Signed in as <strong>{user}</strong> on {server}. Your passphrase opens your keys on this computer only.
      </p>
      <label>
        Passphrase
        <input
          name="passphrase"
          type="password"
          required
          autoFocus
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </label>
      {notice && !error && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        <button type="button" className="secondary" onClick={() => void api.request('signOut', {})}>
          Sign out
        </button>
      </div>
      {(role === 'admin' || role === 'super-admin') && (
        <p className="small">
          First run on a new server?{' '}
          <button type="button" className="link-button" onClick={() => setSetup(true)}>
            Set up a new organisation
          </button>
        </p>
      )}
    </form>
  );
}
