/**
 * Actions taken while the server may be away (a correction decision, a policy
 * layer): already signed, stored in the replica's `outbox` collection before
 * the request that made them returns, and delivered in order when the server
 * answers. An item leaves the outbox only after the server acknowledged it.
 *
 * Idempotent by construction: an action writes documents with fixed ids, and
 * before writing each one the sender reads what the server holds under that
 * id. The same content there means an earlier attempt got through (the app
 * died between the server's answer and the removal here): delivered, nothing
 * written twice. Different content is a conflict ('create') or is replaced
 * ('replace', e.g. a newer policy layer of the same level).
 *
 *   enqueue ──▶ waiting ──send ok──▶ removed
 *                 │  ▲
 *   unreachable,  │  │ backoff (min … max, doubled per failure, reset when
 *   5xx, 401      ▼  │ the replica sync sees the server again)
 *               blocked: later items wait, order kept
 *
 *   403, 400, 404, a conflict: the item keeps its error (shown on it, never
 *   dropped) and later items go on; it is tried again at the slowest pace
 *   until it goes through or a person discards it.
 */
import type { RxCollection } from 'rxdb';
import { AdminError } from '../admin/admin-error.js';
import type { ServerClient } from '../admin/node/server-client.js';
import { apiError } from './core-errors.js';
import type { OutboxDoc } from './replica-store.js';

/** 'create': a different document under the id is a conflict; 'replace': it is overwritten. */
export type OutboxWriteMode = 'create' | 'replace';

/** A document as `_bulk_docs` takes it, without `_rev` (the sender adds the current one). */
export type OutboxWireDoc = { _id: string } & Record<string, unknown>;

export interface OutboxAction {
  /** Stable for the action: enqueuing the same action twice keeps one item. */
  id: string;
  /** Kind of action, e.g. 'correction-decision', 'policy-layer'. */
  type: string;
  /** For people: what waits, e.g. "approve correction req-1 (ada)". */
  what: string;
  /** Target server database. */
  db: string;
  /** The signed documents, written together with one `_bulk_docs`. */
  docs: OutboxWireDoc[];
  mode: OutboxWriteMode;
  /** Ids a view marks as waiting (e.g. the correction request id). */
  refs?: string[];
}

export interface OutboxItem {
  id: string;
  type: string;
  what: string;
  db: string;
  docIds: string[];
  refs: string[];
  createdAt: number;
  attempts: number;
  lastError: string | null;
  /** 'refused': the server said no (not a network matter); shown until sent or discarded. */
  state: 'waiting' | 'refused';
}

interface StoredPayload {
  what: string;
  db: string;
  docs: OutboxWireDoc[];
  mode: OutboxWriteMode;
  refs: string[];
}

export interface OutboxOptions {
  collection: RxCollection<OutboxDoc>;
  /** The session's client; asked on each attempt. */
  client: () => ServerClient;
  minRetryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
  /** Called after the queue changed (an item added, sent, failed or discarded). */
  onChange?: () => void;
  /** The server acknowledged an action: it answers again (the caller may wake other links). */
  onDelivered?: () => void;
  /**
   * Where the last delivered actions are noted (the replica's meta): a view
   * can say "sent" until the result shows in synced records (a decision is
   * sealed by the employee's device only when it has pulled it).
   */
  meta?: {
    getMeta<T extends object>(id: string): Promise<T | undefined>;
    putMeta(id: string, data: object): Promise<void>;
  };
}

export interface DeliveredAction {
  id: string;
  what: string;
  refs: string[];
  at: number;
}

const DELIVERED_META = 'outbox-delivered';
/** Enough for a busy day of decisions; older notes drop off (the records say the rest). */
const DELIVERED_KEPT = 500;

/** The server refused this item for good reasons of its own: keep it, go on with the next. */
class Refusal extends Error {}

/** Errors that say nothing about this item but about the link or session: stop, keep order, retry later. */
function isTransient(err: unknown): boolean {
  if (err instanceof Refusal) return false;
  if (!(err instanceof AdminError)) return true; // unknown: never drop, retry
  return err.code === 'unreachable' || err.code === 'server' || err.code === 'not-logged-in' || err.code === 'exists';
}

function describe(err: unknown): string {
  if (err instanceof AdminError && err.code === 'not-logged-in')
    return 'the server ended this session: sign in again (the action stays queued)';
  const m = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return m.slice(0, 300);
}

