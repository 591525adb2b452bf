/**
 * Key layout inside one LevelDB directory. Every key of a collection starts
 * with its prefix, so a collection is one contiguous key range:
 *
 *   <prefix>d\x00<docId>                   -> JSON of the document
 *   <prefix>i<n>\x00<indexableString>      -> docId   (one range per index n)
 *   <prefix>a\x00<docId>\x00<attachmentId>  -> JSON {data, digest}
 *
 * The prefix is the collection's registered number (`\x02<n>\x01`, format 2)
 * or, for collections written before, its names (collectionPrefix, format 1):
 * see leveldb-layout.ts. \x00 and \x01 cannot appear in RxDB names, so
 * prefixes never overlap.
 * RxDB's indexable strings sort the same way as the index they encode, so an
 * index range is a plain LevelDB range scan.
 */
export const SEP = '\x00';
/** Sorts after every character an indexable string or id can contain. */
export const HIGH = '\uffff';

/** `${databaseName}\x01${collectionName}\x01${schemaVersion}\x01`: a collection's names, its key in the registry. */
export function collectionPrefix(databaseName: string, collectionName: string, schemaVersion: number): string {
  return `${databaseName}\x01${collectionName}\x01${schemaVersion}\x01`;
}

export const docKey = (prefix: string, id: string): string => `${prefix}d${SEP}${id}`;
export const docRangeStart = (prefix: string): string => `${prefix}d${SEP}`;

export const indexPrefix = (prefix: string, no: number): string => `${prefix}i${no}${SEP}`;
export const indexKey = (prefix: string, no: number, indexString: string): string =>
  `${prefix}i${no}${SEP}${indexString}`;

export const attachmentKey = (prefix: string, docId: string, attachmentId: string): string =>
  `${prefix}a${SEP}${docId}${SEP}${attachmentId}`;
export const attachmentDocPrefix = (prefix: string, docId: string): string => `${prefix}a${SEP}${docId}${SEP}`;

/** Upper limit of the whole collection range (exclusive). */
export const collectionEnd = (prefix: string): string => `${prefix}${HIGH}`;

/** Bounds of a LevelDB range read, as classic-level takes them. */
export interface KeyRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
}
