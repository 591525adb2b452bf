/**
 * Local overflow for audit entries while the audit database is unreachable
 * (or the memory queue is full): JSON lines appended to `<path>`, synced to
 * disk. To drain, the file is renamed to `<path>.draining` so new entries keep
 * appending to a fresh file; the drained file is deleted only once every
 * entry in it was accepted. Re-sending after a partial drain is safe because
 * audit ids are fixed when the entry is made (the database answers "conflict"
 * for ones it already has).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

export class SpillFile {
  private chain: Promise<void> = Promise.resolve();
  private writing = 0;

  constructor(readonly path: string) {}

  get drainingPath(): string {
    return `${this.path}.draining`;
  }

  get rejectedPath(): string {
    return `${this.path}.rejected`;
  }

  /** True while appends are still being written. */
  get busy(): boolean {
    return this.writing > 0;
  }

  /** Appends entries durably; appends are serialised in call order. */
  append(entries: readonly unknown[], path = this.path): Promise<void> {
    if (entries.length === 0) return this.chain;
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    this.writing++;
    const job = this.chain.then(async () => {
      await mkdir(dirname(path), { recursive: true });
      const fh = await open(path, 'a', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.datasync();
      } finally {
        await fh.close();
      }
    });
    this.chain = job
      .catch(() => undefined)
      .finally(() => {
        this.writing--;
      });
    return job;
  }

  /** Entries no database would accept, kept for an operator rather than dropped. */
  reject(entries: readonly unknown[]): Promise<void> {
    return this.append(entries, this.rejectedPath);
  }

  /** Whether anything waits on disk. */
  async hasPending(): Promise<boolean> {
    return (await sizeOf(this.drainingPath)) > 0 || (await sizeOf(this.path)) > 0;
  }

  /**
   * Hands every spilled entry to `send` in batches, oldest file first. Returns
   * true when all of them were delivered (and the files removed), false when
   * `send` threw — the rest stays on disk for the next attempt.
   */
  async drain(
    batchSize: number,
    send: (batch: unknown[]) => Promise<void>,
    onCorrupt: (line: string) => void,
  ): Promise<boolean> {
    await this.chain; // let in-flight appends land before the rename
    if ((await sizeOf(this.drainingPath)) === 0) {
      if ((await sizeOf(this.path)) === 0) return true;
      await rename(this.path, this.drainingPath);
    }
    const lines = createInterface({ input: createReadStream(this.drainingPath, 'utf8'), crlfDelay: Infinity });
    let batch: unknown[] = [];
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        try {
          batch.push(JSON.parse(line));
        } catch {
          onCorrupt(line); // a torn last line after a crash
          continue;
        }
        if (batch.length >= batchSize) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await send(batch);
    } catch {
      return false;
    } finally {
      lines.close();
    }
    await unlink(this.drainingPath).catch(() => undefined);
    return !(await this.hasPending());
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
