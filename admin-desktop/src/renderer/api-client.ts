/**
 * The renderer's end of the admin API over the loopback WebSocket: the same
 * AdminApi the Electron preload exposes. Every result and value is checked
 * before the UI sees it; messages sent before the socket opens wait for it.
 * The socket's token works once, so a dropped connection is final: the page
 * says so instead of retrying with a spent token.
 */
import {
  ApiRequestError,
  type AdminApi,
  type ApiError,
  type ClientMessage,
  type RequestName,
  type RequestParams,
  type RequestResult,
  type SubscriptionName,
  type SubscriptionParams,
  type SubscriptionValue,
} from '../api/admin-api.js';
import { checkResult, checkValue, parseServerMessage } from '../api/api-guards.js';

export interface SocketApi extends AdminApi {
  /** Called once when the connection ends (server stopped, token refused). */
  onClose(listener: () => void): void;
}

export function connectSocketApi(wsUrl: string): SocketApi {
  const ws = new WebSocket(wsUrl);
  let nextId = 1;
  const queue: string[] = [];
  const pending = new Map<number, { name: RequestName; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const subs = new Map<
    number,
    { name: SubscriptionName; onValue: (v: unknown) => void; onError?: (e: ApiError) => void }
  >();
  const closeListeners: Array<() => void> = [];
  let closed = false;

  const send = (msg: ClientMessage) => {
    const text = JSON.stringify(msg);
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
    else if (ws.readyState === WebSocket.CONNECTING) queue.push(text);
  };
  ws.addEventListener('open', () => {
    for (const m of queue.splice(0)) ws.send(m);
  });
  ws.addEventListener('close', () => {
    closed = true;
    for (const p of pending.values())
      p.reject(new ApiRequestError('server-unreachable', 'the connection to the admin core ended'));
    pending.clear();
    for (const l of closeListeners) l();
  });
  ws.addEventListener('message', (ev) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(ev.data));
    } catch {
      return; // not ours: the core only sends JSON
    }
    const msg = parseServerMessage(raw);
    if (!msg) return;
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (!msg.ok) return p.reject(new ApiRequestError(msg.error.code, msg.error.message));
      const checked = checkResult(p.name, msg.result);
      if (checked.ok) p.resolve(checked.value);
      else p.reject(new ApiRequestError(checked.error.code, checked.error.message));
      return;
    }
    const s = subs.get(msg.id);
    if (!s) return;
    if (msg.t === 'err') return s.onError?.(msg.error);
    const checked = checkValue(s.name, msg.value);
    if (checked.ok) s.onValue(checked.value);
    else s.onError?.(checked.error);
  });

  return {
    request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
      if (closed)
        return Promise.reject(new ApiRequestError('server-unreachable', 'the connection to the admin core ended'));
      const id = nextId++;
      return new Promise<RequestResult<N>>((resolve, reject) => {
        pending.set(id, { name, resolve: resolve as (v: unknown) => void, reject });
        send({ t: 'req', id, name, params });
      });
    },
    subscribe<N extends SubscriptionName>(
      name: N,
      params: SubscriptionParams<N>,
      onValue: (v: SubscriptionValue<N>) => void,
      onError?: (e: ApiError) => void,
    ) {
      const id = nextId++;
      subs.set(id, { name, onValue: onValue as (v: unknown) => void, ...(onError ? { onError } : {}) });
      send({ t: 'sub', id, name, params });
      return () => {
        subs.delete(id);
        send({ t: 'unsub', id });
      };
    },
    onClose(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
  };
}
