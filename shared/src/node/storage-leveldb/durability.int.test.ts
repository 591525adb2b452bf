import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, randomToken } from 'rxdb';
import { getRxStorageLevelDB } from './index.js';

const child = fileURLToPath(new URL('./durability-child.ts', import.meta.url));

/** Runs the writer until it has acknowledged `minAcks` batches plus a random extra delay, then SIGKILLs it. */
function runAndKill(dir: string, start: number, minAcks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: number[] = [];
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
      }
      if (acks.length >= minAcks && !timer) timer = setTimeout(() => p.kill('SIGKILL'), Math.floor(Math.random() * 40));
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited on its own: ${err}`)),
    );
  });
}

describe('LevelDB storage durability', () => {
  it('keeps every acknowledged batch and never half a batch across repeated kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-kill-'));
    try {
      const schema = fillWithDefaultSettings({
        version: 0,
        primaryKey: 'id',
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 40 },
          batch: { type: 'integer', minimum: 0, maximum: 1e9, multipleOf: 1 },
          body: { type: 'string' },
        },
        required: ['id', 'batch', 'body'],
        indexes: ['batch'],
      });
      let next = 0;
      const acknowledged: number[] = [];
      for (let round = 0; round < 5; round++) {
        const acks = await runAndKill(dir, next, 3 + Math.floor(Math.random() * 10));
        acknowledged.push(...acks);
        const inst = await getRxStorageLevelDB({ directory: dir }).createStorageInstance<{
          id: string;
          batch: number;
          body: string;
        }>({
          databaseInstanceToken: randomToken(8),
          databaseName: 'kill',
          collectionName: 'docs',
          schema,
          options: { directory: dir },
          multiInstance: false,
          devMode: false,
        });
        const all = (
          await inst.query(
            prepareQuery(schema, normalizeMangoQuery(schema, { selector: {}, sort: [{ batch: 'asc' }] })),
          )
        ).documents;
        await inst.close();
        const perBatch = new Map<number, number>();
        for (const d of all) perBatch.set(d.batch, (perBatch.get(d.batch) ?? 0) + 1);
        for (const b of acknowledged) expect(perBatch.get(b), `batch ${b} acknowledged but missing`).toBe(50);
        for (const [b, n] of perBatch) expect(n, `batch ${b} is partial`).toBe(50);
        next = Math.max(...perBatch.keys()) + 1;
      }
      expect(acknowledged.length).toBeGreaterThan(15);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
