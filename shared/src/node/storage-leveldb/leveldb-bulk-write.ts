import { categorizeBulkWriteRows } from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  RxDocumentData,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  StringKeys,
} from 'rxdb';
import { readDocsSync } from './leveldb-docs.js';
import { attachmentKey } from './leveldb-keys.js';
import { DocumentBatchWriter } from './leveldb-write.js';
import type { LevelCollectionState, LevelHandle } from './leveldb-types.js';

type Doc<T> = RxDocumentData<T>;

/** How an attachment's bytes are kept (RxDB hands them over as Blobs). */
export interface StoredAttachment {
  digest: string;
  type: string;
  data: string;
}

/**
 * One bulkWrite, run inside the collection's write queue: RxDB's own
 * categorisation decides conflicts against the stored states, then every
 * row lands in one LevelDB batch (all or nothing), fsynced when `sync`.
 */
export async function writeBulk<RxDocType>(
  instance: RxStorageInstance<RxDocType, unknown, unknown>,
  db: LevelHandle,
  state: LevelCollectionState,
  primaryPath: StringKeys<Doc<RxDocType>>,
  rows: BulkWriteRow<RxDocType>[],
  context: string,
  sync: boolean,
): Promise<RxStorageBulkWriteResponse<RxDocType>> {
  const ids = rows.map((r) => r.document[primaryPath] as unknown as string);
  // The conflict check needs every stored state; ids above every stored one
  // (the usual insert of new records) are surely absent and not looked up.
  await state.ids.load();
  const stored = state.ids;
  const lookup = ids.filter((id) => !stored.isNew(id));
  const inDb = readDocsSync(db, state.prefix, lookup) as Map<string, Doc<RxDocType>>;
  const categorized = categorizeBulkWriteRows<RxDocType>(
    instance,
    primaryPath as StringKeys<RxDocType>,
    inDb,
    rows,
    context,
  );
  const prefix = state.prefix;
  // RxDB hands attachments over as Blobs; LevelDB stores their bytes.
  const attachments: { key: string; value: string | undefined }[] = [];
  if (state.schema.attachments) {
    for (const a of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
      const bytes = Buffer.from(await a.attachmentData.data.arrayBuffer());
      const stored: StoredAttachment = {
        digest: a.digest,
        type: a.attachmentData.type,
        data: bytes.toString('base64'),
      };
      attachments.push({ key: attachmentKey(prefix, a.documentId, a.attachmentId), value: JSON.stringify(stored) });
    }
    for (const a of categorized.attachmentsRemove)
      attachments.push({ key: attachmentKey(prefix, a.documentId, a.attachmentId), value: undefined });
  }

  // before the write starts, so a failed or torn write leaves the bound high, never low
  stored.raise(ids);
  // From here to the commit nothing awaits: the kept counts see the write as one step.
  const counts = state.counts;
  counts.beginWrite();
  const writer = new DocumentBatchWriter(state.batch.begin(), prefix, state.indexes, counts, state.docCache);
  try {
    for (const row of categorized.bulkInsertDocs) {
      writer.insert(row.document[primaryPath] as unknown as string, row.document);
    }
    for (const row of categorized.bulkUpdateDocs) {
      const id = row.document[primaryPath] as unknown as string;
      // categorizeBulkWriteRows has checked that row.previous is what is stored.
      writer.update(id, row.document, inDb.get(id) ?? row.previous);
    }
    for (const a of attachments) {
      if (a.value === undefined) writer.batch.del(a.key);
      else writer.batch.put(a.key, a.value);
    }
  } catch (err) {
    await writer.abandon(counts);
    throw err;
  }
  // One batch per bulkWrite: all rows land or none do; sync makes it
  // durable before we acknowledge (survives kill -9 and power loss).
  await writer.commit(counts, sync);
  void state.iterators.closeIdle();

  if (categorized.eventBulk.events.length > 0) {
    const newest = categorized.newestRow!.document;
    categorized.eventBulk.checkpoint = { id: newest[primaryPath] as unknown as string, lwt: newest._meta.lwt };
    state.changes$.next(
      categorized.eventBulk as EventBulk<RxStorageChangeEvent<Doc<unknown>>, RxStorageDefaultCheckpoint>,
    );
  }
  return { error: categorized.errors };
}
