/**
 * Design documents (the engine's validate_doc_update) are rules, not data:
 * a client replicating a database must not receive them as if they were
 * records (RxDB would store `_design/sealtime` in its inbox collection).
 * Listings from the engine pass through here before they reach a client.
 */
import { GatewayError } from './gateway-errors.js';

/** `keep`: a further filter on row ids (a listing bounded to a prefix keeps only that prefix's rows). */
export function withoutDesignDocs(raw: Buffer, listKey: 'results' | 'rows', keep?: (id: string) => boolean): Buffer {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new GatewayError('bad_gateway', 'the storage engine answered with invalid JSON');
  }
  const list = parsed[listKey];
  if (!Array.isArray(list)) return raw;
  const kept = list.filter(
    (r: { id?: unknown } | null) =>
      !(typeof r?.id === 'string' && r.id.startsWith('_design/')) &&
      (keep === undefined || (typeof r?.id === 'string' && keep(r.id))),
  );
  // a bounded listing says nothing of the rest of the database: not even how many documents it holds
  if (keep !== undefined && 'total_rows' in parsed)
    return Buffer.from(JSON.stringify({ ...parsed, total_rows: kept.length, offset: 0, [listKey]: kept }));
  return kept.length === list.length ? raw : Buffer.from(JSON.stringify({ ...parsed, [listKey]: kept }));
}