/** JSON with sorted keys: the server may return fields in another order. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object')
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(x);
}

const content = (d: Record<string, unknown>): string => {
  const { _id: _i, _rev: _r, ...rest } = d;
  return canonical(rest);
};

export class Outbox {
  private readonly minRetry: number;
  private readonly maxRetry: number;
  private retryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queuedPass: Promise<void> | null = null;
  private stopped = false;
  private readonly refused = new Set<string>();

  constructor(private readonly o: OutboxOptions) {
    this.minRetry = o.minRetryMs ?? 1000;
    this.maxRetry = o.maxRetryMs ?? 60_000;
    this.retryMs = this.minRetry;
  }

  /**
   * Stores the action durably (the replica's LevelDB write has returned)
   * and starts a delivery attempt without waiting for it. The same id with
   * the same documents is the same action: kept once.
   */
  async enqueue(action: OutboxAction): Promise<OutboxItem> {
    if (action.docs.length === 0) throw apiError('invalid-input', `action ${action.id} has no documents`);
    const payload: StoredPayload = {
      what: action.what,
      db: action.db,
      docs: action.docs,
      mode: action.mode,
      refs: action.refs ?? [],
    };
    const existing = await this.o.collection.findOne(action.id).exec();
    if (existing) {
      const had = existing.toJSON().payload as unknown as StoredPayload;
      if (canonical(had.docs) !== canonical(payload.docs) || had.db !== payload.db)
        throw apiError('invalid-input', `${action.what}: another action with this id is already waiting to sync`);
      return this.view(existing.toMutableJSON());
    }
    const doc: OutboxDoc = {
      id: action.id,
      type: action.type,
      payload: payload as unknown as Record<string, unknown>,
      createdAt: (this.o.now ?? Date.now)(),
      attempts: 0,
      lastError: null,
    };
    await this.o.collection.insert(doc);
    this.o.onChange?.();
    void this.flush();
    return this.view(doc);
  }

  /** Every waiting action, oldest first. */
  async list(): Promise<OutboxItem[]> {
    const docs = (await this.o.collection.find().exec()).map((d) => d.toMutableJSON());
    return docs.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((d) => this.view(d));
  }

  /** The most recently delivered actions, newest last. */
  async delivered(): Promise<DeliveredAction[]> {
    return (await this.o.meta?.getMeta<{ list: DeliveredAction[] }>(DELIVERED_META))?.list ?? [];
  }

  async has(id: string): Promise<boolean> {
    return (await this.o.collection.findOne(id).exec()) !== null;
  }

  /** A person gives up on an action (e.g. one the server refuses): it is removed, never sent. */
  async discard(id: string): Promise<void> {
    const d = await this.o.collection.findOne(id).exec();
    if (!d) throw apiError('not-found', `no waiting action ${id}`);
    await d.remove();
    this.refused.delete(id);
    this.o.onChange?.();
  }

  /**
   * One delivery pass over the queue, after any pass already running.
   * Resolves when that pass ended (sent what it could); never rejects.
   */
  flush(): Promise<void> {
    if (this.queuedPass) return this.queuedPass;
    const p = this.chain.then(async () => {
      this.queuedPass = null;
      await this.pass();
    });
    this.queuedPass = p;
    this.chain = p.catch(() => undefined);
    return p.catch(() => undefined);
  }

  /** The server answers again (the replica sync saw it): retry now, from the shortest delay. */
  nudge(): void {
    this.retryMs = this.minRetry;
    void this.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  // ── internals ──

  private view(d: OutboxDoc): OutboxItem {
    const p = d.payload as unknown as StoredPayload;
    return {
      id: d.id,
      type: d.type,
      what: p.what,
      db: p.db,
      docIds: p.docs.map((x) => x._id),
      refs: p.refs,
      createdAt: d.createdAt,
      attempts: d.attempts,
      lastError: d.lastError,
      state: this.refused.has(d.id) ? 'refused' : 'waiting',
    };
  }

  private async pass(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const docs = await this.o.collection.find().exec();
    const items = docs
      .map((d) => d.toMutableJSON())
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    let blocked = false;
    for (const item of items) {
      if (this.stopped) return;
      try {
        await this.deliver(item.payload as unknown as StoredPayload);
      } catch (err) {
        const transient = isTransient(err);
        if (transient) this.refused.delete(item.id);
        else this.refused.add(item.id);
        await this.noteFailure(item.id, describe(err));
        if (transient) {
          blocked = true;
          break; // keep the order: nothing after it goes before it
        }
        continue;
      }
      // acknowledged by the server: noted, and only now does it leave the replica
      const p = item.payload as unknown as StoredPayload;
      if (this.o.meta)
        await this.o.meta.putMeta(DELIVERED_META, {
          list: [
            ...(await this.delivered()),
            { id: item.id, what: p.what, refs: p.refs, at: (this.o.now ?? Date.now)() },
          ].slice(-DELIVERED_KEPT),
        });
      const row = await this.o.collection.findOne(item.id).exec();
      await row?.remove();
      this.refused.delete(item.id);
      this.o.onChange?.();
      this.o.onDelivered?.();
    }
    if (this.stopped) return;
    const left = await this.o.collection.count().exec();
    if (left === 0) {
      this.retryMs = this.minRetry;
      return;
    }
    const delay = blocked ? this.retryMs : this.maxRetry;
    if (blocked) this.retryMs = Math.min(this.maxRetry, this.retryMs * 2);
    this.timer = setTimeout(() => void this.flush(), delay);
    this.timer.unref?.();
  }

  private async noteFailure(id: string, message: string): Promise<void> {
    const row = await this.o.collection.findOne(id).exec();
    if (!row) return;
    await row.incrementalPatch({ attempts: row.attempts + 1, lastError: message });
    this.o.onChange?.();
  }

  /** Writes what the server does not hold yet; an identical document there counts as delivered. */
  private async deliver(p: StoredPayload): Promise<void> {
    const client = this.o.client();
    const toWrite: Array<Record<string, unknown>> = [];
    for (const doc of p.docs) {
      const cur = await client.getDoc<Record<string, unknown>>(p.db, doc._id);
      if (!cur) {
        toWrite.push(doc);
        continue;
      }
      if (content(cur) === content(doc)) continue; // an earlier attempt got through
      if (p.mode === 'create')
        throw new Refusal(`conflict: ${p.db} already holds a different ${doc._id} (decided or published elsewhere)`);
      toWrite.push({ ...doc, _rev: cur._rev });
    }
    // a 403/400/404 here is a refusal, a 409 (someone wrote meanwhile) is retried and compared again
    if (toWrite.length > 0) await client.bulkDocs(p.db, toWrite);
  }
}
