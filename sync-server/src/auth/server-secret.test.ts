import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError } from './auth-errors.js';
import { ServerSecret } from './server-secret.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('ServerSecret', () => {
  it('creates its key file once (0600) and reads the same key back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sealtime-secret-'));
    dirs.push(dir);
    const file = join(dir, 'server-secret.key');
    const a = await ServerSecret.loadOrCreate(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const sealed = a.seal(Buffer.from('totp secret bytes'), 'totp:ada');
    const b = await ServerSecret.loadOrCreate(file);
    expect(b.open(sealed, 'totp:ada').toString()).toBe('totp secret bytes');
    expect(await readFile(file, 'utf8')).not.toContain('totp');
  });

  it('seals with a fresh nonce each time; refuses another account, another key or a tampered value', () => {
    const k = ServerSecret.random();
    const s1 = k.seal(Buffer.from('secret'), 'totp:ada');
    expect(k.seal(Buffer.from('secret'), 'totp:ada')).not.toBe(s1);
    expect(s1).not.toContain(Buffer.from('secret').toString('base64url'));
    expect(() => k.open(s1, 'totp:bob')).toThrow(AuthError);
    expect(() => ServerSecret.random().open(s1, 'totp:ada')).toThrow(/cannot be opened/);
    // flip a bit of the body's first byte: the last base64 characters carry unused bits, so
    // rewriting them could leave the bytes as they were
    const [v, iv, body] = s1.split('.');
    const bytes = Buffer.from(body!, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    const flipped = `${v}.${iv}.${bytes.toString('base64url')}`;
    expect(() => k.open(flipped, 'totp:ada')).toThrow(AuthError);
    expect(() => k.open('not sealed', 'totp:ada')).toThrow(/malformed/);
  });

  it('keys its MACs: the same value under another key or context differs', () => {
    const k = ServerSecret.random();
    expect(k.mac('abcde12345', 'recovery:ada')).toMatch(/^[0-9a-f]{64}$/);
    expect(k.mac('abcde12345', 'recovery:ada')).toBe(k.mac('abcde12345', 'recovery:ada'));
    expect(k.mac('abcde12345', 'recovery:bob')).not.toBe(k.mac('abcde12345', 'recovery:ada'));
    expect(ServerSecret.random().mac('abcde12345', 'recovery:ada')).not.toBe(k.mac('abcde12345', 'recovery:ada'));
  });
});
