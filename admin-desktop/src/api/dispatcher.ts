/**
 * The server side of the API, one per connection (a WebSocket, an Electron
 * window): validates each client message, calls the core, and sends results
 * and subscription values back. It trusts nothing the renderer sends: a bad
 * message gets a typed 'invalid-input' answer and the connection stays up.
 */
import type {
  ApiError,
  RequestName,
  RequestParams,
  RequestResult,
  ServerMessage,
  SubscriptionName,
  SubscriptionParams,
  SubscriptionValue,
} from './admin-api.js';
import {
  checkRequestParams,
  checkSubscriptionParams,
  isRequestName,
  isSubscriptionName,
  parseClientMessage,
} from './api-guards.js';

/** What the dispatcher needs from the core (the consumer owns the port). */
export interface AdminCorePort {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>>;
  subscribe<N extends SubscriptionName>(
    name: N,
    params: SubscriptionParams<N>,
    push: (v: SubscriptionValue<N>) => void,
    fail: (e: ApiError) => void,
  ): () => void;
  /** Any thrown value as a typed, human error without secrets. */
  toApiError(err: unknown): ApiError;
}

export interface Dispatcher {
  receive(raw: unknown): void;
  /** The connection ended: end its subscriptions. */
  close(): void;
}

const MAX_SUBSCRIPTIONS = 64;

export function createDispatcher(core: AdminCorePort, send: (msg: ServerMessage) => void): Dispatcher {
  const subs = new Map<number, () => void>();
  let closed = false;
  const out = (msg: ServerMessage) => {
    if (!closed) send(msg);
  };

  return {
    receive(raw) {
      const parsed = parseClientMessage(raw);
      if (!parsed.ok) {
        const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
        out({ t: 'res', id, ok: false, error: parsed.error });
        return;
      }
      const msg = parsed.value;
      if (msg.t === 'unsub') {
        subs.get(msg.id)?.();
        subs.delete(msg.id);
        return;
      }
      if (msg.t === 'req') {
        if (!isRequestName(msg.name))
          return out({
            t: 'res',
            id: msg.id,
            ok: false,
            error: { code: 'invalid-input', message: `unknown request ${msg.name.slice(0, 40)}` },
          });
        const p = checkRequestParams(msg.name, msg.params);
        if (!p.ok) return out({ t: 'res', id: msg.id, ok: false, error: p.error });
        core.request(msg.name, p.value).then(
          (result) => out({ t: 'res', id: msg.id, ok: true, result }),
          (err: unknown) => out({ t: 'res', id: msg.id, ok: false, error: core.toApiError(err) }),
        );
        return;
      }
      if (!isSubscriptionName(msg.name))
        return out({
          t: 'err',
          id: msg.id,
          error: { code: 'invalid-input', message: `unknown subscription ${msg.name.slice(0, 40)}` },
        });
      const p = checkSubscriptionParams(msg.name, msg.params);
      if (!p.ok) return out({ t: 'err', id: msg.id, error: p.error });
      if (subs.has(msg.id) || subs.size >= MAX_SUBSCRIPTIONS)
        return out({
          t: 'err',
          id: msg.id,
          error: {
            code: 'invalid-input',
            message: subs.has(msg.id)
              ? `subscription id ${msg.id} is in use`
              : 'too many subscriptions on one connection',
          },
        });
      subs.set(
        msg.id,
        core.subscribe(
          msg.name,
          p.value,
          (value) => out({ t: 'val', id: msg.id, value }),
          (error) => out({ t: 'err', id: msg.id, error }),
        ),
      );
    },
    close() {
      closed = true;
      for (const u of subs.values()) u();
      subs.clear();
    },
  };
}
