import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTransportPolicy, isLoopbackHost, listen } from './listener.js';
import { ensureSelfSignedCertificate } from './self-signed.js';
import { TlsError } from './tls-errors.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sealtime-tls-'));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

function getHttps(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('transport policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['server.example.org', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('refuses plain HTTP on a non-loopback address unless told insecure', () => {
    expect(() => checkTransportPolicy({ host: '0.0.0.0' })).toThrow(TlsError);
    try {
      checkTransportPolicy({ host: '192.168.1.20' });
    } catch (e) {
      expect((e as TlsError).code).toBe('insecure-listen');
    }
    expect(() => checkTransportPolicy({ host: '0.0.0.0', insecure: true })).not.toThrow();
    expect(() => checkTransportPolicy({ host: '0.0.0.0', tls: { cert: 'x', key: 'y' } })).not.toThrow();
    expect(() => checkTransportPolicy({ host: '127.0.0.1' })).not.toThrow();
  });

  it('listens insecurely on all interfaces only when told to', async () => {
    await expect(listen({ host: '0.0.0.0', port: 0 }, (_q, s) => s.end('x'))).rejects.toMatchObject({
      code: 'insecure-listen',
    });
    const l = await listen({ host: '0.0.0.0', port: 0, insecure: true }, (_q, s) => s.end('plain'));
    cleanups.push(() => l.close());
    expect(l.secure).toBe(false);
    expect(await (await fetch(l.url)).text()).toBe('plain');
  });
});

describe('self-signed certificate', () => {
  it('is generated once with openssl, owner-only key, and reused with the same fingerprint', async () => {
    const dir = await tempDir();
    const first = await ensureSelfSignedCertificate({ dir, hosts: ['sealtime.lan', '10.1.2.3'] });
    const second = await ensureSelfSignedCertificate({ dir });
    expect(second.fingerprint).toBe(first.fingerprint);
    expect((await stat(join(dir, 'key.pem'))).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(first.cert);
    expect(cert.subjectAltName).toContain('DNS:sealtime.lan');
    expect(cert.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
  });

  it('serves HTTPS with the stored certificate and reports its fingerprint', async () => {
    const dir = await tempDir();
    const l = await listen({ host: '127.0.0.1', port: 0, tls: { selfSigned: true, dir } }, (_q, s) => s.end('secure'));
    cleanups.push(() => l.close());
    expect(l.secure).toBe(true);
    expect(l.url.startsWith('https://')).toBe(true);
    const pair = await ensureSelfSignedCertificate({ dir });
    expect(l.fingerprint).toBe(pair.fingerprint);
    const res = await getHttps(`${l.url}/`, pair.cert);
    expect(res).toMatchObject({ status: 200, body: 'secure' });
  });

  it('loads given certificate files, and says clearly when they cannot be read', async () => {
    const dir = await tempDir();
    await ensureSelfSignedCertificate({ dir });
    const l = await listen(
      { host: '127.0.0.1', port: 0, tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } },
      (_q, s) => s.end('files'),
    );
    cleanups.push(() => l.close());
    expect(l.secure).toBe(true);
    await expect(
      listen(
        { host: '127.0.0.1', port: 0, tls: { certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'key.pem') } },
        () => undefined,
      ),
    ).rejects.toMatchObject({
      code: 'unreadable',
    });
    await expect(
      listen(
        { host: '127.0.0.1', port: 0, tls: { certFile: join(dir, 'key.pem'), keyFile: join(dir, 'key.pem') } },
        () => undefined,
      ),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});
