/**
 * The real composed server for API tests: embedded engine on disk in a temp
 * dir, real identity and audit log, loopback HTTP, a hand-moved clock, and a
 * first super admin created by the operator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AuditEntry } from '../../audit/audit-log.js';
import { systemActor } from '../../auth/actor.js';
import { ManualClock } from '../../auth/clock.js';
import type { Role } from '../../auth/principal.js';
import { startSealtimeServer, type SealtimeServer, type SealtimeServerOptions } from '../../compose.js';
import { dbNames } from '../../provisioning/db-names.js';

export const PASSWORD = 'correct horse battery staple';

export type Auth = { bearer: string } | { device: string; credential: string } | null;

export interface JsonAnswer {
  status: number;
  headers: Headers;
  // any: tests read arbitrary JSON answers and assert on them with expect
  body: any;
}

export interface ApiFixture {
  s: SealtimeServer;
  clock: ManualClock;
  dir: string;
  url: string;
  /** The super admin's session token. */
  root: string;
  request(
    auth: Auth,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<JsonAnswer>;
  /** Creates an account through the operator (no audit actor) and logs it in. */
  person(id: string, role: Role, extra?: { teams?: string[]; employeeId?: string | null }): Promise<string>;
  login(userId: string, password?: string, headers?: Record<string, string>): Promise<JsonAnswer>;
  auditEntries(): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export function authHeader(auth: Auth): Record<string, string> {
  if (!auth) return {};
  if ('bearer' in auth) return { authorization: `Bearer ${auth.bearer}` };
  return { authorization: `Basic ${Buffer.from(`${auth.device}:${auth.credential}`).toString('base64')}` };
}

export async function startApiFixture(opts: Partial<SealtimeServerOptions> = {}): Promise<ApiFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sealtime-api-'));
  const clock = new ManualClock(Date.now());
  const s = await startSealtimeServer({
    dataDir: dir,
    listen: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: process.env.SEALTIME_TEST_LOG ?? 'silent' }),
    clock,
    ...opts,
  });
  const request: ApiFixture['request'] = async (auth, method, path, body, headers = {}) => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeader(auth),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const login: ApiFixture['login'] = (userId, password = PASSWORD, headers = {}) =>
    request(null, 'POST', '/_sealtime/api/login', { userId, password }, headers);
  const person: ApiFixture['person'] = async (id, role, extra = {}) => {
    await s.services.users.createUser(systemActor('test'), {
      id,
      role,
      password: PASSWORD,
      teams: extra.teams ?? [],
      employeeId: extra.employeeId ?? null,
    });
    const r = await login(id);
    if (r.status !== 200) throw new Error(`login of ${id} failed: ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const root = await person('root', 'super-admin');
  return {
    s,
    clock,
    dir,
    url: s.url,
    root,
    request,
    person,
    login,
    async auditEntries() {
      await s.audit.flush();
      const res = await s.server.engine.nano.use<AuditEntry>(dbNames.audit).list({ include_docs: true });
      return res.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => r.doc as unknown as AuditEntry);
    },
    async close() {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
