// Connect and sign in: server URL (and, for a self-signed server, its CA file or certificate fingerprint),
// user, password, and a one-time code when the server asks. A notice says why the app came back here.
import { useState, type FormEvent } from 'react';
import { ApiRequestError, type AdminApi } from '../../api/admin-api.js';

export function SignIn({
  api,
  defaultServer,
  notice,
}: {
  api: AdminApi;
  defaultServer: string;
  notice?: string | undefined;
}) {
  const [serverUrl, setServerUrl] = useState(defaultServer);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [caFile, setCaFile] = useState('');
  const [certFingerprint, setCertFingerprint] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.request('signIn', {
        serverUrl,
        user,
        password,
        ...(askTotp && totp ? { totp } : {}),
        ...(caFile.trim() ? { caFile: caFile.trim() } : {}),
        ...(certFingerprint.trim() ? { certFingerprint: certFingerprint.trim() } : {}),
      });
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
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <label>
        Server
        <input
          name="server"
          type="url"
          required
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          placeholder="https://sync.example.org:6984"
        />
      </label>
      <details className="trust">
        <summary>Self-signed server: CA file or certificate fingerprint</summary>
        <label>
          CA file
          <input
            name="caFile"
            value={caFile}
            onChange={(e) => setCaFile(e.target.value)}
            placeholder="/path/to/cert.pem"
          />
        </label>
        <label>
          Certificate fingerprint (SHA-256)
          <input
            name="certFingerprint"
            value={certFingerprint}
            onChange={(e) => setCertFingerprint(e.target.value)}
            placeholder="AB:CD:… as the server printed it"
          />
        </label>
      </details>
      <label>
        User
        <input name="user" required autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {askTotp && (
        <label>
          One-time code
          <input
            name="totp"
            autoComplete="one-time-code"
            pattern="[A-Za-z0-9-]{6,40}"
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
          />
        </label>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
