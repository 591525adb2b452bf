/**
 * Wires one admin session by hand (no container): the profile, the server
 * client with the stored session token, and key custody. The CLI builds one
 * per command; the desktop app will build one per window.
 */
import { readFile } from 'node:fs/promises';
import { initSodium, type PwhashParams } from '@sealtime/shared';
import { AdminError } from '../admin-error.js';
import { KeyCustody } from '../key-custody.js';
import type { Deps } from '../people-setup.js';
import { ProfileStore, type Session } from './profile-store.js';
import { normaliseServerUrl, ServerClient, type SecondFactor } from './server-client.js';

export interface ContextOptions {
  profileDir: string;
  /** Explicit server; default: the logged-in session's. */
  server?: string;
  caFile?: string;
  /** Internal (tests): Argon2id parameters for new key rings. */
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  now?: () => number;
}

export interface AdminContext extends Deps {
  client: ServerClient;
  profile: ProfileStore;
  session: Session | null;
}

export async function openContext(
  opts: ContextOptions,
  need: { session: boolean } = { session: true },
): Promise<AdminContext> {
  await initSodium();
  const profile = new ProfileStore(opts.profileDir);
  const session = await profile.session();
  const server = opts.server ? normaliseServerUrl(opts.server) : session?.server;
  if (!server)
    throw new AdminError('bad-input', 'no server: pass --server <url> (or set SEALTIME_SERVER), or log in first');
  if (need.session && !session)
    throw new AdminError('not-logged-in', 'not logged in: run `sealtime-admin login <userId>` first');
  if (need.session && session && session.server !== server)
    throw new AdminError(
      'not-logged-in',
      `the session in this profile is for ${session.server}, not ${server}: log in to ${server} first`,
    );
  const caFile = opts.caFile ?? (session?.server === server ? session.caFile : undefined);
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = await readFile(caFile, 'utf8');
    } catch (err) {
      throw new AdminError(
        'bad-input',
        `cannot read the CA file ${caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  const token = session && session.server === server ? session.token : null;
  const client = new ServerClient({ url: server, token, caPem });
  const custody = new KeyCustody(client, profile, { params: opts.params, now: opts.now });
  const readText = (path: string) => readFile(path, 'utf8');
  return { client, custody, profile, session, readText, now: opts.now };
}

/** What a person types as a second factor: six digits are a TOTP code, anything else a recovery code. */
export function secondFactorOf(typed: string): SecondFactor {
  const t = typed.trim();
  return /^\d{6}$/.test(t) ? { totp: t } : { recoveryCode: t };
}

/**
 * login: a new session token stored 0600 in the profile. When the account
 * has TOTP the server answers `totp-required`; then `askCode` is asked for a
 * code (or a recovery code) and the login is sent again with it. `scope`
 * says whether the session may only set up TOTP (server policy).
 */
export async function login(
  opts: ContextOptions,
  userId: string,
  password: string,
  askCode?: () => Promise<string>,
): Promise<Session & { scope: 'full' | 'totp-enrolment' }> {
  const ctx = await openContext(opts, { session: false });
  let r;
  try {
    r = await ctx.client.login(userId, password);
  } catch (err) {
    if (!(err instanceof AdminError && err.serverError === 'totp-required')) throw err;
    if (!askCode)
      throw new AdminError(
        'not-logged-in',
        'this account needs a code from its authenticator app (or a recovery code)',
        401,
        'totp-required',
      );
    r = await ctx.client.login(userId, password, secondFactorOf(await askCode()));
  }
  const session: Session = {
    server: ctx.client.url,
    userId: r.userId,
    role: r.role,
    token: r.token,
    ...(opts.caFile ? { caFile: opts.caFile } : {}),
  };
  await ctx.profile.saveSession(session);
  return { ...session, scope: r.scope ?? 'full' };
}

/** logout: ends the session on the server (if it still answers) and forgets the token. */
export async function logout(opts: ContextOptions): Promise<{ wasLoggedIn: boolean; serverEnded: boolean }> {
  const profile = new ProfileStore(opts.profileDir);
  const session = await profile.session();
  if (!session) return { wasLoggedIn: false, serverEnded: false };
  let serverEnded = false;
  try {
    const ctx = await openContext({ ...opts, server: session.server });
    await ctx.client.logout();
    serverEnded = true;
  } catch {
    // an expired session or an unreachable server: the local token goes anyway
  }
  await profile.clearSession();
  return { wasLoggedIn: true, serverEnded };
}
