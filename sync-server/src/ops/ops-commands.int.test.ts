// The ops commands through registerOpsCommands on a fresh commander program
// (not main.ts), against a real embedded data directory.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerOpsCommands } from '../cli/ops-commands.js';
import { startEmbeddedEngine } from '../engine/embedded-engine.js';
import { dbNames } from '../provisioning/db-names.js';
import { CUTOFF, ids, seed, type Seeded } from './test-support/ops-fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  process.exitCode = undefined;
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function cli(...args: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const program = new Command('sealtime-server')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerOpsCommands(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'sealtime-server', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { code: e.exitCode, out, err };
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}

/** A server data directory whose `engine/` is the seeded embedded engine, the server side stopped. */
async function seededDataDir(): Promise<{ s: Seeded; serverDir: string }> {
  const s = await seed('embedded');
  cleanup.push(() => s.f.close());
  await s.f.stop();
  const serverDir = await tempDir();
  await symlink(s.f.dir!, join(serverDir, 'engine'));
  return { s, serverDir };
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sealtime-cli-'));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

describe('ops commands', () => {
  it('each command documents itself with --help', async () => {
    for (const cmd of ['purge', 'erase-employee', 'backup', 'restore']) {
      const r = await cli(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.out, cmd).toContain('--data-dir <dir>');
      expect(r.out, cmd).toContain('--couchdb-url <url>');
    }
    expect((await cli('purge', '--help')).out).toContain('--before <date>');
    expect((await cli('erase-employee', '--help')).out).toContain('--yes');
    expect((await cli('restore', '--help')).out).toContain('--force');
  });

  it('purge: a bad date or id exits 2 with a clear message; a good one purges', async () => {
    const bad = await cli('purge', '--before', '31/01/2025', '--data-dir', '/nonexistent');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/is not a date: use an ISO date/);
    expect((await cli('purge', '--before', '2025-02-30', '--data-dir', '/nonexistent')).code).toBe(2);
    expect((await cli('purge', '--before', '2025-01-01', '--employee', 'BAD ID')).code).toBe(2);
    const none = await cli('purge', '--before', '2025-01-01', '--data-dir', await tempDir());
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no embedded engine data/);

    const { s, serverDir } = await seededDataDir();
    const ok = await cli('purge', '--before', CUTOFF.toISOString(), '--employee', s.e1, '--data-dir', serverDir);
    expect(ok.err).not.toMatch(/error/);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/purged 8 documents created before/); // the team copy of the attendance included
    const engine = await startEmbeddedEngine({ dataDir: s.f.dir! });
    cleanup.push(() => engine.close());
    expect(await ids(engine, dbNames.employeeRecords(s.e1))).toEqual(s.records.e1New.map((r) => r.id));
    // the audit entry is in st-audit
    const audit = await engine.nano.use(dbNames.audit).list({ include_docs: true });
    expect(audit.rows.map((r) => (r.doc as { action?: string }).action)).toContain('retention.purge');
  });

  it('refuses to work on a data directory a running server holds', async () => {
    const serverDir = await tempDir();
    const engineDir = join(serverDir, 'engine');
    const seededEngine = await startEmbeddedEngine({ dataDir: engineDir });
    await seededEngine.nano.db.create(dbNames.provisioning);
    await seededEngine.close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'test-support/hold-engine-child.ts'), engineDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanup.push(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    await new Promise<void>((ready, fail) => {
      child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && ready());
      child.once('exit', (c) => fail(new Error(`holder exited ${c}`)));
    });
    for (const args of [
      ['purge', '--before', '2025-01-01'],
      ['backup', join(serverDir, 'b.gz')],
      ['erase-employee', 'e1', '--yes'],
    ]) {
      const r = await cli(...args, '--data-dir', serverDir);
      expect(r.code, args[0]).toBe(1);
      expect(r.err, args[0]).toMatch(/in use by a running sealtime server; stop the server first/);
    }
  });

  it('erase-employee asks first (exit 2 without --yes off a terminal) and erases with --yes', async () => {
    const { s, serverDir } = await seededDataDir();
    const asked = await cli('erase-employee', s.e1, '--data-dir', serverDir);
    expect(asked.code).toBe(2);
    expect(asked.err).toMatch(/This cannot be undone/);
    expect(asked.err).toMatch(/pass --yes/);
    expect((await cli('erase-employee', 'Not/An/Id', '--yes', '--data-dir', serverDir)).code).toBe(2);
    const done = await cli('erase-employee', s.e1, '--yes', '--data-dir', serverDir);
    expect(done.err).not.toMatch(/error/);
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/devices revoked: 2/);
    expect(done.out).toMatch(/key-ring documents destroyed: 2/);
    const engine = await startEmbeddedEngine({ dataDir: s.f.dir! });
    cleanup.push(() => engine.close());
    expect(await engine.nano.db.list()).not.toContain(dbNames.employeeRecords(s.e1));
    expect((await cli('erase-employee', 'nobody-at-all', '--yes', '--data-dir', serverDir)).code).toBe(1);
  });

  it('backup then restore into another data directory; a second restore needs --force', async () => {
    const { s, serverDir } = await seededDataDir();
    const file = join(await tempDir(), 'all.ndjson.gz');
    const b = await cli('backup', file, '--data-dir', serverDir);
    expect(b.err).not.toMatch(/error/);
    expect(b.code).toBe(0);
    const n = Number(/backed up (\d+) documents/.exec(b.out)?.[1]);
    expect(n).toBeGreaterThan(10);

    const other = await tempDir();
    const r = await cli('restore', file, '--data-dir', other);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`restored ${n} documents`);
    const again = await cli('restore', file, '--data-dir', other);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/refusing to restore over databases that hold documents/);
    expect((await cli('restore', file, '--force', '--data-dir', other)).code).toBe(0);
    const engine = await startEmbeddedEngine({ dataDir: join(other, 'engine') });
    cleanup.push(() => engine.close());
    expect(await ids(engine, dbNames.orgRecords)).toEqual(
      expect.arrayContaining([...s.records.e1Old, ...s.records.e2New].map((x) => x.id)),
    );
  });
});
