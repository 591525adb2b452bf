import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { readDocs, readDocsSync } from './leveldb-docs.js';
import { docKey } from './leveldb-keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'st-level-docs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readDocsSync', () => {
  it('finds what readDocs finds, from the log, from table files after a compaction, and misses the rest', async () => {
    const prefix = '\x027\x01';
    const ids = ['a', 'b', 'é', '𝔘nicode', 'x'.repeat(300)];
    let db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    await db.batch(
      ids.map((id, n) => ({ type: 'put' as const, key: docKey(prefix, id), value: JSON.stringify({ id, n }) })),
    );
    await db.close();
    db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const asked = [...ids, 'missing', 'a ', ''];
    try {
      const fromLog = readDocsSync(db, prefix, asked);
      expect(fromLog).toEqual(await readDocs(db, prefix, asked));
      expect([...fromLog.keys()]).toEqual(ids);
      await db.compactRange(prefix, prefix + '\uffff');
      expect(readDocsSync(db, prefix, asked)).toEqual(fromLog);
      // another collection's prefix sees none of them
      expect(readDocsSync(db, '\x028\x01', asked).size).toBe(0);
    } finally {
      await db.close();
    }
  });
});
