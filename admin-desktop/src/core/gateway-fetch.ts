/**
 * The fetch the replica's CouchDB replication uses: the reviewer's session
 * token as `Authorization: Bearer`, a timeout (long polls get their heartbeat
 * on top), and any non-2xx answer turned into a thrown GatewayError — RxDB's
 * couchdb plugin reads every answer as data, so a 401 would otherwise end
 * the live pull as a TypeError on missing fields.
 */
export class GatewayError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null for a network failure. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface GatewayFetchOptions {
  token: string;
  timeoutMs?: number;
  stopSignal?: AbortSignal;
  /** Each 2xx answer: the link works. */
  onAnswer?: () => void;
  baseFetch?: typeof fetch;
}

/** `GET _changes` from a full URL: what was asked, without host, token or query. */
function label(method: string, url: string): string {
  const last = new URL(url).pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  return `${method} ${last.startsWith('_') ? last : 'document'}`;
}

export function gatewayFetch(options: GatewayFetchOptions): typeof fetch {
  const base = options.baseFetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return (async (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    // (the gateway keeps a `_changes` page full although it leaves design documents out: changes-page.ts)
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const heartbeat = Number(new URL(url).searchParams.get('heartbeat') ?? 0);
    const timeout = AbortSignal.timeout(timeoutMs + (Number.isFinite(heartbeat) ? heartbeat : 0));
    // the caller's own signal too (replica-pull.ts ends a long poll with it)
    const signal = AbortSignal.any([
      timeout,
      ...(options.stopSignal ? [options.stopSignal] : []),
      ...(init.signal ? [init.signal] : []),
    ]);
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${options.token}`);
    let res: Response;
    try {
      res = await base(url, { ...init, headers, signal });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new GatewayError(`${label(method, url)}: server unreachable (${cause})`, null);
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      let reason = '';
      try {
        reason = String((JSON.parse(body) as { reason?: unknown }).reason ?? '');
      } catch {
        // not JSON: the status says enough
      }
      throw new GatewayError(
        `${label(method, url)}: HTTP ${res.status}${reason ? `: ${reason.slice(0, 200)}` : ''}`,
        res.status,
      );
    }
    options.onAnswer?.();
    return res;
  }) as typeof fetch;
}
