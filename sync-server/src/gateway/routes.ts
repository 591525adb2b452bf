/**
 * The whole surface the gateway lets through, as one pure parser: the CouchDB
 * replication endpoints RxDB and PouchDB use, nothing else. Anything not
 * listed here (PUT /db, DELETE /db, _find, _design, _security, _all_dbs,
 * _session, attachments, continuous feeds…) is a 404 or 405 before any
 * credential is even looked at.
 *
 * Query parameters are filtered per endpoint: only known ones are forwarded,
 * so no engine feature can be switched on from outside.
 */
import type { Endpoint } from '../auth/access-rules.js';
import { parseDbName, type ParsedDbName } from '../provisioning/db-names.js';
import { badRequest, methodNotAllowed, notFound } from './gateway-errors.js';

export type Route =
  | { kind: 'root' }
  | {
      kind: 'db';
      dbName: string;
      db: ParsedDbName;
      endpoint: Endpoint;
      /** Document id for `doc` and `local` (without the `_local/` prefix for local). */
      docId?: string;
      /** Forwardable query parameters only. */
      query: URLSearchParams;
    };

const METHODS: Record<Endpoint, readonly string[]> = {
  db: ['GET', 'HEAD'],
  changes: ['GET', 'POST'],
  'all-docs': ['GET', 'POST'],
  'bulk-get': ['POST'],
  'revs-diff': ['POST'],
  'bulk-docs': ['POST'],
  local: ['GET', 'HEAD', 'PUT'],
  doc: ['GET', 'HEAD'],
};

const QUERY: Record<Endpoint, readonly string[]> = {
  db: [],
  changes: [
    'since',
    'limit',
    'include_docs',
    'style',
    'heartbeat',
    'timeout',
    'feed',
    'descending',
    'conflicts',
    'seq_interval',
    'filter',
    'doc_ids',
  ],
  'all-docs': [
    'keys',
    'key',
    'startkey',
    'start_key',
    'endkey',
    'end_key',
    'include_docs',
    'limit',
    'skip',
    'descending',
    'conflicts',
    'inclusive_end',
    'update_seq',
  ],
  'bulk-get': ['revs', 'latest'],
  'revs-diff': [],
  'bulk-docs': [],
  local: [],
  doc: ['rev', 'revs', 'open_revs', 'latest', 'conflicts'],
};

const SEGMENTS: Record<string, Endpoint> = {
  _changes: 'changes',
  _all_docs: 'all-docs',
  _bulk_get: 'bulk-get',
  _revs_diff: 'revs-diff',
  _bulk_docs: 'bulk-docs',
};

const MAX_DOC_ID = 512;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('the path is not valid percent-encoding');
  }
}

function filterQuery(endpoint: Endpoint, search: string): URLSearchParams {
  const out = new URLSearchParams();
  // most pushes carry an empty query (`_bulk_docs?`): nothing to parse
  if (search.length === 0) return out;
  const allowed = QUERY[endpoint];
  for (const [k, v] of new URLSearchParams(search)) {
    if (!allowed.includes(k)) continue; // unknown parameters are dropped, never forwarded
    if (out.has(k)) throw badRequest(`query parameter ${k} is given twice`);
    out.set(k, v);
  }
  if (endpoint === 'changes') checkChangesQuery(out);
  return out;
}

// since: 'now', a sequence number (PouchDB) or CouchDB's `<n>-<opaque>` token
const SINCE = /^(now|\d{1,20}|\d{1,20}-[A-Za-z0-9_-]{1,1000})$/;
const FLAG = /^(true|false)$/;
const COUNT = /^\d{1,9}$/;
const MS = /^(true|\d{1,9})$/;

/** Every `_changes` parameter is checked here: the engines answer nonsense (limit=-1, since=garbage) with a 200. */
function checkChangesQuery(q: URLSearchParams): void {
  const bad = (name: string, what: string): never => {
    throw badRequest(`query parameter ${name} must be ${what}`);
  };
  const feed = q.get('feed');
  if (feed !== null && feed !== 'normal' && feed !== 'longpoll')
    throw badRequest('only feed=normal and feed=longpoll are supported');
  const filter = q.get('filter');
  if (filter !== null && filter !== '_doc_ids') throw badRequest('only filter=_doc_ids is supported');
  const check = (name: string, re: RegExp, what: string): void => {
    const v = q.get(name);
    if (v !== null && !re.test(v)) bad(name, what);
  };
  check('since', SINCE, "'now' or an update sequence");
  check('limit', COUNT, 'a non-negative integer');
  check('seq_interval', COUNT, 'a non-negative integer');
  for (const f of ['include_docs', 'descending', 'conflicts']) check(f, FLAG, 'true or false');
  check('style', /^(main_only|all_docs)$/, 'main_only or all_docs');
  check('timeout', /^\d{1,9}$/, 'a non-negative number of milliseconds');
  check('heartbeat', MS, 'true or a non-negative number of milliseconds');
  const docIds = q.get('doc_ids');
  if (docIds !== null) {
    let ids: unknown;
    try {
      ids = JSON.parse(docIds);
    } catch {
      bad('doc_ids', 'a JSON array of document ids');
    }
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) bad('doc_ids', 'a JSON array of document ids');
  }
}

/** Parses method and URL; throws GatewayError (400/404/405) for anything outside the surface. */
export function parseRoute(method: string, rawUrl: string): Route {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const search = q < 0 ? '' : rawUrl.slice(q + 1);
  if (!path.startsWith('/') || path.includes('//')) throw notFound('no such endpoint');

  if (path === '/') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return { kind: 'root' };
  }

  const segments = path.slice(1).split('/');
  // GET /db/ (trailing slash) is how PouchDB asks for database info
  if (segments.length === 2 && segments[1] === '') segments.pop();
  const dbName = decode(segments[0]!);
  const db = parseDbName(dbName);
  if (!db) throw notFound(dbName.startsWith('_') ? 'no such endpoint' : `no such database ${dbName}`);

  let endpoint: Endpoint;
  let docId: string | undefined;
  if (segments.length === 1) {
    endpoint = 'db';
  } else if (segments.length === 2) {
    const second = decode(segments[1]!);
    // own keys only: a document named `constructor` or `valueOf` is a document, not an Object method
    const special = Object.hasOwn(SEGMENTS, second) ? SEGMENTS[second] : undefined;
    if (special) endpoint = special;
    else if (second.startsWith('_')) throw notFound(`${second} is not available`);
    else {
      endpoint = 'doc';
      docId = second;
    }
  } else if (segments.length === 3 && segments[1] === '_local') {
    endpoint = 'local';
    docId = decode(segments[2]!);
  } else {
    throw notFound('no such endpoint');
  }
  if (docId !== undefined && (docId.length === 0 || docId.length > MAX_DOC_ID)) throw badRequest('invalid document id');

  const allowed = METHODS[endpoint];
  if (!allowed.includes(method)) throw methodNotAllowed(method, allowed);
  return {
    kind: 'db',
    dbName,
    db,
    endpoint,
    ...(docId !== undefined ? { docId } : {}),
    query: filterQuery(endpoint, search),
  };
}
