/**
 * The admin core in a process of its own, for tests that kill it (kill -9)
 * and start it again on the same data directory. Commands arrive as JSON
 * lines on stdin and each gets one JSON line on stdout:
 *   {"id":1,"op":"signIn","params":{…}}  → {"id":1,"ok":true,"result":…}
 * ops: signIn, unlock, request (name + params), awaitInSync, outbox.
 * Usage: node --import tsx core-child.ts <dataDir> <timeZone> [keyringFile]
 */
import { createInterface } from 'node:readline';
import type { RequestName, RequestParams } from '../../api/admin-api.js';
import { AdminCore } from '../admin-core.js';

const [dataDir, timeZone, keyringFile] = process.argv.slice(2);
if (!dataDir || !timeZone) throw new Error('usage: core-child <dataDir> <timeZone> [keyringFile]');
const fast = { minRetryMs: 200, maxRetryMs: 1000 };
const core = new AdminCore({ dataDir, timeZone, ...(keyringFile ? { keyringFile } : {}), sync: fast, outbox: fast });
await core.start();

type Command = { id: number; op: string; name?: RequestName; params?: unknown };

const outboxNow = () =>
  new Promise((resolve, reject) => {
    const stop = core.subscribe(
      'outbox',
      {},
      (v) => {
        queueMicrotask(() => stop());
        resolve(v);
      },
      (e) => {
        queueMicrotask(() => stop());
        reject(Object.assign(new Error(e.message), { code: e.code }));
      },
    );
  });

async function run(c: Command): Promise<unknown> {
  switch (c.op) {
    case 'signIn':
      return core.signIn(c.params as RequestParams<'signIn'>);
    case 'unlock':
      return core.unlock(c.params as RequestParams<'unlock'>);
    case 'request':
      return core.request(c.name!, c.params as never);
    case 'awaitInSync':
      await core.awaitInSync();
      return null;
    case 'outbox':
      return outboxNow();
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line) as Command;
  run(c).then(
    (result) => process.stdout.write(`${JSON.stringify({ id: c.id, ok: true, result })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ id: c.id, ok: false, error: core.toApiError(err) })}\n`),
  );
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
