// Failover between engine endpoints, without a CouchDB: one real engine (the
// embedded PouchDB on LevelDB) reached through two "nodes" (TCP proxies in
// front of the same data). The whole server uses the two through the
// endpoint pool and the failover proxy, exactly as it uses several CouchDB
// URLs. Node A dies mid-traffic (its port refuses, its connections are
// reset); people's logins and a device's replication must keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nano from 'nano';
import { fingerprint, initSodium } from '@sealtime/shared';
import { startFlakyProxy, type FlakyProxy } from '../../../test-support/flaky-proxy.js';
import { createTestDevice, testSignKeyPair, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { authHeader, startApiFixture, type ApiFixture, type Auth } from '../api/test-support/api-fixture.js';
import { dbNames } from '../provisioning/db-names.js';
import { createEndpointPool, type EndpointPool } from './endpoint-pool.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine.js';
import { startFailoverProxy, type FailoverProxy } from './failover-proxy.js';
import { httpPouch, leveldbPouch } from './pouch-modules.js';

const API = '/_sealtime/api';

function via(engineUrl: string, node: FlakyProxy): string {
  const u = new URL(engineUrl);
  u.port = String(new URL(node.url).port);
  return u.toString().replace(/\/$/, '');
}

describe('several engine endpoints: a node dies mid-traffic', () => {
  let dir: string;
  let storage: EmbeddedEngine;
  let nodeA: FlakyProxy;
  let nodeB: FlakyProxy;
  let pool: EndpointPool;
  let door: FailoverProxy;
  let f: ApiFixture;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealtime-failover-'));
    storage = await startEmbeddedEngine({ dataDir: join(dir, 'engine') });
    const target = `http://127.0.0.1:${storage.port}`;
    nodeA = await startFlakyProxy({ target });
    nodeB = await startFlakyProxy({ target });
    pool = createEndpointPool([via(storage.url, nodeA), via(storage.url, nodeB)], {
      checkIntervalMs: 300,
      checkTimeoutMs: 300,
    });
    door = await startFailoverProxy(pool);
    // the embedded engine's data, reached only through the failover door (no in-process shortcut)
    const engine: EmbeddedEngine = {
      ...storage,
      url: door.url,
      nano: nano(door.url),
      async close() {
        pool.close();
        await door.close();
        await storage.close();
      },
    };
    f = await startApiFixture({ useEngine: engine, inProcessEngine: false });
  });
  afterAll(async () => {
    await f?.close();
    await nodeA?.close();
    await nodeB?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logins and a device replication keep working; traffic moves to node B within a request', async () => {
    const admin = await f.person('ada', 'admin');
    const s = await initSodium();
    const fp = fingerprint(s.crypto_sign_keypair().publicKey);
    const code = await f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
      employeeId: 'alice',
      teamId: 'team-a',
      orgKeyFingerprint: fp,
    });
    expect(code.status).toBe(201);
    const sign = await testSignKeyPair('failover-alice');
    const enrolled = await f.request(null, 'POST', `${API}/enroll`, {
      code: code.body.code,
      signPublicKey: sign.publicKeyText,
      name: 'ALICE-PC',
      platform: 'linux',
    });
    expect(enrolled.status).toBe(201);
    const device: Auth = { device: enrolled.body.deviceId, credential: enrolled.body.deviceCredential };
    const dev: TestDevice = await createTestDevice(enrolled.body.deviceId, 'alice', { signKeyLabel: 'failover-alice' });

    await mkdir(join(dir, 'device'));
    const Local = leveldbPouch(join(dir, 'device'));
    const Remote = httpPouch();
    const local = new Local('records') as unknown as {
      bulkDocs(d: object[]): Promise<unknown>;
      close(): Promise<void>;
    };
    const deviceFetch = (u: string, init: { headers: Headers }): Promise<Response> => {
      for (const [k, v] of Object.entries(authHeader(device))) init.headers.set(k, v);
      return fetch(u, init as RequestInit);
    };
    const remote = new Remote(`${f.url}/${dbNames.employeeRecords('alice')}`, { skip_setup: true, fetch: deviceFetch });

    const outcomes = { logins: 0, loginFailures: [] as number[], pushes: 0, pushFailures: [] as string[], written: 0 };
    let stop = false;
    // people log in throughout (several accounts: each has its own login rate limit)
    const people = ['ada', 'cy', 'dee', 'eve'];
    for (const p of people.slice(1)) await f.person(p, 'hr');
    const logins = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await f.login(people[i % people.length]!);
        if (r.status === 200) outcomes.logins++;
        else outcomes.loginFailures.push(r.status);
        // Argon2id runs on this process's event loop: a login every 1.5 s leaves room for the replication
        await new Promise((d) => setTimeout(d, 1_500));
      }
    })();
    const pushes = (async () => {
      while (!stop) {
        await local.bulkDocs(Array.from({ length: 5 }, () => toWire(dev.activity())));
        outcomes.written += 5;
        // a one-shot replication per round, retried as the agent's replication retries
        for (let attempt = 0; ; attempt++) {
          try {
            await Local.replicate(local as never, remote, {});
            outcomes.pushes++;
            break;
          } catch (e) {
            outcomes.pushFailures.push((e as Error).message);
            if (attempt >= 3) throw e;
          }
        }
        await new Promise((d) => setTimeout(d, 100));
      }
    })();

    const until = async (what: () => boolean, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!what() && Date.now() < end) await new Promise((d) => setTimeout(d, 50));
    };
    await until(() => outcomes.pushes >= 2 && outcomes.logins >= 2, 20_000);
    expect(pool.current().shown).toContain(new URL(nodeA.url).port);
    const beforeFault = { ...outcomes };
    // node A dies: its port refuses new connections and its live ones are reset
    await nodeA.setMode('refuse');
    const diedAt = Date.now();
    while (pool.current().shown.includes(new URL(nodeA.url).port) && Date.now() - diedAt < 5_000)
      await new Promise((d) => setTimeout(d, 20));
    const movedAfterMs = Date.now() - diedAt;
    await until(() => outcomes.pushes >= beforeFault.pushes + 4 && outcomes.logins >= beforeFault.logins + 3, 30_000);
    stop = true;
    await Promise.all([logins, pushes]);

    // both kept working after the fault
    expect(outcomes.logins).toBeGreaterThanOrEqual(beforeFault.logins + 3);
    expect(outcomes.pushes).toBeGreaterThanOrEqual(beforeFault.pushes + 4);
    expect(outcomes.loginFailures).toEqual([]);
    expect(movedAfterMs).toBeLessThan(3_000);
    expect(pool.current().shown).toContain(new URL(nodeB.url).port);
    // every record written reached the server's engine once
    await Local.replicate(local as never, remote, {});
    const stored = await storage.nano.use(dbNames.employeeRecords('alice')).list();
    expect(stored.rows.filter((r) => !r.id.startsWith('_design/'))).toHaveLength(outcomes.written);
    await local.close();

    // node A comes back: traffic returns to the preferred node after a check
    await nodeA.setMode('pass');
    await pool.checkAll();
    expect(pool.current().shown).toContain(new URL(nodeA.url).port);
    expect((await f.login('ada')).status).toBe(200);
  });

  it('with every node down the server answers 5xx, not a hang, and recovers', async () => {
    await nodeA.setMode('refuse');
    await nodeB.setMode('refuse');
    const started = Date.now();
    const r = await f.request(
      { bearer: await f.person('bob', 'admin').catch(() => 'none') },
      'GET',
      `/${dbNames.orgRecords}`,
    );
    expect(r.status).toBeGreaterThanOrEqual(401); // no session could be made, or the engine is unreachable
    expect(Date.now() - started).toBeLessThan(10_000);
    await nodeA.setMode('pass');
    await nodeB.setMode('pass');
    await pool.checkAll();
    expect((await f.login('ada')).status).toBe(200);
  });
});
