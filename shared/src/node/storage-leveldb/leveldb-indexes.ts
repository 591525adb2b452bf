import { getIndexableStringMonad, getPrimaryFieldOfPrimaryKey, toArray } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import type { LevelIndex } from './leveldb-types.js';

export const indexName = (fields: readonly string[]): string => fields.join(',');

/**
 * The indexes kept for a collection: the schema's own (RxDB has already
 * appended the primary key to each) plus two the storage itself relies on —
 * ['_meta.lwt', id] for changes-since and ['_deleted', '_meta.lwt', id] for
 * cleanup — added only if the schema does not carry them already.
 */
export function buildIndexes(schema: RxJsonSchema<RxDocumentData<unknown>>): LevelIndex[] {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const wanted: string[][] = (schema.indexes ?? []).map((i) => toArray(i) as string[]);
  wanted.push(['_meta.lwt', primaryPath]);
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
