/**
 * A `_changes` page with `limit` stays full after design documents are left
 * out (design-doc-filter.ts). Clients — RxDB's pull, PouchDB's replicator —
 * take a page shorter than `limit` as "caught up"; a page cut short by a
 * dropped `_design/` row would stop them early. So the gateway asks the engine
 * for a few rows more, keeps `limit` data rows and points `last_seq` at the
 * last row it kept (every row's seq is a valid `since`), and asks again when a
 * page was all design documents.
 */
import { GatewayError } from './gateway-errors.js';

export interface EnginePage {
  status: number;
  raw: Buffer;
}

/** Rows asked for beyond `limit`: more than the design documents a database holds. */
export const DESIGN_SLACK = 8;
const MAX_ROUNDS = 8;

type Row = { id?: unknown; seq?: unknown };
type Page = { results: Row[]; last_seq?: unknown; pending?: unknown; [k: string]: unknown };

const isDesign = (r: Row | null): boolean => typeof r?.id === 'string' && r.id.startsWith('_design/');

function parse(raw: Buffer): Page {
  let p: unknown;
  try {
    p = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GatewayError('bad_gateway', 'the storage engine answered with invalid JSON');
  }
  if (typeof p !== 'object' || p === null || !Array.isArray((p as Page).results))
    throw new GatewayError('bad_gateway', 'the storage engine answered _changes without results');
  return p as Page;
}

/**
 * `fetchPage(since, limit)` asks the engine for one page (since null = the
 * client's own `since`). Returns the answer to send: the engine's own when it
 * is not a 200.
 */
export async function fullChangesPage(
  limit: number,
  fetchPage: (since: unknown, limit: number) => Promise<EnginePage>,
): Promise<EnginePage> {
  const kept: Row[] = [];
  let since: unknown = null;
  let last: Page | null = null;
  for (let round = 0; round < MAX_ROUNDS && kept.length < limit; round++) {
    const ask = limit - kept.length + DESIGN_SLACK;
    const answer = await fetchPage(since, ask);
    if (answer.status !== 200) return answer;
    const page = parse(answer.raw);
    last = page;
    let cutAt: unknown = null;
    for (const r of page.results) {
      if (kept.length === limit) break;
      cutAt = r.seq;
      if (!isDesign(r)) kept.push(r);
    }
    const consumedAll =
      kept.length < limit || page.results.length === 0 || page.results[page.results.length - 1]?.seq === cutAt;
    if (!consumedAll) {
      // more rows than asked: end the page at the last row kept
      const dropped = page.results.length - page.results.findIndex((r) => r.seq === cutAt) - 1;
      const pending = typeof page.pending === 'number' ? { pending: page.pending + dropped } : {};
      return { status: 200, raw: Buffer.from(JSON.stringify({ ...page, ...pending, results: kept, last_seq: cutAt })) };
    }
    // the engine had fewer rows than asked: this is the end of the feed
    if (page.results.length < ask) break;
    since = page.last_seq;
  }
  return {
    status: 200,
    raw: Buffer.from(
      JSON.stringify({ ...(last ?? {}), results: kept, ...(last ? { last_seq: last.last_seq } : { last_seq: since }) }),
    ),
  };
}
