// A store held by another process (the running agent) gives a clear typed
// error instead of a crash: e.g. a second `sealtime-agent run`.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { tempDir } from '../recorder/test-fixture.js';
import { StoreError, openAgentStore } from './agent-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('openAgentStore across processes', () => {
  it('reports a store held by another process as locked', async () => {
    const t = tempDir('st-store-lock-');
    cleanups.push(t.cleanup);
    const holder = spawn(process.execPath, ['-e', `const { ClassicLevel } = require('classic-level'); const db = new ClassicLevel(process.argv[1]); db.open().then(() => console.log('ready')); setInterval(() => {}, 1000);`, t.dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: process.cwd(), // resolves classic-level from the workspace
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (holder.exitCode !== null || holder.signalCode !== null) return resolve();
          holder.once('exit', () => resolve());
          holder.kill('SIGKILL');
        }),
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const err = await openAgentStore(t.dir).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('locked');
  });
});
