// Connect and sign in: server URL, user, password, and a one-time code when the server asks.
import { useState, type FormEvent } from 'react';
import { ApiRequestError, type AdminApi } from '../../api/admin-api.js';

export function SignIn({ api, defaultServer }: { api: AdminApi; defaultServer: string }) {
  const [serverUrl, setServerUrl] = useState(defaultServer);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.request('signIn', { serverUrl, user, password, ...(askTotp && totp ? { totp } : {}) });
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'totp-required') setAskTotp(true);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  return (
    <form className="card auth" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Sealtime</h1>
      <label>
        Server
        <input name="server" type="url" required value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="https://sync.example.org:6984" />
      </label>
      <label>
        User
        <input name="user" required autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label>
        Password
        <input name="password" type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {askTotp && (
        <label>
          One-time code
          <input name="totp" autoComplete="one-time-code" pattern="[A-Za-z0-9-]{6,40}" value={totp} onChange={(e) => setTotp(e.target.value)} />
        </label>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
