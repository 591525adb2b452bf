import type { ClassicLevel } from 'classic-level';

// the handle type is spelled out here: leveldb-types.ts imports this file
type LevelHandle = ClassicLevel<string, string>;

/** What DocumentBatchWriter needs of a batch. */
export interface BatchSink {
  put(key: string, value: string): void;
  del(key: string): void;
  readonly length: number;
  /** Writes everything put (fsynced when `sync`); the sink is done afterwards. */
  write(sync: boolean): Promise<void>;
  /** Drops the sink unwritten. */
  discard(): Promise<void>;
}

/** classic-level's chained batch through the methods abstract-level asks of an implementation. */
interface ImplementationBatch {
  _put(key: string, value: string): void;
  _del(key: string): void;
  _clear(): void;
  _write(options: { sync: boolean }): Promise<void>;
}

/** Above this many key and value characters the native buffer is let go after the write, not kept. */
const KEEP_LIMIT = 2 << 20;

/**
 * One LevelDB write batch per collection, used by one write after another
 * (the collection's write queue runs them in turn). A fresh batch grows its
 * native buffer from nothing on every bulk write, and that growth (fresh
 * pages, reallocations) was most of the cost of putting a document: 2.7 µs
 * of CPU per 450-byte document row into a new batch against 0.4 µs into one
 * cleared and reused (min of 80 interleaved runs of 1,000 rows). The public
 * chained batch cannot be reused after its write, so the batch is driven
 * through the implementation methods abstract-level defines for
 * classic-level (`_put`, `_del`, `_clear`, `_write`); keys and values are
 * utf8 strings, which classic-level takes as they are. Where those methods
 * are missing, the batch is busy, or the handle is not open, a public batch
 * does the write, with abstract-level's own checks and errors.
 */
export class ReusableBatch {
  /** the chained batch (an open resource of the handle until dropped) and its implementation methods */
  private kept: { batch: { close(): Promise<void> }; native: ImplementationBatch } | undefined;
  private busy = false;

  constructor(private readonly db: LevelHandle) {}

  /** A sink for one write: the reused batch when it can be, else a fresh public one. */
  begin(): BatchSink {
    if (this.busy || this.db.status !== 'open') return publicSink(this.db);
    if (!this.kept) {
      const batch = this.db.batch();
      const native = implementationOf(batch);
      if (!native) {
        void batch.close();
        return publicSink(this.db);
      }
      this.kept = { batch, native };
    }
    this.busy = true;
    return this.sink(this.kept.native);
  }

  /**
   * Lets go of the kept batch (the collection is closed or removed): it is an
   * open resource of the handle, with its native buffer, until closed. Called
   * once the write queue is idle; a later begin() keeps a new one.
   */
  async release(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept) await kept.batch.close().catch(() => undefined);
  }

  private sink(native: ImplementationBatch): BatchSink {
    let length = 0;
    let chars = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      native._clear();
      // a large write would keep its whole native buffer for the life of the collection
      if (chars > KEEP_LIMIT && this.kept) {
        void this.kept.batch.close().catch(() => undefined);
        this.kept = undefined;
      }
      this.busy = false;
    };
    return {
      put(key, value) {
        native._put(key, value);
        length++;
        chars += key.length + value.length;
      },
      del(key) {
        native._del(key);
        length++;
        chars += key.length;
      },
      get length() {
        return length;
      },
      async write(sync) {
        try {
          if (length > 0) await native._write({ sync });
        } finally {
          finish();
        }
      },
      discard() {
        finish();
        return Promise.resolve();
      },
    };
  }
}

function implementationOf(batch: unknown): ImplementationBatch | undefined {
  const b = batch as Partial<ImplementationBatch>;
  return typeof b._put === 'function' &&
    typeof b._del === 'function' &&
    typeof b._clear === 'function' &&
    typeof b._write === 'function'
    ? (b as ImplementationBatch)
    : undefined;
}

function publicSink(db: LevelHandle): BatchSink {
  const batch = db.batch();
  return {
    put: (key, value) => void batch.put(key, value),
    del: (key) => void batch.del(key),
    get length() {
      return batch.length;
    },
    write: (sync) => (batch.length === 0 ? batch.close() : batch.write({ sync })),
    discard: () => batch.close(),
  };
}
