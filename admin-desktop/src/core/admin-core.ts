/**
 * The admin app's core: the session, the unlocked keys, the live replica and
 * the views built from it. Plain Node (no Electron, no React); both API
 * transports call it through the dispatcher. Keys stay in this object: what
 * leaves it is view models, people and one-time image URLs.
 *
 *   signed-out ──signIn──▶ locked ──unlock──▶ unlocked ──lock──▶ locked
 *        ▲                   │ signOut            │ signOut
 *        └───────────────────┴────────────────────┘
 */
import { join } from 'node:path';
import { initSodium } from '@sealtime/shared';
import type { AdminCorePort } from '../api/dispatcher.js';
import type {
  ApiError,
  RequestName,
  RequestParams,
  RequestResult,
  SessionState,
  SubscriptionName,
  SubscriptionParams,
  SubscriptionValue,
} from '../api/admin-api.js';
import { isAdminError } from '../admin/admin-error.js';
import { secondFactorOf } from '../admin/node/admin-context.js';
import { KeyCustody } from '../admin/key-custody.js';
import { ProfileStore } from '../admin/node/profile-store.js';
import { normaliseServerUrl, ServerClient } from '../admin/node/server-client.js';
import { apiError, toApiError } from './core-errors.js';
import type { ServedImage } from './image-service.js';
import { REQUEST_HANDLERS, VALUE_BUILDERS } from './features/index.js';
import { normaliseFingerprint, trustedFetch, trustOf, untrusted, type ServerTrust } from './server-trust.js';
import type { FeatureRequestName, FeatureSubscriptionName, RequestHandler, ValueBuilder } from './features/feature.js';
import { keepHrRing } from './decision-ring.js';
import { refreshPeople } from './people-directory.js';
import type { DeviceKeys } from './record-opening.js';
import { watchReplicaRows } from './replica-changes.js';
import { ReplicaSlot } from './replica-slot.js';
import { unlockReviewer } from './reviewer-keys.js';
import type { CoreContext, Unlocked } from './unlocked-session.js';
import { resumeKeptUnlock, type UnlockCache } from './unlock-cache.js';
import { assembleUnlocked } from './unlocked-assembly.js';
import { SerialPublisher } from './serial-publisher.js';
import { signInRefusal } from './sign-in-refusal.js';
import { ReplicaRepublisher } from './replica-republish.js';
import type { AdminCoreOptions } from './admin-core-options.js';

export type { AdminCoreOptions } from './admin-core-options.js';

type Listener<N extends SubscriptionName> = {
  name: N;
  params: SubscriptionParams<N>;
  push: (v: SubscriptionValue<N>) => void;
  fail: (e: ReturnType<typeof toApiError>) => void;
};

export class AdminCore implements AdminCorePort {
  private state: SessionState = { state: 'signed-out' };
  private readonly profile: ProfileStore;
  /** The open replica (replica-slot.ts). */
  private readonly replica: ReplicaSlot;
  private readonly timeZone: string;
  private unlocked: Unlocked | null = null;
  private readonly listeners = new Set<Listener<SubscriptionName>>();
  private readonly publisher = new SerialPublisher<Listener<SubscriptionName>>(
    (l) => this.listeners.has(l),
    (l) => this.valueOf(l.name, l.params),
    toApiError,
  );
  /** New replica rows → reopen what they touch → publish again (replica-republish.ts). */
  private readonly republisher = new ReplicaRepublisher({
    current: () => this.unlocked,
    refresh: (u, people) => refreshPeople(u, people),
    publishAll: (syncOnly) => {
      for (const l of this.listeners) if (!syncOnly || l.name === 'sync') void this.publish(l);
    },
    fail: (err) => {
      for (const l of this.listeners) l.fail(toApiError(err));
    },
  });
  /** Whether any replicated database was online at the last status: a rise sends the outbox at once. */
  private online = false;

  /** What feature modules act through (features/). */
  private readonly context: CoreContext;

