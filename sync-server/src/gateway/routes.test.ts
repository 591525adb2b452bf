import { describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-errors.js';
import { parseRoute } from './routes.js';

function refusal(method: string, url: string): { status: number; error: string } {
  try {
    parseRoute(method, url);
  } catch (e) {
    if (e instanceof GatewayError) return { status: e.status, error: e.error };
    throw e;
  }
  throw new Error(`${method} ${url} was accepted`);
}

describe('the replication surface', () => {
  it.each([
    ['GET', '/', 'root'],
    ['GET', '/st-emp-e1-records', 'db'],
    ['GET', '/st-emp-e1-records/', 'db'],
    ['GET', '/st-emp-e1-records/_changes?since=0', 'changes'],
    ['POST', '/st-emp-e1-records/_changes', 'changes'],
    ['GET', '/st-emp-e1-records/_all_docs', 'all-docs'],
    ['POST', '/st-emp-e1-records/_all_docs', 'all-docs'],
    ['POST', '/st-emp-e1-records/_bulk_docs', 'bulk-docs'],
    ['POST', '/st-emp-e1-records/_revs_diff', 'revs-diff'],
    ['POST', '/st-emp-e1-records/_bulk_get', 'bulk-get'],
    ['GET', '/st-emp-e1-records/_local/abc', 'local'],
    ['PUT', '/st-emp-e1-records/_local/abc', 'local'],
    ['GET', '/st-emp-e1-blobs/dev-1%3A000000000001', 'doc'],
  ])('lets %s %s through as %s', (method, url, kind) => {
    const r = parseRoute(method, url);
    expect(r.kind === 'root' ? 'root' : r.endpoint).toBe(kind);
  });

  it('decodes document ids and keeps the database parsed', () => {
    const r = parseRoute('GET', '/st-emp-e1-blobs/dev-1%3A000000000001?rev=1-abc');
    expect(r).toMatchObject({
      kind: 'db',
      dbName: 'st-emp-e1-blobs',
      db: { kind: 'employee-blobs', employeeId: 'e1' },
      docId: 'dev-1:000000000001',
    });
    if (r.kind === 'db') expect(r.query.get('rev')).toBe('1-abc');
  });

  it.each([
    // express-pouchdb crashes on a non-admin PUT /db: it never gets there
    ['PUT', '/st-emp-e1-records', 405],
    ['DELETE', '/st-emp-e1-records', 405],
    ['POST', '/st-emp-e1-records', 405],
    ['PUT', '/st-emp-e1-records/some-doc', 405],
    ['DELETE', '/st-emp-e1-records/some-doc', 405],
    ['GET', '/st-emp-e1-records/_bulk_docs', 405],
    ['DELETE', '/st-emp-e1-records/_local/x', 405],
    ['PUT', '/', 405],
    // _find ignores _security in express-pouchdb: not part of the surface at all
    ['POST', '/st-emp-e1-records/_find', 404],
    ['GET', '/st-emp-e1-records/_security', 404],
    ['PUT', '/st-emp-e1-records/_security', 404],
    ['GET', '/st-emp-e1-records/_design/sealtime', 404],
    ['GET', '/st-emp-e1-records/_design/sealtime/_view/x', 404],
    ['POST', '/st-emp-e1-records/_compact', 404],
    ['GET', '/st-emp-e1-records/doc/attachment', 404],
    ['GET', '/_all_dbs', 404],
    ['GET', '/_session', 404],
    ['POST', '/_replicate', 404],
    ['GET', '/_utils', 404],
    ['GET', '/st-provisioning', 404],
    ['GET', '/someone-elses-db', 404],
    ['GET', '//st-emp-e1-records', 404],
    ['GET', '/st-emp-e1-records/%E0%A4%A', 400],
    ['GET', '/st-emp-e1-records/_changes?feed=continuous', 400],
    ['GET', '/st-emp-e1-records/_changes?feed=eventsource', 400],
    ['GET', '/st-emp-e1-records/_changes?filter=_view&view=x/y', 400],
    ['GET', '/st-emp-e1-records/_changes?since=0&since=1', 400],
    ['GET', '/st-emp-e1-records/_changes?limit=-1', 400],
    ['GET', '/st-emp-e1-records/_changes?limit=abc', 400],
    ['GET', '/st-emp-e1-records/_changes?limit=1.5', 400],
    ['GET', '/st-emp-e1-records/_changes?since=garbage', 400],
    ['GET', '/st-emp-e1-records/_changes?since=-3', 400],
    ['GET', '/st-emp-e1-records/_changes?doc_ids=notjson', 400],
    ['GET', '/st-emp-e1-records/_changes?doc_ids=[1,2]', 400],
    ['GET', '/st-emp-e1-records/_changes?include_docs=yes', 400],
    ['GET', '/st-emp-e1-records/_changes?style=weird', 400],
    ['GET', '/st-emp-e1-records/_changes?seq_interval=x', 400],
    ['GET', '/st-emp-e1-records/_changes?timeout=-5', 400],
    ['GET', '/st-emp-e1-records/_changes?heartbeat=soon', 400],
    ['GET', '/st-emp-e1-records/_changes?descending=1', 400],
  ])('refuses %s %s with %i', (method, url, status) => {
    expect(refusal(method, url).status).toBe(status);
  });

  it.each([
    'since=0&limit=100&seq_interval=100&include_docs=true&style=all_docs&heartbeat=60000&feed=longpoll',
    'since=now&feed=longpoll&timeout=0&heartbeat=true',
    'since=12-g1AAAAFTeJzLYWBgYMpgTmHgzcvPy09JdcjLz8gvLskBCScyJNX___8_K4M5kSEXKMBuZGJpkpxiga4Yh_Y8FiDJ0ACk_qOYYJqYkmhhaWqIqTcLAIG2LFU',
    'filter=_doc_ids&doc_ids=%5B%22a%22%2C%22b%22%5D&descending=false&conflicts=true&limit=0',
  ])('accepts the _changes parameters clients send: %s', (query) => {
    expect(parseRoute('GET', `/st-emp-e1-records/_changes?${query}`).kind).toBe('db');
  });

  it('forwards only the query parameters each endpoint knows', () => {
    const r = parseRoute(
      'GET',
      '/st-org-records/_changes?since=5&include_docs=true&style=all_docs&conflicts=true&attachments=true&_nonce=1&filter=_doc_ids',
    );
    if (r.kind !== 'db') throw new Error('expected a db route');
    expect([...r.query.keys()].sort()).toEqual(['conflicts', 'filter', 'include_docs', 'since', 'style']);
    const d = parseRoute('GET', '/st-org-records/abc?rev=1-a&attachments=true&open_revs=all');
    if (d.kind !== 'db') throw new Error('expected a db route');
    expect([...d.query.keys()].sort()).toEqual(['open_revs', 'rev']);
  });

  it('gives an empty query for a bare or empty query string (RxDB sends `_bulk_docs?`)', () => {
    for (const url of ['/st-emp-e1-records/_bulk_docs?', '/st-emp-e1-records/_bulk_docs']) {
      const r = parseRoute('POST', url);
      if (r.kind !== 'db') throw new Error('expected a db route');
      expect(r.endpoint).toBe('bulk-docs');
      expect(r.query.size).toBe(0);
    }
  });
});
