// The endpoint pool's health checks against real HTTP nodes on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEndpointPool } from './endpoint-pool.js';

type Node = { url: string; status: number; delayMs: number; asked: number; server: Server };
const nodes: Node[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await new Promise((r) => n.server.close(r));
});

/** A node whose /_up answers `status` after `delayMs`. */
async function node(status: number, delayMs = 0): Promise<Node> {
  const n = { url: '', status, delayMs, asked: 0 } as Node;
  n.server = createServer((req, res) => {
    n.asked++;
    const answer = n.status; // what the node says is decided when it is asked
    setTimeout(() => res.writeHead(answer, { 'content-type': 'application/json' }).end('{}'), n.delayMs);
  });
  await new Promise<void>((r) => n.server.listen(0, '127.0.0.1', r));
  n.url = `http://127.0.0.1:${(n.server.address() as AddressInfo).port}`;
  nodes.push(n);
  return n;
}

describe('endpoint pool', () => {
  it('checkAll asks again when a round already under way asked before a node came back', async () => {
    const a = await node(503, 400);
    const b = await node(200);
    const pool = createEndpointPool([a.url, b.url], { checkIntervalMs: 60_000, checkTimeoutMs: 2_000 });
    try {
      await pool.checkAll();
      expect(pool.current().shown).toContain(new URL(b.url).port);
      // a round starts while A still says 503 …
      const earlier = pool.checkAll();
      await new Promise((r) => setTimeout(r, 100));
      // … A comes back before that round ends; a check asked for now must see it
      a.status = 200;
      await pool.checkAll();
      expect(pool.current().shown).toContain(new URL(a.url).port);
      await earlier;
    } finally {
      pool.close();
    }
  });

  it('prefers the first healthy node, and the first node when none answers', async () => {
    const a = await node(503);
    const b = await node(200);
    const pool = createEndpointPool([a.url, b.url], { checkIntervalMs: 60_000 });
    try {
      await pool.checkAll();
      expect(pool.current().shown).toContain(new URL(b.url).port);
      b.status = 500;
      await pool.checkAll();
      expect(pool.healthy()).toEqual([]);
      expect(pool.current().shown).toContain(new URL(a.url).port);
    } finally {
      pool.close();
    }
  });
});
