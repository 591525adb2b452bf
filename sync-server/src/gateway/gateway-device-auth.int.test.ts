// Device authentication through the real identity layer over st-system,
// with its default (long) cache: revocation still applies to the very next request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { DEFAULT_CACHE_TTL_MS } from '../auth/system-store.js';
import { startSealtimeServer, type SealtimeServer } from '../compose.js';

let dir: string;
let s: SealtimeServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealtime-devauth-'));
  s = await startSealtimeServer({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
  await s.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: null });
});
afterAll(async () => {
  await s?.close();
  await rm(dir, { recursive: true, force: true });
});

async function enroll(): Promise<{ deviceId: string; authorization: string }> {
  const code = await s.services.enrollment.createCode(systemActor('test'), {
    employeeId: 'e1',
    teamId: null,
    orgKeyFingerprint: 'a'.repeat(32),
  });
  const dev = await s.services.enrollment.redeem(
    code.code,
    { name: 'laptop', platform: 'linux' },
    { ip: '127.0.0.1', userAgent: 'test' },
  );
  return {
    deviceId: dev.deviceId,
    authorization: `Basic ${Buffer.from(`${dev.deviceId}:${dev.deviceCredential}`).toString('base64')}`,
  };
}

const status = async (authorization: string): Promise<number> =>
  (await fetch(`${s.url}/st-emp-e1-records`, { headers: { authorization } })).status;

describe('device authentication with a long cache', () => {
  it('caches device lookups for longer than the push interval', () => {
    expect(DEFAULT_CACHE_TTL_MS).toBeGreaterThanOrEqual(30_000);
  });

  it('refuses a revoked device on its very next request', async () => {
    const dev = await enroll();
    expect(await status(dev.authorization)).toBe(200);
    expect(await status(dev.authorization)).toBe(200); // now served from the cache
    await s.services.enrollment.revokeDevice(systemActor('test'), dev.deviceId);
    expect(await status(dev.authorization)).toBe(401);
  });

  it('a revocation racing a lookup in flight is not undone by it', async () => {
    const dev = await enroll();
    s.services.store.invalidate(); // the next request reads st-system
    const inFlight = Promise.all(Array.from({ length: 5 }, () => status(dev.authorization)));
    await s.services.enrollment.revokeDevice(systemActor('test'), dev.deviceId);
    await inFlight;
    expect(await status(dev.authorization)).toBe(401);
  });
});
