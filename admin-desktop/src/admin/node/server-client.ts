/**
 * The sync-server as the admin side sees it: the Sealtime API and the few
 * CouchDB endpoints the gateway lets people use (`_all_docs`, `_bulk_docs`,
 * single documents), over fetch. With a CA file (a self-signed server) the
 * requests go through undici with a dispatcher that trusts that CA as well.
 * Every failure becomes an AdminError; the bearer token never appears in one.
 */
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { AdminError, type AdminErrorCode } from '../admin-error.js';
import {
  API_PREFIX,
  type CreateUserRequest,
  type EnrollmentCode,
  type EnrollmentCodeRequest,
  type IntegrityAlertPage,
  type LoginRequest,
  type LoginResult,
  type Me as MeAnswer,
  type PublicDevice,
  type PublicUser,
  type SecondFactor,
  type TotpStatus,
} from '@sealtime/shared';
import type { AdminServer, AuditEntryWire, BulkResult, CouchRow, EnrolledDevice, Me, PublicSession } from '../ports.js';

// The API's bodies and the admin side's view of them are pure types (../ports.ts): re-exported for the node callers.
export type {
  AuditEntryWire,
  BulkResult,
  CouchRow,
  EnrolledDevice,
  EnrollmentCode,
  LoginResult,
  Me,
  PublicDevice,
  PublicSession,
  PublicUser,
  SecondFactor,
  TotpStatus,
} from '../ports.js';

export interface ServerClientOptions {
  url: string;
  token?: string | null;
  /** PEM of the CA that signed a self-signed server certificate. */
  caPem?: string | undefined;
  /** A fetch with its own trust (the app's CA file or certificate pin, core/server-trust.ts); caPem wins. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function statusCode(status: number): AdminErrorCode {
  if (status === 401) return 'not-logged-in';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'exists';
  if (status >= 400 && status < 500) return 'bad-input';
  return 'server';
}

export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AdminError('bad-input', `'${raw}' is not a URL (expected e.g. https://sync.example.org:8443)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AdminError('bad-input', 'the server URL must start with https:// (or http:// on loopback)');
  if (url.username || url.password || url.search || url.hash)
    throw new AdminError('bad-input', 'the server URL must not carry credentials, a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

export class ServerClient implements AdminServer {
  readonly url: string;
  private readonly token: string | null;
  private readonly doFetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: ServerClientOptions) {
    this.url = normaliseServerUrl(opts.url);
    this.token = opts.token ?? null;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    if (opts.caPem) {
      const dispatcher = new Agent({ connect: { ca: [...rootCertificates, opts.caPem] } });
      // undici's fetch is the one behind Node's global fetch; its declared types differ only nominally
      this.doFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
    } else this.doFetch = opts.fetch ?? fetch;
  }

  withToken(token: string | null): ServerClient {
    const c = Object.create(ServerClient.prototype) as ServerClient;
    Object.assign(c, this, { token });
    return c;
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.doFetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AdminError('unreachable', `cannot reach ${this.url}: ${describeNetworkError(err)}`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      // a proxy's HTML error page: the status says enough
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; reason?: string };
      const what = `${method} ${path.split('?')[0]}`;
      const reason = e.reason ?? e.error ?? res.statusText;
      const hint =
        res.status === 401
          ? ' (log in again: sealtime-admin login <userId>)'
          : res.status === 403
            ? " (your account's role may not do this)"
            : '';
      throw new AdminError(
        statusCode(res.status),
        `${what}: the server refused (${res.status}): ${reason}${hint}`,
        res.status,
        typeof e.error === 'string' ? e.error : undefined,
      );
    }
    return json as T;
  }

  // ── Sealtime API ──
  login(userId: string, password: string, second: SecondFactor = {}): Promise<LoginResult> {
    const body: LoginRequest = { userId, password, ...second };
    return this.request('POST', `${API_PREFIX}login`, body);
  }
  totpStatus(): Promise<TotpStatus> {
    return this.request('GET', `${API_PREFIX}totp`);
  }
  /** A new TOTP secret, as base32 and as an otpauth:// URI: shown to the person once. */
  totpSetup(): Promise<{ secret: string; uri: string }> {
    return this.request('POST', `${API_PREFIX}totp/setup`, {});
  }
  /** Confirms setup with the first code; the recovery codes come back once. */
  totpEnable(code: string): Promise<{ enabled: true; recoveryCodes: string[] }> {
    return this.request('POST', `${API_PREFIX}totp/enable`, { code });
  }
  totpDisable(second: SecondFactor): Promise<{ enabled: false }> {
    const body = second.recoveryCode !== undefined ? { recoveryCode: second.recoveryCode } : { code: second.totp };
    return this.request('POST', `${API_PREFIX}totp/disable`, body);
  }
  logout(): Promise<{ ok: true }> {
    return this.request('POST', `${API_PREFIX}logout`, {});
  }
  async me(): Promise<Me> {
    const me = await this.request<MeAnswer>('GET', `${API_PREFIX}me`);
    if (me.type !== 'person')
      throw new AdminError(
        'forbidden',
        "this is a device credential; the admin tools need a person's login (sealtime-admin login <userId>)",
      );
    return me;
  }
  createUser(input: CreateUserRequest): Promise<PublicUser> {
    return this.request('POST', `${API_PREFIX}users`, input);
  }
  createEnrollmentCode(input: EnrollmentCodeRequest): Promise<EnrollmentCode> {
    return this.request('POST', `${API_PREFIX}enrollment-codes`, input);
  }
  async devices(employeeId?: string): Promise<EnrolledDevice[]> {
    const q = employeeId === undefined ? '' : `?employeeId=${encodeURIComponent(employeeId)}`;
    return (await this.request<{ devices: EnrolledDevice[] }>('GET', `${API_PREFIX}devices${q}`)).devices;
  }
  /** The wrapped key rings the signed-in person's role holds (HR ring, their teams' rings), as the directory keeps them. */
  async myKeyrings(): Promise<unknown[]> {
    return (await this.request<{ keyrings: unknown[] }>('GET', '/_sealtime/api/keyrings')).keyrings;
  }
  device(deviceId: string): Promise<EnrolledDevice> {
    return this.request('GET', `${API_PREFIX}devices/${encodeURIComponent(deviceId)}`);
  }
  revokeDevice(deviceId: string): Promise<PublicDevice> {
    return this.request('POST', `/_sealtime/api/devices/${encodeURIComponent(deviceId)}/revoke`, {});
  }

