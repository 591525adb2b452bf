// The fetch handed to RxDB's CouchDB replication, against a real HTTP server
// that answers as the gateway does once an employee's inbox database is
// deleted: a 404 JSON body to the longpoll. RxDB reads `.results` from what
// it gets; a 404 body handed on as a success made that an unhandled
// rejection. It must be a typed error instead.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizedFetch, SyncRequestError } from './authorized-fetch.js';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = null;
});

async function serve(status: number, body: unknown): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('authorizedFetch', () => {
  it('turns the 404 of a deleted database into a SyncRequestError, for the longpoll and for any other request', async () => {
    const base = await serve(404, { error: 'not_found', reason: 'Database does not exist.' });
    const f = authorizedFetch({ authorization: 'Basic ZGV2OnNlY3JldA==', timeoutMs: 5_000 });
    for (const url of [
      `${base}/st-emp-e1-inbox/_changes?feed=longpoll&since=0&timeout=1000`,
      `${base}/st-emp-e1-inbox/_bulk_get`,
    ]) {
      const err = await f(url, { method: 'GET' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, url).toBeInstanceOf(SyncRequestError);
      expect(err).toMatchObject({
        status: 404,
        code: 'http-404',
        message: expect.stringMatching(/HTTP 404 not_found: Database does not exist\./),
      });
      expect((err as Error).message).not.toContain('ZGV2OnNlY3JldA'); // the credential never reaches a message
    }
  });

  it('refuses a 200 longpoll answer without results (an error body behind heartbeats) as a typed error too', async () => {
    const base = await serve(200, { error: 'not_found' });
    const f = authorizedFetch({ authorization: 'Basic ZGV2OnNlY3JldA==', timeoutMs: 5_000 });
    await expect(f(`${base}/st-emp-e1-inbox/_changes?feed=longpoll&since=0`)).rejects.toMatchObject({
      name: 'SyncRequestError',
      code: 'bad-changes',
    });
  });
});
