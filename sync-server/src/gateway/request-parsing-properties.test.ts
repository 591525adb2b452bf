// Properties of the gateway's request parsing (fast-check, seeded, bounded):
// any method, path and query give a route or a typed 4xx GatewayError, never
// another throw; what a route forwards stays inside the surface; any body and
// headers give the parsed JSON or a typed 400/413/415.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { GatewayError } from './gateway-errors.js';
import { readJsonBody } from './json-body.js';
import { parseRoute, type Route } from './routes.js';

const SEED = 67824754;
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'COPY', 'TRACE', 'CONNECT', 'get', ''];
const SPECIAL = [
  '_changes',
  '_all_docs',
  '_bulk_get',
  '_revs_diff',
  '_bulk_docs',
  '_local',
  '_find',
  '_design',
  '_security',
  '_all_dbs',
  '_session',
  '_index',
  '_purge',
  '',
];
const DBS = [
  'st-emp-e1-records',
  'st-emp-e1-blobs',
  'st-emp-e1-inbox',
  'st-team-t1-records',
  'st-org-records',
  '_users',
  '_replicator',
  'st-emp-E1-records',
  'other',
];
const PARAMS = [
  'since',
  'limit',
  'include_docs',
  'style',
  'heartbeat',
  'timeout',
  'feed',
  'filter',
  'doc_ids',
  'keys',
  'rev',
  'open_revs',
  'revs',
  'attachments',
  'conflicts',
  'x',
];

/** Every answer parseRoute may give: a route, or a GatewayError of the parsing kind. */
function outcome(method: string, url: string): Route | GatewayError {
  try {
    return parseRoute(method, url);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw new Error(`parseRoute(${JSON.stringify(method)}, ${JSON.stringify(url)}) threw ${String(e)}`);
  }
}

// a piece of a path: surface words, percent escapes (valid or not), or anything
const piece = fc.oneof(
  fc.constantFrom(...DBS, ...SPECIAL),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('%', '%2', '%zz', '%2F', '%00', '%E0%A4%A', '%C3%A9', '..', '.', 'a%3Ab'),
  // names an object lookup may find on Object.prototype
  fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const query = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 6 })), fc.string({ maxLength: 10 })),
  { maxLength: 5 },
);
const url = fc.oneof(
  fc
    .tuple(fc.array(piece, { minLength: 0, maxLength: 4 }), fc.option(query), fc.boolean())
    .map(([segments, q, slash]) => {
      const path = '/' + segments.join('/') + (slash ? '/' : '');
      return q === null
        ? path
        : `${path}?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    }),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);
const method = fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 8 }));

describe('gateway request parsing properties', () => {
  it('any method and URL: a route or a 400/404/405 GatewayError, never another throw', () => {
    fc.assert(
      fc.property(method, url, (m, u) => {
        const r = outcome(m, u);
        if (r instanceof GatewayError) {
          expect([400, 404, 405]).toContain(r.status);
          expect(r.reason.length).toBeGreaterThan(0);
          if (r.status === 405) expect(r.headers.allow).toBeTruthy();
        }
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('a route stays inside the surface: known endpoint, its methods, query a subset of what was sent', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'HEAD', 'PUT', 'POST'), url, (m, u) => {
        const r = outcome(m, u);
        if (r instanceof GatewayError) return;
        // a route is only ever given for the exact, listed database names
        if (r.kind === 'root') {
          expect(u.split('?')[0]).toBe('/');
          return;
        }
        expect(['db', 'changes', 'all-docs', 'bulk-get', 'revs-diff', 'bulk-docs', 'local', 'doc']).toContain(
          r.endpoint,
        );
        expect(r.dbName.startsWith('_')).toBe(false);
        if (r.docId !== undefined) expect(r.docId.length).toBeGreaterThan(0);
        if (r.endpoint === 'doc') expect(r.docId!.startsWith('_')).toBe(false);
        if (r.endpoint === 'bulk-docs' || r.endpoint === 'revs-diff' || r.endpoint === 'bulk-get')
          expect(m).toBe('POST');
        if (m === 'PUT') expect(r.endpoint).toBe('local');
        const sent = new URLSearchParams(u.includes('?') ? u.slice(u.indexOf('?') + 1) : '');
        for (const [k, v] of r.query) expect(sent.getAll(k)).toEqual([v]);
        if (r.endpoint === 'db' || r.endpoint === 'bulk-docs' || r.endpoint === 'local')
          expect([...r.query.keys()]).toEqual([]);
        if (r.endpoint === 'changes') {
          expect([null, 'normal', 'longpoll']).toContain(r.query.get('feed'));
          expect([null, '_doc_ids']).toContain(r.query.get('filter'));
        }
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('a route is found for every listed endpoint, whatever document id it names', () => {
    // the positive side, so the properties above are not satisfied by refusing everything
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100 }).filter((s) => !s.startsWith('_')),
        (docId) => {
          const r = outcome('GET', `/st-emp-e1-blobs/${encodeURIComponent(docId)}`);
          expect(r instanceof GatewayError ? r.message : r).toMatchObject({ kind: 'db', endpoint: 'doc', docId });
          const local = outcome('PUT', `/st-emp-e1-records/_local/${encodeURIComponent(docId)}`);
          expect(local instanceof GatewayError ? local.message : local).toMatchObject({ endpoint: 'local', docId });
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('any body and headers: the parsed JSON, or a 400/413/415 GatewayError', async () => {
    const LIMIT = 256;
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'Application/JSON',
        'application/json; charset=latin1',
        'text/plain',
        'application/jsonx',
        '',
      ),
      fc.string({ maxLength: 20 }),
    );
    const body = fc.oneof(
      fc.json().map((t) => Buffer.from(t)),
      fc.string({ maxLength: 300 }).map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(
        contentType,
        fc.option(fc.constantFrom('identity', 'gzip', 'br', 'IDENTITY')),
        fc.option(fc.oneof(fc.nat(1000).map(String), fc.string({ maxLength: 5 }))),
        body,
        fc.integer({ min: 1, max: 64 }),
        async (type, encoding, length, bytes, chunk) => {
          const req = new IncomingMessage(new Socket());
          req.headers = {
            'content-type': type,
            ...(encoding !== null ? { 'content-encoding': encoding } : {}),
            ...(length !== null ? { 'content-length': length } : {}),
          };
          for (let i = 0; i < bytes.length; i += chunk) req.push(bytes.subarray(i, i + chunk));
          req.push(null);
          let result: { value: unknown } | { error: unknown };
          try {
            result = { value: await readJsonBody(req, LIMIT) };
          } catch (e) {
            result = { error: e };
          }
          if ('error' in result) {
            expect(result.error).toBeInstanceOf(GatewayError);
            expect([400, 413, 415]).toContain((result.error as GatewayError).status);
            return;
          }
          // accepted: a JSON type, within the limit, and exactly what the text says
          expect(type.toLowerCase().split(';')[0]!.trim()).toBe('application/json');
          expect(bytes.length).toBeLessThanOrEqual(LIMIT);
          expect(result.value).toEqual(JSON.parse(bytes.toString('utf8')));
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
