// The fault-injection proxy itself, with real HTTP through it: each fault must
// actually break requests the way it claims, and passing must be lossless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';

let server: Server;
let serverUrl: string;
/** Bytes each POST delivered to the server, and whether it was aborted. */
const uploads: Array<{ bytes: number; complete: boolean }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      const h = createHash('sha256');
      const u = { bytes: 0, complete: false };
      uploads.push(u);
      req.on('data', (c: Buffer) => {
        u.bytes += c.length;
        h.update(c);
      });
      req.on('end', () => {
        u.complete = true;
        res.end(JSON.stringify({ bytes: u.bytes, sha: h.digest('hex') }));
      });
      return;
    }
    const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size') ?? 2);
    res.end(Buffer.alloc(size, 0x61));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** One request on a fresh connection (no keep-alive), so each request meets the proxy's per-connection rules. */
function get(url: string, timeoutMs = 3000): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: new Agent({ keepAlive: false }), timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function withProxy(fn: (p: FlakyProxy) => Promise<void>, seed = 7): Promise<void> {
  const p = await startFlakyProxy({ target: serverUrl, seed });
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

const errorCode = (e: unknown): string => {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return err.cause?.code ?? err.code ?? err.message ?? String(e);
};

describe('flaky proxy', () => {
  it('passes requests through byte for byte', async () => {
    await withProxy(async (p) => {
      const body = randomBytes(1 << 20);
      const res = await fetch(`${p.url}/up`, { method: 'POST', body });
      expect(await res.json()).toEqual({ bytes: body.length, sha: createHash('sha256').update(body).digest('hex') });
      const big = await get(`${p.url}/?size=500000`);
      expect(big.body.length).toBe(500_000);
      expect(p.stats().forwarded).toBe(2);
      expect(p.stats().bytesUp).toBeGreaterThan(body.length);
    });
  });

  it('drop resets new connections; pass heals at once', async () => {
    await withProxy(async (p) => {
      await p.setMode('drop');
      await expect(get(p.url)).rejects.toThrow(/ECONNRESET|socket hang up/);
      expect(p.stats().dropped).toBe(1);
      await p.setMode('pass');
      expect((await get(p.url)).status).toBe(200);
    });
  });

  it('refuse closes the port (ECONNREFUSED) and takes the same port back', async () => {
    await withProxy(async (p) => {
      const port = p.port;
      await p.setMode('refuse');
      const e = await fetch(p.url).catch((err: unknown) => err);
      expect(errorCode(e)).toBe('ECONNREFUSED');
      await p.setMode('pass');
      expect(p.port).toBe(port);
      expect((await fetch(p.url)).status).toBe(200);
    });
  });

  it('starts refused with a stable url, for a server that is down from the first moment', async () => {
    const p = await startFlakyProxy({ target: serverUrl, mode: 'refuse' });
    try {
      expect(errorCode(await fetch(p.url).catch((err: unknown) => err))).toBe('ECONNREFUSED');
      await p.setMode('pass');
      expect((await fetch(p.url)).status).toBe(200);
    } finally {
      await p.close();
    }
  });

  it('stall accepts and never answers; the server never sees the request', async () => {
    await withProxy(async (p) => {
      await p.setMode('stall');
      const before = uploads.length;
      const e = await fetch(`${p.url}/up`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(400) }).catch(
        (err: unknown) => err,
      );
      expect((e as Error).name).toBe('TimeoutError');
      expect(uploads.length).toBe(before);
      expect(p.stats().stalled).toBe(1);
      expect(p.cutLive()).toBeGreaterThanOrEqual(1);
    });
  });

  it('cuts an upload mid-request after N bytes: the server gets exactly the first N', async () => {
    await withProxy(async (p) => {
      p.setCut({ afterBytes: 100_000 });
      const before = uploads.length;
      const e = await fetch(`${p.url}/up`, { method: 'POST', body: randomBytes(1 << 20) }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 100));
      const u = uploads[before]!;
      expect(u.complete).toBe(false);
      // the request head is part of the 100 000 bytes, so the body is a little short of it
      expect(u.bytes).toBeGreaterThan(99_000);
      expect(u.bytes).toBeLessThan(100_000);
      expect(p.stats().cut).toBe(1);
    });
  });

  it('cuts a download mid-response', async () => {
    await withProxy(async (p) => {
      p.setCut({ afterBytes: [5000, 20_000] });
      await expect(get(`${p.url}/?size=200000`)).rejects.toThrow(/aborted|ECONNRESET|hang up/);
    });
  });

  it('cuts about p of connections, reproducibly for a seed', async () => {
    const run = async (seed: number) => {
      const outcomes: boolean[] = [];
      await withProxy(async (p) => {
        p.setCut({ probability: 0.3, afterBytes: [0, 300] });
        for (let i = 0; i < 60; i++)
          outcomes.push(
            await get(`${p.url}/?size=1000`).then(
              () => true,
              () => false,
            ),
          );
        expect(p.stats().cut).toBe(outcomes.filter((o) => !o).length);
      }, seed);
      return outcomes;
    };
    const a = await run(1234);
    const failed = a.filter((o) => !o).length;
    expect(failed).toBeGreaterThan(6);
    expect(failed).toBeLessThan(36);
    expect(await run(1234)).toEqual(a);
  });

  it('flaps on a schedule, resets live connections going down, and converges when stopped', async () => {
    await withProxy(async (p) => {
      const stalled = fetch(`${p.url}/up`, {
        method: 'POST',
        body: new ReadableStream({ pull: () => new Promise(() => undefined) }),
        duplex: 'half',
      } as RequestInit).catch((e: unknown) => e);
      await p.flap({ upMs: 150, downMs: 150 });
      const outcomes: boolean[] = [];
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        outcomes.push(
          await get(p.url, 500).then(
            () => true,
            () => false,
          ),
        );
        await new Promise((r) => setTimeout(r, 15));
      }
      expect(await stalled).toBeInstanceOf(Error); // the long upload died at the first down
      expect(outcomes.some((o) => o)).toBe(true);
      expect(outcomes.some((o) => !o)).toBe(true);
      expect(p.stats().flaps).toBeGreaterThanOrEqual(3);
      await p.flap(null);
      for (let i = 0; i < 10; i++) expect((await get(p.url)).status).toBe(200);
    });
  });

  it('follows a new target', async () => {
    await withProxy(async (p) => {
      const other = createServer((_req, res) => res.end('other'));
      await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
      try {
        p.setTarget({ host: '127.0.0.1', port: (other.address() as { port: number }).port });
        expect((await get(p.url)).body.toString()).toBe('other');
      } finally {
        other.closeAllConnections();
        await new Promise((r) => other.close(r));
      }
    });
  });
});
