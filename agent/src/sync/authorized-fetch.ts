/**
 * The fetch RxDB's CouchDB replication uses: adds the device credential and a
 * timeout to every request. Long-poll requests get the poll time on top, so a
 * quiet feed is not mistaken for a dead server.
 */
export interface FetchOptions {
  authorization: string;
  timeoutMs?: number;
  /** The fetch underneath (serverFetch: trusts an enrollment CA); default the global fetch, which verifies TLS. */
  baseFetch?: typeof fetch;
  /** Aborts every request in flight (sync stopping: a long-poll must not hold the process for its full timeout). */
  stopSignal?: AbortSignal;
}

export function authorizedFetch(options: FetchOptions): typeof fetch {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.baseFetch ?? fetch;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', options.authorization);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const longpoll = url.includes('feed=longpoll');
    const timeout = AbortSignal.timeout(longpoll ? timeoutMs + 70_000 : timeoutMs);
    const signal = options.stopSignal ? AbortSignal.any([timeout, options.stopSignal]) : timeout;
    return base(input, { ...init, headers, signal });
  };
}

export function deviceAuthorization(deviceId: string, credential: string): string {
  return `Basic ${Buffer.from(`${deviceId}:${credential}`).toString('base64')}`;
}
