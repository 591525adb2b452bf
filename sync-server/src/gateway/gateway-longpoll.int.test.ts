// Longpolls through the shared change watcher, with a counting HTTP proxy
// between the gateway and a real embedded engine, so the engine requests
// each client poll costs are seen.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIdentity } from '../../test-support/test-identity.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../engine/embedded-engine.js';
import { createGateway, type Gateway } from './gateway.js';
import { CAP_JITTER } from './gateway-limits.js';

let dir: string;
let engine: EmbeddedEngine;
let proxy: http.Server;
let server: http.Server;
let gateway: Gateway;
let base: string;
let token: string;
/** Every request the gateway sent the engine, and those still open. */
const seen: string[] = [];
let open = 0;

// long enough that a capped poll (ended at random in its last half) outlasts the changes the tests make while it waits
const CAP_MS = 2000;
const IDLE_MS = 300;
const INBOX = 'st-emp-e1-inbox';

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealtime-lp-'));
  engine = await startEmbeddedEngine({ dataDir: dir });
  await engine.nano.db.create(INBOX);
  const target = new URL(engine.url);
  proxy = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    open++;
    res.once('close', () => open--);
    const up = http.request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.once('close', () => up.destroy());
    req.pipe(up);
  });
  const proxyPort = await listen(proxy);
  const identity = new TestIdentity();
  token = identity.device('d1', 'e1').token;
  gateway = await createGateway({
    engineUrl: `http://${target.username}:${target.password}@127.0.0.1:${proxyPort}`,
    identity,
    serverUuid: '00000000-0000-4000-8000-000000000001',
    limits: { maxLongpollMs: CAP_MS, watcherIdleMs: IDLE_MS },
  });
  server = http.createServer((req, res) => gateway.handle(req, res));
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  gateway?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Changes {
  results: Array<{ id: string }>;
  last_seq: unknown;
}

async function poll(query: string): Promise<{ body: Changes; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${base}/${INBOX}/_changes?feed=longpoll&${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return { body: (await res.json()) as Changes, ms: Date.now() - t0 };
}

const engineChangesSince = (n: number): string[] => seen.slice(n).filter((r) => r.includes('/_changes'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('longpolls through the shared change watcher', () => {
  it('answers timeouts and re-polls without any engine request, and many clients share one engine longpoll', async () => {
    const start = seen.length;
    const first = await Promise.all(Array.from({ length: 20 }, () => poll('since=now')));
    for (const a of first) {
      expect(a.body.results).toEqual([]);
      expect(a.ms).toBeGreaterThanOrEqual(CAP_MS * (1 - CAP_JITTER) - 20); // the cap, less at most its jitter
    }
    // clients that asked together are answered spread out, so they do not keep re-polling as one herd
    const times = first.map((a) => a.ms);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(CAP_MS * 0.2);
    // one database info and one engine longpoll for all twenty
    expect(seen.slice(start).filter((r) => !r.includes('/_changes'))).toHaveLength(1);
    expect(engineChangesSince(start)).toHaveLength(1);

    const before = seen.length;
    let since = first[0]!.body.last_seq;
    for (let i = 0; i < 3; i++) {
      const again = await poll(`since=${since}&timeout=200`);
      expect(again.body).toEqual({ results: [], last_seq: since });
      since = again.body.last_seq;
    }
    expect(seen.slice(before)).toEqual([]);
  });

  it('a change made after a client timed out is in its next poll, with or without a live watcher', async () => {
    const idle = await poll('since=now&timeout=100');
    await engine.nano.use(INBOX).insert({ _id: 'after-timeout', type: 'policy' } as never);
    const next = await poll(`since=${idle.body.last_seq}&timeout=2000`);
    expect(next.body.results.map((r) => r.id)).toEqual(['after-timeout']);
    expect(next.ms).toBeLessThan(1000);

    // the watcher is gone by now: a fresh one must not hide what came meanwhile
    await sleep(IDLE_MS + 200);
    expect(gateway.watchers.size()).toBe(0);
    await engine.nano.use(INBOX).insert({ _id: 'while-unwatched', type: 'policy' } as never);
    const later = await poll(`since=${next.body.last_seq}&timeout=2000`);
    expect(later.body.results.map((r) => r.id)).toEqual(['while-unwatched']);
  });

  it('wakes a waiting client at its change only, honouring its doc_ids filter', async () => {
    const { body } = await poll('since=now&timeout=50');
    const waiting = poll(
      `since=${body.last_seq}&timeout=3000&filter=_doc_ids&doc_ids=${encodeURIComponent('["wanted"]')}`,
    );
    await sleep(200);
    await engine.nano.use(INBOX).insert({ _id: 'unwanted', type: 'policy' } as never);
    await sleep(200);
    await engine.nano.use(INBOX).insert({ _id: 'wanted', type: 'policy' } as never);
    const got = await waiting;
    expect(got.body.results.map((r) => r.id)).toEqual(['wanted']);
    expect(got.ms).toBeLessThan(2000);
  });

  it('stops the watcher and its engine longpoll once no client waits', async () => {
    await poll('since=now&timeout=100');
    expect(gateway.watchers.size()).toBe(1);
    await sleep(IDLE_MS + 300);
    expect(gateway.watchers.size()).toBe(0);
    expect(open).toBe(0);
  });
});
