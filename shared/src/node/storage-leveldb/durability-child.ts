// Child process for the kill -9 test: writes batches forever and prints the
// number of each batch only after bulkWrite has resolved (= acknowledged).
import { createRevision, fillWithDefaultSettings, now, randomToken } from 'rxdb';
import { getRxStorageLevelDB } from './index.js';

const dir = process.argv[2]!;
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
const storage = getRxStorageLevelDB({ directory: dir });
const inst = await storage.createStorageInstance<{ id: string; batch: number; body: string }>({
  databaseInstanceToken: randomToken(8),
  databaseName: 'kill',
  collectionName: 'docs',
  schema,
  options: { directory: dir },
  multiInstance: false,
  devMode: false,
});
const start = Number(process.argv[3] ?? 0);
for (let b = start; ; b++) {
  const rows = Array.from({ length: 50 }, (_, i) => ({
    document: {
      id: `${b}-${i}`,
      batch: b,
      body: 'x'.repeat(200),
      _deleted: false,
      _attachments: {},
      _rev: createRevision(randomToken(6)),
      _meta: { lwt: now() },
    },
  }));
  const res = await inst.bulkWrite(rows, 'kill-test');
  if (res.error.length) throw new Error('unexpected conflict');
  process.stdout.write(`ack ${b}\n`);
}
