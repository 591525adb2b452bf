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

/**
 * The gateway drops design documents from a `_changes` page after the engine
 * cut it at `limit`, so a full page can arrive one or two rows short — and
 * RxDB's pull takes a short page as "caught up" and stops until something
 * new arrives. Asking for a few more rows than RxDB's batch keeps a full page
 * full (as long as a page holds at most DESIGN_SLACK design documents; a
 * consolidated database has one or two). More rows than the batch are fine.
 */
const DESIGN_SLACK = 16;
export function widenChangesPage(url: string): string {
  const u = new URL(url);
  const limit = Number(u.searchParams.get('limit'));
  if (!u.pathname.endsWith('/_changes') || u.searchParams.get('feed') === 'longpoll' || !Number.isSafeInteger(limit) || limit <= 0) return url;
  u.searchParams.set('limit', String(limit + DESIGN_SLACK));
  return u.href;
}

/** `GET _changes` from a full URL: what was asked, without host, token or query. */
function label(method: string, url: string): string {
  const last = (new URL(url).pathname.replace(/\/+$/, '').split('/').pop() ?? '');
  return `${method} ${last.startsWith('_') ? last : 'document'}`;
}

export function gatewayFetch(options: GatewayFetchOptions): typeof fetch {
  const base = options.baseFetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return (async (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const url = widenChangesPage(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    const heartbeat = Number(new URL(url).searchParams.get('heartbeat') ?? 0);
    const timeout = AbortSignal.timeout(timeoutMs + (Number.isFinite(heartbeat) ? heartbeat : 0));
    const signal = options.stopSignal ? AbortSignal.any([timeout, options.stopSignal]) : timeout;
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
      throw new GatewayError(`${label(method, url)}: HTTP ${res.status}${reason ? `: ${reason.slice(0, 200)}` : ''}`, res.status);
    }
    options.onAnswer?.();
    return res;
  }) as typeof fetch;
}
