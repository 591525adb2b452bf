// A closed server leaves nothing running: the process that ran it exits by itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./server-close.child.ts', import.meta.url));

describe('closing the server', () => {
  it('lets the process exit within a few seconds, longpolls and all', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let closedAt = 0;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!closedAt && out.includes('closed')) closedAt = Date.now();
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((done) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
      child.once('exit', (c) => {
        clearTimeout(kill);
        done(c);
      });
    });
    expect(err).toBe('');
    expect(out).toContain('closed');
    expect(code).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(3000);
  }, 60_000);
});
