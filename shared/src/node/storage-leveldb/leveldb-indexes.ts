import { getIndexableStringMonad, getPrimaryFieldOfPrimaryKey, toArray } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import type { LevelIndex } from './leveldb-types.js';

export const indexName = (fields: readonly string[]): string => fields.join(',');

/**
 * The indexes kept for a collection: the schema's own (RxDB has already
 * appended the primary key to each) plus what the storage itself relies on:
 * ['_meta.lwt', id] for changes-since, and for cleanup an index that starts
 * with `_deleted`. Format 1 always added ['_deleted', '_meta.lwt', id];
 * format 2 adds it only when no schema index starts with `_deleted` (RxDB
 * puts `_deleted` first in every index of a filled schema), one index entry
 * fewer per document. Numbers follow the list, so adding at the end keeps
 * the others' numbers.
 */
export function buildIndexes(schema: RxJsonSchema<RxDocumentData<unknown>>, format: 1 | 2): LevelIndex[] {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const wanted: string[][] = (schema.indexes ?? []).map((i) => toArray(i) as string[]);
  wanted.push(['_meta.lwt', primaryPath]);
  if (format === 1 || !wanted.some((f) => isCleanupIndex(f, primaryPath)))
    wanted.push(['_deleted', '_meta.lwt', primaryPath]);
  const seen = new Set<string>();
  const out: LevelIndex[] = [];
  for (const fields of wanted) {
    const name = indexName(fields);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ fields, name, no: out.length, toIndexString: getIndexableStringMonad(schema, fields) });
  }
  return out;
}

const isCleanupIndex = (fields: readonly string[], primaryPath: string): boolean =>
  fields.length >= 2 && fields[0] === '_deleted' && fields[fields.length - 1] === primaryPath;

/** The index cleanup walks: ['_deleted', '_meta.lwt', id] where kept, else the first that starts with `_deleted`. */
export function cleanupIndex(indexes: readonly LevelIndex[], primaryPath: string): LevelIndex {
  const exact = indexName(['_deleted', '_meta.lwt', primaryPath]);
  return indexes.find((i) => i.name === exact) ?? indexes.find((i) => isCleanupIndex(i.fields, primaryPath))!;
}