  constructor(private readonly options: AdminCoreOptions) {
    this.profile = new ProfileStore(join(options.dataDir, 'profile'));
    this.replica = new ReplicaSlot(options.dataDir);
    this.timeZone = options.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
    this.context = {
      need: () => this.need(),
      profile: this.profile,
      timeZone: this.timeZone,
      now: () => (options.now ?? Date.now)(),
      ...(options.keyringFile ? { keyringFile: options.keyringFile } : {}),
      ...(options.params ? { ringParams: options.params } : {}),
      sessionClient: async () => {
        const s = await this.profile.session();
        if (!s) throw apiError('not-signed-in', 'sign in first');
        const f = await trustedFetch(trustOf(s));
        return new ServerClient({ url: s.server, token: s.token, ...(f ? { fetch: f } : {}) });
      },
      republish: () => {
        for (const l of this.listeners) void this.publish(l);
      },
    };
  }

  /** Reads the profile: a stored session starts locked (unlockable offline). */
  async start(): Promise<void> {
    await initSodium();
    const s = await this.profile.session();
    this.setState(s ? { state: 'locked', server: s.server, user: s.userId, role: s.role } : { state: 'signed-out' });
    if (s && this.options.unlockCache) await this.resumeKeptUnlock(this.options.unlockCache, s);
  }

  /** A restart within the unlock cache's window: unlock without asking; a refusal says why on the unlock screen. */
  private async resumeKeptUnlock(
    cache: UnlockCache,
    s: { server: string; userId: string; role: string },
  ): Promise<void> {
    const notice = await resumeKeptUnlock(
      cache,
      { server: s.server, userId: s.userId },
      (passphrase) => this.unlock({ passphrase }),
      (err) => toApiError(err).message,
    );
    if (notice && this.state.state === 'locked')
      this.setState({ state: 'locked', server: s.server, user: s.userId, role: s.role, notice });
  }

  session(): SessionState {
    return this.state;
  }

  // ── requests ──

