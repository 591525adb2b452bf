/**
 * A fetch that counts what a replicator asks the gateway for, per endpoint
 * (requests and request body bytes): the evidence for why one replicator is
 * faster than the other. It wraps the real fetch; nothing is changed.
 */
export type Endpoint =
  'root' | 'all-docs' | 'bulk-docs' | 'revs-diff' | 'bulk-get' | 'changes' | 'local' | 'db' | 'other';

export interface RequestCounts {
  requests: Partial<Record<Endpoint, number>>;
  bodyBytes: Partial<Record<Endpoint, number>>;
  /** Wall time spent waiting on responses, summed over requests (longpolls excluded). */
  waitMs: Partial<Record<Endpoint, number>>;
}

function endpointOf(url: string): Endpoint {
  const path = new URL(url).pathname;
  if (path === '/') return 'root'; // PouchDB asks the server root for its uuid (replication id)
  if (path.includes('/_all_docs')) return 'all-docs';
  if (path.includes('/_bulk_docs')) return 'bulk-docs';
  if (path.includes('/_revs_diff')) return 'revs-diff';
  if (path.includes('/_bulk_get')) return 'bulk-get';
  if (path.includes('/_changes')) return 'changes';
  if (path.includes('/_local/')) return 'local';
  if (/^\/[^/_][^/]*\/?$/.test(path)) return 'db';
  return 'other';
}

export function countingFetch(
  base: typeof fetch,
  headers: Record<string, string> = {},
): { fetch: typeof fetch; counts: RequestCounts } {
  const counts: RequestCounts = { requests: {}, bodyBytes: {}, waitMs: {} };
  const add = (m: Partial<Record<Endpoint, number>>, k: Endpoint, n: number) => (m[k] = (m[k] ?? 0) + n);
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const ep = endpointOf(url);
    add(counts.requests, ep, 1);
    const body = init?.body;
    if (typeof body === 'string') add(counts.bodyBytes, ep, Buffer.byteLength(body));
    else if (body instanceof Uint8Array) add(counts.bodyBytes, ep, body.byteLength);
    let h = init?.headers;
    if (Object.keys(headers).length) {
      const merged = new Headers(h);
      for (const [k, v] of Object.entries(headers)) merged.set(k, v);
      h = merged;
    }
    const t0 = performance.now();
    const res = await base(input, { ...init, ...(h ? { headers: h } : {}) });
    if (!url.includes('feed=longpoll')) add(counts.waitMs, ep, performance.now() - t0);
    return res;
  };
  return { fetch: wrapped, counts };
}
