// The backup's reader straight after writes: it must never capture a
// revision older than the one just acknowledged. On a CouchDB cluster
// (COUCHDB_URL naming a node of one) `_all_docs?include_docs=true` answers
// from one copy per shard, which lags now and then; on one node or the
// embedded engine the test holds trivially.
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, openEngineFixture, uniqueId, type EngineFixture } from '../../test-support/engine-fixture.js';
import { documentsOf } from './backup-reader.js';

const open: EngineFixture[] = [];
const dropped: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const d of dropped.splice(0)) await d().catch(() => undefined);
  for (const f of open.splice(0)) await f.close();
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe.each(ENGINE_KINDS)('backup reader on the %s engine', (kind) => {
  it('reads every document at the revision just written, round after round of updates', async () => {
    const f = await openEngineFixture(kind);
    open.push(f);
    const { nano } = f.engine;
    // not an st- database: no concurrent backup in another suite picks it up
    const name = uniqueId('sealtime-test-live-backup');
    await nano.db.create(name);
    dropped.push(() => nano.db.destroy(name));
    const db = nano.use<{ v: number }>(name);
    const ids = Array.from({ length: 5 }, (_, i) => `doc-${i}`);
    let revs = new Map((await db.bulk({ docs: ids.map((_id) => ({ _id, v: 0 })) })).map((r) => [r.id, r.rev!]));
    let stale = 0;
    const rounds = 40;
    for (let round = 1; round <= rounds; round++) {
      const res = await db.bulk({ docs: ids.map((_id) => ({ _id, _rev: revs.get(_id)!, v: round })) });
      revs = new Map(res.map((r) => [r.id, r.rev!]));
      const read = await collect(documentsOf(nano, name));
      expect(read.map((d) => d._id)).toEqual(ids);
      for (const d of read) if (d._rev !== revs.get(d._id) || d.v !== round) stale++;
      for (const d of read) expect((d._revisions as { start: number }).start).toBe(round + 1);
    }
    expect(stale, `documents read at an older revision than acknowledged, of ${rounds * ids.length}`).toBe(0);
  });

  it('pages through a database of more than one page, each document once', async () => {
    const f = await openEngineFixture(kind);
    open.push(f);
    const { nano } = f.engine;
    const name = uniqueId('sealtime-test-live-backup');
    await nano.db.create(name);
    dropped.push(() => nano.db.destroy(name));
    const ids = Array.from({ length: 1234 }, (_, i) => `doc-${String(i).padStart(5, '0')}`);
    await nano.use(name).bulk({ docs: ids.map((_id) => ({ _id })) });
    const seen: string[] = [];
    for await (const d of documentsOf(nano, name)) {
      seen.push(d._id);
      if (seen.length > ids.length) break; // a reader that starts over never ends
    }
    expect(seen).toEqual(ids);
  });

  it('keeps every conflicting leaf with its own history', async () => {
    const f = await openEngineFixture(kind);
    open.push(f);
    const { nano } = f.engine;
    const name = uniqueId('sealtime-test-live-backup');
    await nano.db.create(name);
    dropped.push(() => nano.db.destroy(name));
    // two branches of one document, as two devices' replications would leave them
    const branches = [
      { _id: 'x', _rev: '2-aaa', v: 'a', _revisions: { start: 2, ids: ['aaa', 'root'] } },
      { _id: 'x', _rev: '2-bbb', v: 'b', _revisions: { start: 2, ids: ['bbb', 'root'] } },
      { _id: 'y', _rev: '1-ccc', v: 'c', _revisions: { start: 1, ids: ['ccc'] } },
    ];
    await nano.request({ db: name, path: '_bulk_docs', method: 'POST', body: { docs: branches, new_edits: false } });
    const read = await collect(documentsOf(nano, name));
    expect(read.map((d) => [d._id, d._rev, d.v])).toEqual([
      ['x', '2-aaa', 'a'],
      ['x', '2-bbb', 'b'],
      ['y', '1-ccc', 'c'],
    ]);
    expect(read[1]!._revisions).toEqual({ start: 2, ids: ['bbb', 'root'] });
  });
});