  /** The dispatcher's entry: params were validated there. */
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    switch (name) {
      case 'signIn':
        return this.signIn(params as RequestParams<'signIn'>) as Promise<RequestResult<N>>;
      case 'unlock':
        return this.unlock(params as RequestParams<'unlock'>) as Promise<RequestResult<N>>;
      case 'lock':
        return this.lock() as Promise<RequestResult<N>>;
      case 'signOut':
        return this.signOut() as Promise<RequestResult<N>>;
      default: {
        const handler = REQUEST_HANDLERS[name as FeatureRequestName] as unknown as RequestHandler<N>;
        return handler(params, this.context);
      }
    }
  }

  toApiError(err: unknown): ApiError {
    return toApiError(err);
  }

  async signIn(p: RequestParams<'signIn'>): Promise<RequestResult<'signIn'>> {
    await this.lockInternal();
    await this.options.unlockCache?.wipe();
    let server: string;
    try {
      server = normaliseServerUrl(p.serverUrl);
    } catch {
      throw apiError('invalid-input', `'${p.serverUrl}' is not a server address (https://host:port)`);
    }
    const trust: ServerTrust = {
      ...(p.caFile ? { caFile: p.caFile } : {}),
      ...(p.certFingerprint ? { certFingerprint: normaliseFingerprint(p.certFingerprint) } : {}),
    };
    const f = await trustedFetch(trust);
    const client = new ServerClient({ url: server, ...(f ? { fetch: f } : {}) });
    try {
      const r = await client.login(p.user, p.password, p.totp ? secondFactorOf(p.totp) : {});
      await this.profile.saveSession({ server, userId: r.userId, role: r.role, token: r.token, ...trust });
      this.setState({ state: 'locked', server, user: r.userId, role: r.role });
    } catch (err) {
      throw signInRefusal(err, server, trust);
    }
    return this.state;
  }

  async unlock(p: RequestParams<'unlock'>): Promise<RequestResult<'unlock'>> {
    const s = await this.profile.session();
    if (!s) throw apiError('not-signed-in', 'sign in first');
    if (this.unlocked) return this.state;
    const trustFetch = await trustedFetch(trustOf(s));
    const client = new ServerClient({ url: s.server, token: s.token, ...(trustFetch ? { fetch: trustFetch } : {}) });
    const store = await this.replica.open(s.server, s.userId);
    const custody = new KeyCustody(client, this.profile, {
      ...(this.options.params ? { params: this.options.params } : {}),
    });
    let keys: Awaited<ReturnType<typeof unlockReviewer>>;
    try {
      keys = await unlockReviewer({ client, custody, store }, p.passphrase, this.options.keyringFile);
    } catch (err) {
      if (toApiError(err).code === 'session-expired') throw await this.sessionEnded(s.server);
      if (isAdminError(err, 'unreachable') && /TLS failure/.test(err.message))
        throw untrusted(s.server, err.message, trustOf(s));
      throw err;
    }
    const devices = new Map<string, DeviceKeys>();
    // a cold replica pulls each device's newest records first (replica-window.ts): its ids come with the people
    let devicesKnown: (ids: string[]) => void = () => undefined;
    const deviceIds = new Promise<string[]>((r) => (devicesKnown = r));
    const u = assembleUnlocked({
      keys,
      client,
      store,
      devices,
      deviceIds,
      passphrase: p.passphrase,
      server: s.server,
      token: s.token,
      timeZone: this.timeZone,
      now: this.context.now,
      trustFetch,
      options: this.options,
      // the server took an action: the replica pull may still sit in its backoff, wake it
      onDelivered: () => this.unlocked?.sync.reSync(),
      onOutboxChange: () => {
        for (const l of this.listeners) if (l.name === 'outbox' || l.name === 'sync') void this.publish(l);
      },
      onSyncStatus: () => {
        this.republisher.schedule();
        this.onlineChanged();
      },
    });
    // new rows for an employee: reopen that employee's records, then re-publish
    u.stopChanges = watchReplicaRows(
      store.db.replica,
      (row) => this.republisher.noteRow(row, devices),
      () => this.republisher.schedule(),
    );
    this.unlocked = u;
    void u.outbox.flush(); // actions left from an earlier run (or a crash) go first
    // a cache that cannot be written costs only the next restart's passphrase prompt, never this unlock
    await this.options.unlockCache?.save({ server: s.server, userId: s.userId }, p.passphrase).catch(() => false);
    // admins sign correction decisions with the HR ring: keep it wrapped for offline decisions (offline now: the last kept one stays)
    if (keys.scope.keyRole === 'organisation') void keepHrRing(u, this.profile).catch(() => undefined);
    try {
      await refreshPeople(u);
    } finally {
      devicesKnown([...devices.values()].flatMap((m) => (m ? [...m.keys()] : [])));
    }
    this.setState({
      state: 'unlocked',
      server: s.server,
      user: s.userId,
      role: keys.scope.role,
      teams: keys.scope.teams,
      orgId: keys.orgId,
    });
    return this.state;
  }

  async lock(): Promise<RequestResult<'lock'>> {
    await this.lockInternal();
    await this.options.unlockCache?.wipe();
    const s = await this.profile.session();
    this.setState(s ? { state: 'locked', server: s.server, user: s.userId, role: s.role } : { state: 'signed-out' });
    return this.state;
  }

  async signOut(): Promise<RequestResult<'signOut'>> {
    await this.lockInternal();
    await this.options.unlockCache?.wipe();
    const s = await this.profile.session();
    if (s) {
      // an unreachable server or an expired session: the local token goes anyway
      await new ServerClient({ url: s.server, token: s.token }).logout().catch(() => undefined);
      await this.profile.clearSession();
    }
    this.setState({ state: 'signed-out' });
    return this.state;
  }

  /** For the ui server: spends an image token. */
  takeImage(token: string): Promise<ServedImage> {
    return this.need().images.take(token);
  }

  /** For the ui server: a day's thumbnail links in one go (image-batch.ts). */
  takeThumbs(tokens: readonly string[]): Promise<Array<{ token: string; image: ServedImage }>> {
    return this.need().images.takeThumbs(tokens);
  }

  // ── subscriptions ──

  subscribe<N extends SubscriptionName>(
    name: N,
    params: SubscriptionParams<N>,
    push: (v: SubscriptionValue<N>) => void,
    fail: Listener<N>['fail'],
  ): () => void {
    const l = { name, params, push, fail } as unknown as Listener<SubscriptionName>;
    this.listeners.add(l);
    void this.publish(l);
    return () => this.listeners.delete(l);
  }

  /** Test hook: wait for the replica to catch up with the server. */
  async awaitInSync(): Promise<void> {
    await this.need().sync.awaitInSync();
  }

  /** Bench hook: sealed records held in the replica now. */
  async replicaCount(): Promise<number> {
    return this.need().store.db.replica.count().exec();
  }

  async close(): Promise<void> {
    this.republisher.cancel();
    this.listeners.clear();
    await this.lockInternal();
    await this.replica.close();
  }

  // ── internals ──

  private need(): Unlocked {
    if (this.unlocked) return this.unlocked;
    throw apiError(
      this.state.state === 'signed-out' ? 'not-signed-in' : 'locked',
      this.state.state === 'signed-out' ? 'sign in first' : 'unlock with your passphrase first',
    );
  }

  private setState(s: SessionState): void {
    this.state = s;
    for (const l of this.listeners) void this.publish(l);
  }

  private async lockInternal(): Promise<void> {
    const u = this.unlocked;
    if (!u) return;
    this.unlocked = null;
    u.stopChanges();
    await u.outbox.stop();
    await u.sync.stop();
    await this.republisher.settled();
    u.index.clear();
    // nothing decrypted outlives the lock: opened images and the unwrapped data keys are zeroed
    u.images.forget();
    u.keys.opener.dispose();
  }

  /**
   * The server no longer accepts the stored session (expired, ended, or the
   * account disabled): forget the token only — the replica, its outbox and
   * the pinned organisation stay for the next sign-in — and say so.
   */
  private async sessionEnded(server: string): Promise<ReturnType<typeof apiError>> {
    await this.lockInternal();
    await this.options.unlockCache?.wipe();
    await this.profile.clearSession();
    const notice =
      'The server no longer accepts your session (it expired or was ended, or the account was disabled). Sign in again: what this computer keeps (records, actions waiting to sync) is still here.';
    this.setState({ state: 'signed-out', server, notice });
    return apiError('session-expired', notice);
  }

  private onlineChanged(): void {
    const u = this.unlocked;
    // the server refused the session mid-way (expired, ended, account disabled): back to sign-in, nothing local lost
    if (u && u.sync.status().some((d) => /: HTTP 401\b/.test(d.lastError?.message ?? ''))) {
      const server = this.state.state === 'unlocked' ? this.state.server : '';
      void this.sessionEnded(server).catch(() => undefined); // its state change is the message
      return;
    }
    const now = u ? u.sync.status().some((d) => d.online) : false;
    if (u && now && !this.online) u.outbox.nudge();
    this.online = now;
  }

  private publish(l: Listener<SubscriptionName>): Promise<void> {
    return this.publisher.publish(l);
  }

  private async valueOf<N extends SubscriptionName>(
    name: N,
    params: SubscriptionParams<N>,
  ): Promise<SubscriptionValue<N>> {
    if (name === 'session') return this.state as SubscriptionValue<N>;
    const build = VALUE_BUILDERS[name as FeatureSubscriptionName] as unknown as ValueBuilder<N> | undefined;
    if (!build) throw apiError('invalid-input', `unknown subscription ${String(name)}`);
    return build(params, this.context);
  }
}