  // ── accounts (admins) ──
  async users(): Promise<PublicUser[]> {
    return (await this.request<{ users: PublicUser[] }>('GET', '/_sealtime/api/users')).users;
  }
  updateUser(
    userId: string,
    patch: { role?: string; teams?: string[]; disabled?: boolean; employeeId?: string | null },
  ): Promise<PublicUser> {
    return this.request('PATCH', `/_sealtime/api/users/${encodeURIComponent(userId)}`, patch);
  }
  /** Sets someone else's password (account managers); the server ends all their sessions. */
  setPassword(userId: string, password: string): Promise<{ ok: true }> {
    return this.request('POST', `/_sealtime/api/users/${encodeURIComponent(userId)}/password`, { password });
  }
  async sessions(userId: string): Promise<PublicSession[]> {
    return (
      await this.request<{ sessions: PublicSession[] }>(
        'GET',
        `/_sealtime/api/sessions?userId=${encodeURIComponent(userId)}`,
      )
    ).sessions;
  }
  /** Ends every live session of the account at once. */
  revokeSessions(userId: string): Promise<{ ended: number }> {
    return this.request('DELETE', `/_sealtime/api/users/${encodeURIComponent(userId)}/sessions`);
  }

  /** Integrity alerts (admins): refused forged or chain-breaking sealed writes, oldest first from `since` (ms). */
  alerts(opts: { since?: number; limit?: number } = {}): Promise<IntegrityAlertPage> {
    const q = new URLSearchParams();
    if (opts.since !== undefined) q.set('since', String(opts.since));
    if (opts.limit !== undefined) q.set('limit', String(opts.limit));
    const qs = q.toString();
    return this.request('GET', `${API_PREFIX}alerts${qs ? `?${qs}` : ''}`);
  }

  /** The audit trail (admins): entries recorded at or after `since` (ms), oldest first. */
  audit(opts: { since?: number; limit?: number } = {}): Promise<{ entries: AuditEntryWire[] }> {
    const q = new URLSearchParams();
    if (opts.since !== undefined) q.set('since', String(opts.since));
    if (opts.limit !== undefined) q.set('limit', String(opts.limit));
    const qs = q.toString();
    return this.request('GET', `/_sealtime/api/audit${qs ? `?${qs}` : ''}`);
  }

  // ── CouchDB surface ──
  async allDocs<T>(db: string): Promise<Array<T & { _id: string; _rev: string }>> {
    const r = await this.request<{ rows: Array<CouchRow<T>> }>('GET', `/${db}/_all_docs?include_docs=true`);
    return r.rows.flatMap((row) => (row.doc && !row.id.startsWith('_design/') ? [row.doc] : []));
  }
  async getDoc<T>(db: string, id: string): Promise<(T & { _id: string; _rev: string }) | null> {
    try {
      return await this.request<T & { _id: string; _rev: string }>('GET', `/${db}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof AdminError && err.code === 'not-found') return null;
      throw err;
    }
  }
  /** Writes every doc or throws naming the ones refused (a 403 of the whole request included). */
  async bulkDocs(db: string, docs: ReadonlyArray<Record<string, unknown>>): Promise<BulkResult> {
    const r = await this.request<BulkResult>('POST', `/${db}/_bulk_docs`, { docs });
    const failed = r.filter((x) => x.error);
    if (failed.length > 0) {
      const forbidden = failed.some((x) => x.error === 'forbidden' || x.error === 'unauthorized');
      const list = failed.map((x) => `${x.id}: ${x.reason ?? x.error}`).join('; ');
      throw new AdminError(
        forbidden ? 'forbidden' : failed.every((x) => x.error === 'conflict') ? 'exists' : 'server',
        `writing to ${db} was refused: ${list}`,
      );
    }
    return r;
  }
}

function describeNetworkError(err: unknown): string {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if ((e as { name?: string }).name === 'TimeoutError') return 'timed out';
    if (typeof code === 'string') {
      if (code === 'ERR_TLS_CERT_PIN_MISMATCH') return `TLS failure (${code}): ${(e as Error).message}`;
      if (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
        return `TLS failure (${code}); for a self-signed server pass --ca-file <cert.pem>`;
      return code;
    }
  }
  return err instanceof Error ? err.message : 'network error';
}
