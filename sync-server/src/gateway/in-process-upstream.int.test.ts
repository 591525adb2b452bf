import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedEngine, type EmbeddedEngine } from '../engine/embedded-engine.js';
import { GatewayError } from './gateway-errors.js';
import { createInProcessUpstream } from './in-process-upstream.js';
import { createUpstream, readUpstream, type UpstreamResponse } from './upstream.js';

let dir: string;
let engine: EmbeddedEngine;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealtime-inproc-'));
  engine = await startEmbeddedEngine({ dataDir: dir });
  await engine.nano.db.create('st-ip');
});
afterEach(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function json(res: UpstreamResponse): Promise<unknown> {
  return JSON.parse((await readUpstream(res)).toString('utf8'));
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('in-process upstream to the embedded engine', () => {
  it('goes through the engine credential check: a wrong credential gets its 401', async () => {
    const wrong = createInProcessUpstream(engine.handle, engine.url.replace(/:[0-9a-f]{64}@/, ':guess@'));
    const res = await wrong.request({ method: 'GET', path: '/st-ip' });
    expect(res.statusCode).toBe(401);
    expect(await json(res)).toMatchObject({ error: 'unauthorized' });
    const bare = createInProcessUpstream(engine.handle, `http://127.0.0.1:${engine.port}`);
    expect((await bare.request({ method: 'GET', path: '/_all_dbs' })).statusCode).toBe(401);
  });

  it('writes and reads with status, headers and body as the HTTP engine answers them', async () => {
    const up = createInProcessUpstream(engine.handle, engine.url);
    const put = await up.request({ method: 'POST', path: '/st-ip/_bulk_docs', body: { docs: [{ _id: 'a', n: 1 }] } });
    expect(put.statusCode).toBe(201);
    expect(put.headers['content-type']).toMatch(/application\/json/);
    expect(await json(put)).toMatchObject([{ ok: true, id: 'a' }]);
    const q = new URLSearchParams({ include_docs: 'true' });
    const all = (await json(await up.request({ method: 'GET', path: '/st-ip/_all_docs', query: q }))) as {
      rows: { doc: { n: number } }[];
    };
    expect(all.rows.map((r) => r.doc.n)).toEqual([1]);
    expect((await up.request({ method: 'GET', path: '/st-ip/missing' })).statusCode).toBe(404);
    expect((await up.request({ method: 'GET', path: '/st-none' })).statusCode).toBe(404);
  });

  it('takes a handed-over value as it is, and hands small answers over whole', async () => {
    const up = createInProcessUpstream(engine.handle, engine.url);
    const res = await up.request({
      method: 'POST',
      path: '/st-ip/_bulk_docs',
      body: {
        docs: [
          { _id: 'v', n: 1 },
          { _id: 'v2', nested: { k: [1, 2] } },
        ],
      },
      handOver: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.whole).toBeDefined();
    // the stream carries the same bytes as `whole`
    const streamed = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve(Buffer.concat(chunks)));
      res.once('error', reject);
    });
    expect(streamed.equals(res.whole!)).toBe(true);
    expect(JSON.parse(streamed.toString('utf8'))).toMatchObject([
      { ok: true, id: 'v' },
      { ok: true, id: 'v2' },
    ]);
    expect(await engine.nano.use('st-ip').get('v2')).toMatchObject({ nested: { k: [1, 2] } });
    // a handed-over body the engine refuses is refused as over HTTP
    const bad = await up.request({ method: 'POST', path: '/st-ip/_bulk_docs', body: { nodocs: true }, handOver: true });
    expect(bad.statusCode).toBe(400);
    const over = await up.request({ method: 'POST', path: '/st-ip/_revs_diff', body: { v: ['1-x'] }, handOver: true });
    expect(JSON.parse((await readUpstream(over)).toString('utf8'))).toEqual({ v: { missing: ['1-x'] } });
  });

  it('streams a longpoll as the engine writes it, and ends it with the change', async () => {
    const up = createInProcessUpstream(engine.handle, engine.url);
    const res = await up.request({
      method: 'GET',
      path: '/st-ip/_changes',
      query: new URLSearchParams({ feed: 'longpoll', since: 'now', heartbeat: '100' }),
    });
    expect(res.statusCode).toBe(200);
    const chunks: string[] = [];
    res.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    await new Promise((r) => setTimeout(r, 450));
    expect(chunks.filter((c) => c === '\n').length).toBeGreaterThanOrEqual(2); // heartbeats arrive before the answer ends
    const ended = new Promise((r) => res.once('end', r));
    await engine.nano.use('st-ip').insert({ _id: 'woke' } as never);
    await ended;
    expect(JSON.parse(chunks.join(''))).toMatchObject({ results: [{ id: 'woke' }] });
  });

  it('an abort closes the engine side: the feed is cancelled and its heartbeat timer goes', async () => {
    const up = createInProcessUpstream(engine.handle, engine.url);
    const before = timers();
    const polls = Array.from({ length: 10 }, () => new AbortController());
    const answers = await Promise.all(
      polls.map((c) =>
        up.request({
          method: 'GET',
          path: '/st-ip/_changes',
          query: new URLSearchParams({ feed: 'longpoll', since: 'now', heartbeat: '60000' }),
          signal: c.signal,
        }),
      ),
    );
    const reads = answers.map((a) =>
      readUpstream(a).then(
        () => 'ended',
        (e: unknown) => e,
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const during = timers();
    expect(during - before).toBeGreaterThanOrEqual(8);
    for (const c of polls) c.abort();
    for (const r of await Promise.all(reads)) expect(r).toBeInstanceOf(GatewayError);
    await new Promise((r) => setTimeout(r, 200));
    expect(timers()).toBeLessThanOrEqual(before + 1);
    // an already aborted signal never reaches the engine
    await expect(up.request({ method: 'GET', path: '/st-ip', signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('answers 502 once closed, or once the engine is closed', async () => {
    const up = createInProcessUpstream(engine.handle, engine.url);
    const held = await up.request({
      method: 'GET',
      path: '/st-ip/_changes',
      query: new URLSearchParams({ feed: 'longpoll', since: 'now' }),
    });
    const read = readUpstream(held);
    up.close();
    await expect(read).rejects.toMatchObject({ status: 502 });
    await expect(up.request({ method: 'GET', path: '/' })).rejects.toMatchObject({ status: 502 });
    const other = createInProcessUpstream(engine.handle, engine.url);
    await engine.close();
    await expect(other.request({ method: 'GET', path: '/' })).rejects.toMatchObject({ status: 502 });
  });
});
