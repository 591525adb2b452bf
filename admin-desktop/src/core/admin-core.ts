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
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAttendanceSheet, buildDashboard, buildGallery, buildPersonDay, buildReport, fromBase64, initSodium, type OpenedRecord, type PwhashParams, type ViewPerson } from '@sealtime/shared';
import type { AdminCorePort } from '../api/dispatcher.js';
import type { ApiError, Person, RequestName, RequestParams, RequestResult, SessionState, SubscriptionName, SubscriptionParams, SubscriptionValue, SyncStatusValue } from '../api/admin-api.js';
import { decideCorrection } from '../admin/corrections.js';
import { AdminError, isAdminError } from '../admin/admin-error.js';
import { secondFactorOf } from '../admin/admin-context.js';
import { KeyCustody } from '../admin/key-custody.js';
import { listEmployees } from '../admin/people-setup.js';
import { ProfileStore } from '../admin/profile-store.js';
import { normaliseServerUrl, ServerClient } from '../admin/server-client.js';
import { apiError, toApiError } from './core-errors.js';
import { ImageService, type ServedImage } from './image-service.js';
import { OpenedIndex } from './opened-index.js';
import { openReplicaDocs, type DeviceKeys } from './record-opening.js';
import { openReplicaStore, replicaEmployees, replicaRowsByHour, type ReplicaStore } from './replica-store.js';
import { startReplicaSync, type ReplicaSync } from './replica-sync.js';
import { unlockReviewer, type ReviewerKeys } from './reviewer-keys.js';

export interface AdminCoreOptions {
  /** Profile (session token, pinned org) and replicas live here. */
  dataDir: string;
  /** HR and managers: their key ring file, handed over by an admin. */
  keyringFile?: string;
  timeZone?: string;
  imageBudgetBytes?: number;
  sync?: { minRetryMs?: number; maxRetryMs?: number; baseFetch?: typeof fetch };
  /** Tests: Argon2id parameters for rings made by this core (none today). */
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  now?: () => number;
}

type Listener<N extends SubscriptionName> = {
  name: N;
  params: SubscriptionParams<N>;
  push: (v: SubscriptionValue<N>) => void;
  fail: (e: ReturnType<typeof toApiError>) => void;
};

interface Unlocked {
  keys: ReviewerKeys;
  client: ServerClient;
  store: ReplicaStore;
  sync: ReplicaSync;
  index: OpenedIndex;
  images: ImageService;
  devices: Map<string, DeviceKeys>;
  people: Person[];
  /** Kept while unlocked, for signing correction decisions with the HR ring. */
  passphrase: string;
  stopChanges: () => void;
}

export class AdminCore implements AdminCorePort {
  private state: SessionState = { state: 'signed-out' };
  private readonly profile: ProfileStore;
  private readonly timeZone: string;
  private unlocked: Unlocked | null = null;
  private store: ReplicaStore | null = null;
  private storeKey = '';
  private readonly listeners = new Set<Listener<SubscriptionName>>();
  private republishTimer: NodeJS.Timeout | null = null;
  private readonly changed = new Set<string>();
  /** Background refresh in progress: lock/close wait for it before closing the store. */
  private inflight: Promise<void> = Promise.resolve();
  private publishes = 0;
  private readonly pushed = new WeakMap<Listener<SubscriptionName>, number>();

  constructor(private readonly options: AdminCoreOptions) {
    this.profile = new ProfileStore(join(options.dataDir, 'profile'));
    this.timeZone = options.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  }

  /** Reads the profile: a stored session starts locked (unlockable offline). */
  async start(): Promise<void> {
    await initSodium();
    const s = await this.profile.session();
    this.setState(s ? { state: 'locked', server: s.server, user: s.userId, role: s.role } : { state: 'signed-out' });
  }

  session(): SessionState {
    return this.state;
  }

  // ── requests ──

