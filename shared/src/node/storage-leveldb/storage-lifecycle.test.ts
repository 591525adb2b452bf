// Closing, removing and reopening as RxDB's own storages do (its conformance
// suite is the spec): an instance closed or removed without being awaited and
// reopened at once (the agent's restart, a CLI opening the store) must find
// its data, not a LevelDB "LOCK: already held" error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRevision, fillWithDefaultSettings, now, randomToken, RxError } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getRxStorageLevelDB, openHandleCount } from './index.js';

interface Item {
  id: string;
  n: number;
}

const schema: RxJsonSchema<RxDocumentData<Item>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    n: { type: 'integer', minimum: 0, maximum: 1e9, multipleOf: 1 },
  },
  required: ['id', 'n'],
  indexes: ['n'],
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-life-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function open(collectionName = 'items') {
  return getRxStorageLevelDB({ directory: dir }).createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName,
    schema,
    options: { directory: dir },
    multiInstance: false,
    devMode: false,
  });
}

const item = (n: number): RxDocumentData<Item> => ({
  id: `i${n}`,
  n,
  _deleted: false,
  _attachments: {},
  _rev: createRevision(randomToken(10)),
  _meta: { lwt: now() },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** 0, 1 or 2 ms; 0 means no wait at all: the reopen starts in the same tick. */
const pause = (i: number) => (i % 3 === 0 ? Promise.resolve() : sleep(i % 3));

describe('LevelDB RxStorage: close, remove, reopen', () => {
  it('close-then-reopen without awaiting the close, 200 times at 0–2 ms: every reopen works and sees every write', async () => {
    const closes: Promise<void>[] = [];
    const failures: string[] = [];
    for (let i = 0; i < 200; i++) {
      let inst;
      try {
        inst = await open();
      } catch (err) {
        failures.push(`round ${i}: ${(err as Error).message} (${String((err as Error).cause)})`);
        break;
      }
      const stored = (
        await inst.findDocumentsById(
          [...Array(i).keys()].map((n) => `i${n}`),
          false,
        )
      ).length;
      if (stored !== i) failures.push(`round ${i}: ${stored} of ${i} documents there`);
      expect((await inst.bulkWrite([{ document: item(i) }], 'life')).error).toEqual([]);
      closes.push(inst.close()); // not awaited: the next open races it
      await pause(i);
    }
    const closed = await Promise.allSettled(closes);
    expect(failures).toEqual([]);
    expect(closed.filter((c) => c.status === 'rejected')).toEqual([]);
    expect(openHandleCount()).toBe(0);
  }, 120_000);

  it('remove-then-reopen without awaiting the remove, at 0–2 ms: the reopen works and the collection is empty', async () => {
    const removes: Promise<void>[] = [];
    const failures: string[] = [];
    for (let i = 0; i < 60; i++) {
      let inst;
      try {
        inst = await open();
      } catch (err) {
        failures.push(`round ${i}: ${(err as Error).message} (${String((err as Error).cause)})`);
        break;
      }
      // the remove queued before it has run (its instance waited for it): nothing of it is left
      const left = await inst.findDocumentsById(['i0', 'i1'], true);
      if (left.length > 0) failures.push(`round ${i}: ${left.length} document(s) survived a remove`);
      await inst.bulkWrite([{ document: item(i % 2) }], 'life');
      removes.push(inst.remove());
      await pause(i);
    }
    expect(failures).toEqual([]);
    expect((await Promise.allSettled(removes)).filter((r) => r.status === 'rejected')).toEqual([]);
    expect(openHandleCount()).toBe(0);
  }, 60_000);

  it('remove() after close() rejects with a plain Error (as RxDB’s storages), and the data stays', async () => {
    const inst = await open();
    await inst.bulkWrite([{ document: item(1) }], 'life');
    await inst.close();
    const err = await inst.remove().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(RxError);
    expect((err as Error).constructor).toBe(Error);
    expect((err as Error).message).toMatch(/closed/);
    const again = await open();
    expect((await again.findDocumentsById(['i1'], false)).map((d) => d.n)).toEqual([1]);
    await again.close();
    expect(openHandleCount()).toBe(0);
  });
});
