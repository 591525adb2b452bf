/**
 * What the employee's status says about a failed replication cycle. RxDB
 * wraps the failure in a generic error ("RxDB Error-Code: RC_PUSH …") and
 * keeps the real one as plain JSON in its parameters; this digs it out —
 * the SyncRequestError text from authorizedFetch, or the cause's message —
 * bounded and scrubbed of anything credential-like.
 */
import { scrubSecrets } from './authorized-fetch.js';

const MAX = 300;

const WHAT: Record<string, string> = {
  RC_PUSH: 'push failed',
  RC_PULL: 'pull failed',
  RC_STREAM: 'live pull failed',
};

interface PlainError {
  message?: unknown;
  code?: unknown;
  parameters?: { errors?: unknown; error?: unknown };
}

const asPlain = (x: unknown): PlainError | undefined => (x && typeof x === 'object' ? (x as PlainError) : undefined);

function innerMessages(err: PlainError, depth = 0): string[] {
  if (depth > 3) return [];
  const params = err.parameters;
  const inner = [...(Array.isArray(params?.errors) ? params.errors : []), ...(params?.error ? [params.error] : [])]
    .map(asPlain)
    .filter((x): x is PlainError => !!x);
  const out: string[] = [];
  for (const e of inner) {
    const deeper = innerMessages(e, depth + 1);
    if (deeper.length) out.push(...deeper);
    else if (typeof e.message === 'string' && e.message) out.push(e.message);
  }
  return out;
}

export function syncErrorMessage(err: unknown): string {
  const e = asPlain(err);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const inner = e ? [...new Set(innerMessages(e))] : [];
  let text: string;
  if (inner.length) text = `${(code && WHAT[code]) ?? code ?? 'sync failed'}: ${inner.join('; ')}`;
  else text = err instanceof Error ? err.message : String(err);
  text = scrubSecrets(text);
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