  /** The dispatcher's entry: params were validated there. */
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const handlers: { [K in RequestName]: (p: RequestParams<K>) => Promise<RequestResult<K>> } = {
      signIn: (p) => this.signIn(p),
      unlock: (p) => this.unlock(p),
      lock: () => this.lock(),
      signOut: () => this.signOut(),
      people: () => this.people(),
      screenshotUrl: (p) => this.screenshotUrl(p),
      decideCorrection: (p) => this.decideCorrection(p),
    };
    return (handlers[name] as (p: RequestParams<N>) => Promise<RequestResult<N>>)(params);
  }

  toApiError(err: unknown): ApiError {
    return toApiError(err);
  }

  async signIn(p: RequestParams<'signIn'>): Promise<RequestResult<'signIn'>> {
    await this.lockInternal();
    let server: string;
    try {
      server = normaliseServerUrl(p.serverUrl);
    } catch {
      throw apiError('invalid-input', `'${p.serverUrl}' is not a server address (https://host:port)`);
    }
    const client = new ServerClient({ url: server });
    try {
      const r = await client.login(p.user, p.password, p.totp ? secondFactorOf(p.totp) : {});
      await this.profile.saveSession({ server, userId: r.userId, role: r.role, token: r.token });
      this.setState({ state: 'locked', server, user: r.userId, role: r.role });
    } catch (err) {
      // the account has a second factor: the sign-in screen asks for the code and sends it with the password again
      if (err instanceof AdminError && err.serverError === 'totp-required') throw apiError('totp-required', 'enter the code from your authenticator app (or a recovery code)');
      if (err instanceof AdminError && err.serverError === 'invalid-totp') throw apiError('totp-required', 'that code was not accepted; enter the current code from your authenticator app (or a recovery code)');
      if (isAdminError(err, 'not-logged-in')) throw apiError('wrong-credentials', 'the server refused this user id and password');
      throw err;
    }
    return this.state;
  }

  async unlock(p: RequestParams<'unlock'>): Promise<RequestResult<'unlock'>> {
    const s = await this.profile.session();
    if (!s) throw apiError('not-signed-in', 'sign in first');
    if (this.unlocked) return this.state;
    const client = new ServerClient({ url: s.server, token: s.token });
    const store = await this.openStore(s.server, s.userId);
    const custody = new KeyCustody(client, this.profile, { ...(this.options.params ? { params: this.options.params } : {}) });
    const keys = await unlockReviewer({ client, custody, store }, p.passphrase, this.options.keyringFile);
    const devices = new Map<string, DeviceKeys>();
    const index = new OpenedIndex(
      async (e) => (await store.db.replica.find({ selector: { employeeId: e } }).exec()).map((d) => d.toMutableJSON()),
      (docs) => openReplicaDocs(docs, keys.opener, (e) => devices.get(e) ?? null),
      this.timeZone,
      (e, from, to) => replicaRowsByHour(store.db.replica, e, from, to),
    );
    const u: Unlocked = {
      keys,
      client,
      store,
      index,
      devices,
      people: [],
      passphrase: p.passphrase,
      images: new ImageService({ store, client: () => client, opener: () => keys.opener, deviceKeys: (e) => devices.get(e) ?? null, budgetBytes: this.options.imageBudgetBytes ?? 200 * 1024 * 1024 }),
      sync: startReplicaSync({
        serverUrl: s.server,
        token: s.token,
        sources: keys.scope.sources,
        collection: store.db.replica,
        ...(this.options.sync?.minRetryMs ? { minRetryMs: this.options.sync.minRetryMs } : {}),
        ...(this.options.sync?.maxRetryMs ? { maxRetryMs: this.options.sync.maxRetryMs } : {}),
        ...(this.options.sync?.baseFetch ? { baseFetch: this.options.sync.baseFetch } : {}),
        onStatus: () => this.scheduleRepublish(),
      }),
      stopChanges: () => undefined,
    };
    // new rows for an employee: reopen that employee's records, then re-publish
    const sub = store.db.replica.$.subscribe((ev) => {
      const e = (ev.documentData ?? ev.previousDocumentData)?.employeeId;
      if (e) this.changed.add(e);
      this.scheduleRepublish();
    });
    u.stopChanges = () => sub.unsubscribe();
    this.unlocked = u;
    await this.refreshPeople(u);
    this.setState({ state: 'unlocked', server: s.server, user: s.userId, role: keys.scope.role, teams: keys.scope.teams, orgId: keys.orgId });
    return this.state;
  }

  async lock(): Promise<RequestResult<'lock'>> {
    await this.lockInternal();
    const s = await this.profile.session();
    this.setState(s ? { state: 'locked', server: s.server, user: s.userId, role: s.role } : { state: 'signed-out' });
    return this.state;
  }

  async signOut(): Promise<RequestResult<'signOut'>> {
    await this.lockInternal();
    const s = await this.profile.session();
    if (s) {
      // an unreachable server or an expired session: the local token goes anyway
      await new ServerClient({ url: s.server, token: s.token }).logout().catch(() => undefined);
      await this.profile.clearSession();
    }
    this.setState({ state: 'signed-out' });
    return this.state;
  }

  async people(): Promise<Person[]> {
    return this.need().people;
  }

  async screenshotUrl(p: RequestParams<'screenshotUrl'>): Promise<RequestResult<'screenshotUrl'>> {
    const u = this.need();
    const row = await u.store.db.replica.findOne(p.recordId).exec();
    if (!row) throw apiError('not-found', `no screenshot record ${p.recordId} in the replica`);
    const rec = openReplicaDocs([row.toMutableJSON()], u.keys.opener, (e) => u.devices.get(e) ?? null).records[0];
    if (!rec || rec.kind !== 'screenshot') throw apiError('not-found', `${p.recordId} is not a screenshot this role can open`);
    return { url: u.images.issue({ recordId: rec.id, employeeId: rec.employeeId, deviceId: rec.deviceId, size: p.size, payload: rec.payload }) };
  }

  /** For the ui server: spends an image token. */
  takeImage(token: string): Promise<ServedImage> {
    return this.need().images.take(token);
  }

  async decideCorrection(p: RequestParams<'decideCorrection'>): Promise<RequestResult<'decideCorrection'>> {
    const u = this.need();
    const custody = new KeyCustody(u.client, this.profile);
    await decideCorrection({ client: u.client, custody }, { requestId: p.requestId, decision: p.decision === 'approved' ? 'approve' : 'reject', passphrase: u.passphrase, ...(p.comment ? { comment: p.comment } : {}), ...(this.options.keyringFile ? { keyringFile: this.options.keyringFile } : {}) });
    return { status: 'sent' };
  }

  // ── subscriptions ──

  subscribe<N extends SubscriptionName>(name: N, params: SubscriptionParams<N>, push: (v: SubscriptionValue<N>) => void, fail: Listener<N>['fail']): () => void {
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
    if (this.republishTimer) clearTimeout(this.republishTimer);
    this.republishTimer = null;
    this.listeners.clear();
    await this.lockInternal();
    await this.store?.close();
    this.store = null;
  }

  // ── internals ──

  private need(): Unlocked {
    if (this.unlocked) return this.unlocked;
    throw apiError(this.state.state === 'signed-out' ? 'not-signed-in' : 'locked', this.state.state === 'signed-out' ? 'sign in first' : 'unlock with your passphrase first');
  }

  private setState(s: SessionState): void {
    this.state = s;
    for (const l of this.listeners) void this.publish(l);
  }

  private async openStore(server: string, user: string): Promise<ReplicaStore> {
    // one replica per server + user: never a mix of two organisations' records
    const key = createHash('sha256').update(`${server}\n${user}`).digest('hex').slice(0, 16);
    if (this.store && this.storeKey === key) return this.store;
    await this.store?.close();
    const dir = join(this.options.dataDir, 'replicas', key);
    await mkdir(dir, { recursive: true });
    this.store = await openReplicaStore(dir);
    this.storeKey = key;
    return this.store;
  }

  private async lockInternal(): Promise<void> {
    const u = this.unlocked;
    if (!u) return;
    this.unlocked = null;
    u.stopChanges();
    await u.sync.stop();
    await this.inflight;
    u.index.clear();
  }

  private scheduleRepublish(): void {
    if (this.republishTimer) return;
    this.republishTimer = setTimeout(() => {
      this.republishTimer = null;
      const u = this.unlocked;
      if (u && this.changed.size > 0) {
        const changed = [...this.changed];
        this.changed.clear();
        u.index.invalidate(changed);
        const work = this.refreshPeople(u, new Set(changed)).then(
          () => {
            for (const l of this.listeners) void this.publish(l);
          },
          (err: unknown) => {
            // a lock or close while this ran is not a failure worth showing
            if (this.unlocked === u) for (const l of this.listeners) l.fail(toApiError(err));
          },
        );
        this.inflight = work;
        return;
      }
      for (const l of this.listeners) if (l.name === 'sync') void this.publish(l);
    }, 250);
  }

  /** Directory (admins, signed entries only) plus everyone the replica holds records of. */
  private async refreshPeople(u: Unlocked, changed?: ReadonlySet<string>): Promise<void> {
    let directory: Array<{ employeeId: string; teamId: string | null }> | undefined;
    if (u.keys.orgSignPublicKey) {
      try {
        directory = await listEmployees(u.client, u.keys.orgSignPublicKey);
        await u.store.putMeta('people', { list: directory });
      } catch (err) {
        if (!isAdminError(err, 'unreachable')) throw err;
      }
    }
    directory ??= (await u.store.getMeta<{ list: Array<{ employeeId: string; teamId: string | null }> }>('people'))?.list ?? [];
    const seen = new Set(directory.map((d) => d.employeeId));
    const extra = (await replicaEmployees(u.store.db.replica)).filter((e) => !seen.has(e));
    const list = [...directory.map((d) => ({ employeeId: d.employeeId, teamId: d.teamId })), ...extra.map((e) => ({ employeeId: e, teamId: null }))];
    u.people = list.map((p) => ({ employeeId: p.employeeId, displayName: p.employeeId, teamId: p.teamId })).sort((a, b) => a.employeeId.localeCompare(b.employeeId));
    // device keys: everyone at unlock, then only people with new rows (and anyone new)
    for (const p of u.people) if (!changed || changed.has(p.employeeId) || !u.devices.has(p.employeeId)) await this.loadDeviceKeys(u, p.employeeId);
  }

  /** Enrolled device keys per employee, from the server when it answers, else as kept. */
  private async loadDeviceKeys(u: Unlocked, employeeId: string): Promise<void> {
    let list: Array<{ deviceId: string; signPublicKey: string }> | null;
    try {
      list = (await u.client.devices(employeeId)).map((d) => ({ deviceId: d.deviceId, signPublicKey: d.signPublicKey }));
      await u.store.putMeta(`devices:${employeeId}`, { list });
    } catch (err) {
      if (isAdminError(err, 'forbidden')) list = null; // HR: records open unverified
      else if (isAdminError(err, 'unreachable')) list = (await u.store.getMeta<{ list: typeof list }>(`devices:${employeeId}`))?.list ?? null;
      else throw err;
    }
    const before = u.devices.get(employeeId);
    if (list === null) {
      u.devices.set(employeeId, null);
    } else {
      const m = new Map<string, Uint8Array>();
      for (const d of list) {
        const k = fromBase64(d.signPublicKey, 32);
        if (k.ok && k.value.length === 32) m.set(d.deviceId, k.value);
      }
      u.devices.set(employeeId, m);
    }
    if (before !== undefined && JSON.stringify([...(before ?? [])].map((x) => x[0])) !== JSON.stringify([...(u.devices.get(employeeId) ?? [])].map((x) => x[0]))) u.index.invalidate([employeeId]);
  }

  private async publish(l: Listener<SubscriptionName>): Promise<void> {
    // publishes overlap while records arrive: one that started earlier never overwrites a later one's value
    const n = ++this.publishes;
    const current = () => this.listeners.has(l) && n > (this.pushed.get(l) ?? 0) && (this.pushed.set(l, n), true);
    try {
      const v = await this.valueOf(l.name, l.params);
      if (current()) l.push(v);
    } catch (err) {
      if (current()) l.fail(toApiError(err));
    }
  }

  private async valueOf<N extends SubscriptionName>(name: N, params: SubscriptionParams<N>): Promise<SubscriptionValue<N>> {
    const now = (this.options.now ?? Date.now)();
    if (name === 'session') return this.state as SubscriptionValue<N>;
    const u = this.need();
    // the day before and after too: a session or a slot may cross midnight
    const around = (e: string, date: string) => u.index.days(e, [addDays(date, -1), date, addDays(date, 1)]);
    const person = (p: Person): ViewPerson => ({ id: p.employeeId, name: p.displayName, timeZone: this.timeZone, ...(p.teamId ? { teamId: p.teamId } : {}) });
    switch (name) {
      case 'sync': {
        const cannotOpen = await u.index.cannotOpenSoFar();
        const outbox = await u.store.db.outbox.count().exec();
        return { databases: u.sync.status(), cannotOpen, outbox } satisfies SyncStatusValue as SubscriptionValue<N>;
      }
      case 'dashboard': {
        const { date } = params as SubscriptionParams<'dashboard'>;
        const recordsByPerson: Record<string, OpenedRecord[]> = {};
        for (const p of u.people) recordsByPerson[p.employeeId] = await around(p.employeeId, date);
        return buildDashboard({ date, people: u.people.map(person), recordsByPerson, now }) as SubscriptionValue<N>;
      }
      case 'personDay': {
        const { employeeId, date } = params as SubscriptionParams<'personDay'>;
        const p = u.people.find((x) => x.employeeId === employeeId);
        if (!p) throw apiError('not-found', `${employeeId} is not among the people this role reviews`);
        return buildPersonDay({ employee: person(p), date, timeZone: this.timeZone, records: await around(employeeId, date), now }) as SubscriptionValue<N>;
      }
      case 'gallery': {
        const { employeeId, date } = params as SubscriptionParams<'gallery'>;
        const p = u.people.find((x) => x.employeeId === employeeId);
        if (!p) throw apiError('not-found', `${employeeId} is not among the people this role reviews`);
        return buildGallery({ employee: person(p), date, timeZone: this.timeZone, records: await around(employeeId, date) }) as SubscriptionValue<N>;
      }
      case 'attendance':
      case 'report': {
        const { scope, from, to } = params as SubscriptionParams<'report'>;
        const chosen = !scope ? u.people : 'employeeId' in scope ? u.people.filter((p) => p.employeeId === scope.employeeId) : u.people.filter((p) => p.teamId === scope.teamId);
        // a day either side: sessions and slots crossing midnight at the range's ends
        const lo = addDays(from, -1);
        const hi = addDays(to, 1);
        const records: OpenedRecord[] = [];
        for (const p of chosen) for (const [d, list] of (await u.index.employee(p.employeeId)).days) if (d >= lo && d <= hi) records.push(...list);
        if (name === 'attendance') return buildAttendanceSheet({ people: chosen.map(person), schedules: {}, from, to, records, now }) as SubscriptionValue<N>;
        const teams = [...new Set(chosen.flatMap((p) => (p.teamId ? [p.teamId] : [])))].map((id) => ({ id, name: id }));
        return buildReport({ people: chosen.map(person), teams, from, to, records, groupBy: (params as SubscriptionParams<'report'>).groupBy ?? 'person', now }) as SubscriptionValue<N>;
      }
      default:
        throw apiError('invalid-input', `unknown subscription ${String(name)}`);
    }
  }
}

/** YYYY-MM-DD plus n calendar days (date arithmetic at noon UTC: no DST edge). */
function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T12:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
