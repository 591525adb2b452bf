// Enrollment against servers that lie or fail (a real HTTP listener on
// loopback standing in for a hostile or broken server): the fingerprint a
// person typed wins over what the server says, and nothing is saved.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../recorder/recorder.fixture.js';
import { agentPaths } from './data-dir.js';
import { enrollDevice } from './enroll-device.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FP = '0123456789abcdef0123456789abcdef';
const CODE = `st1.AbCdEfGhIjKlMnOpQrStUv.${FP}`;

async function fakeServer(answer: (body: Record<string, unknown>, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => answer(JSON.parse(text || '{}') as Record<string, unknown>, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function paths() {
  const t = tempDir('st-enroll-');
  cleanups.push(t.cleanup);
  return agentPaths(join(t.dir, 'agent'));
}

describe('enrollDevice', () => {
  it('refuses a server that names another organisation key, and saves nothing', async () => {
    let sent: Record<string, unknown> = {};
    const url = await fakeServer((body, res) => {
      sent = body;
      json(res, 201, {
        deviceId: 'dev-evil',
        deviceCredential: 'secret-cred',
        employeeId: 'emp-1',
        teamId: null,
        orgKeyFingerprint: 'ffff' + FP.slice(4),
      });
    });
    const p = paths();
    const err = await enrollDevice({ paths: p, serverUrl: url, code: CODE }).catch(
      (e: unknown) => e as Error & { code: string },
    );
    expect(err).toMatchObject({ code: 'fingerprint-mismatch' });
    expect((err as Error).message).not.toContain('secret-cred');
    expect(existsSync(p.keystore)).toBe(false);
    // what the device sent: the code and a 32-byte public key, nothing secret of its own
    expect(sent.code).toBe(CODE);
    expect(String(sent.signPublicKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("shows the server's reason for a refused code, and says when a server fails or is not Sealtime", async () => {
    const refused = await fakeServer((_b, res) =>
      json(res, 410, {
        error: 'enrollment-expired',
        reason: 'this enrollment code has expired; ask an admin for a new one',
      }),
    );
    await expect(enrollDevice({ paths: paths(), serverUrl: refused, code: CODE })).rejects.toMatchObject({
      code: 'refused',
      status: 410,
      message: expect.stringMatching(/expired; ask an admin/),
    });
    const broken = await fakeServer((_b, res) => json(res, 503, { error: 'unavailable', reason: 'engine down' }));
    await expect(enrollDevice({ paths: paths(), serverUrl: broken, code: CODE })).rejects.toMatchObject({
      code: 'server-error',
      status: 503,
    });
    const other = await fakeServer((_b, res) => json(res, 200, { hello: 'world' }));
    await expect(enrollDevice({ paths: paths(), serverUrl: other, code: CODE })).rejects.toMatchObject({
      code: 'server-error',
      message: expect.stringMatching(/Sealtime server/),
    });
  });

  it('refuses bad input before any request', async () => {
    await expect(enrollDevice({ paths: paths(), serverUrl: 'ftp://x', code: CODE })).rejects.toMatchObject({
      code: 'bad-input',
    });
    await expect(enrollDevice({ paths: paths(), serverUrl: 'https://u:p@x.test', code: CODE })).rejects.toMatchObject({
      code: 'bad-input',
    });
    await expect(enrollDevice({ paths: paths(), serverUrl: 'not a url', code: CODE })).rejects.toMatchObject({
      code: 'bad-input',
    });
    await expect(enrollDevice({ paths: paths(), serverUrl: 'https://x.test', code: 'st1.nope' })).rejects.toMatchObject(
      { code: 'bad-input' },
    );
  });
});
