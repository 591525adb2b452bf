import type { Observable } from 'rxjs';
import {
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  newRxError,
} from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
  StringKeys,
} from 'rxdb';
import type { HandleLease } from './leveldb-handles.js';
import { indexName } from './leveldb-indexes.js';
import { attachmentKey, collectionEnd, indexPrefix, type KeyRange } from './leveldb-keys.js';
import { countKeys } from './leveldb-query.js';
import { readDocs, readDocsCached } from './leveldb-docs.js';
import { writeBulk, type StoredAttachment } from './leveldb-bulk-write.js';
import { purgeDeleted } from './leveldb-cleanup.js';
import { QueryResultIds } from './leveldb-query-results.js';
import { RangeCache } from './leveldb-range-cache.js';
import type { LevelCollectionState, LevelDBSettings, LevelHandle, LevelIndex } from './leveldb-types.js';

type Doc<T> = RxDocumentData<T>;
type Checkpoint = RxStorageDefaultCheckpoint;

export interface LevelStorageInternals {
  readonly state: LevelCollectionState;
}

/** Documents fetched per LevelDB round trip while scanning an index. */
const READ_CHUNK = 256;

export class RxStorageInstanceLevelDB<RxDocType> implements RxStorageInstance<
  RxDocType,
  LevelStorageInternals,
  LevelDBSettings,
  Checkpoint
> {
  readonly primaryPath: StringKeys<Doc<RxDocType>>;
  readonly internals: LevelStorageInternals;
  private closed = false;
  private readonly db: LevelHandle;
  private readonly state: LevelCollectionState;
  private readonly indexes: LevelIndex[];
  private readonly byName: Map<string, LevelIndex>;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<Doc<RxDocType>>>,
    readonly options: Readonly<LevelDBSettings>,
    private readonly lease: HandleLease,
    state: LevelCollectionState,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<Doc<RxDocType>>;
    this.db = lease.db;
    this.state = state;
    this.indexes = state.indexes;
    this.byName = new Map(state.indexes.map((i) => [i.name, i]));
    this.internals = { state };
    this.results = new QueryResultIds(state.counts);
  }

  private ensureOpen(): void {
    if (this.closed)
      throw newRxError('SNH', { args: { reason: `leveldb storage instance ${this.collectionName} is closed` } });
    if (this.state.removed)
      throw newRxError('SNH', { args: { reason: `leveldb collection ${this.collectionName} was removed` } });
  }

  private getDocs(ids: readonly string[]): Promise<Map<string, Doc<RxDocType>>> {
    return readDocs(this.db, this.state.prefix, ids) as Promise<Map<string, Doc<RxDocType>>>;
  }

  /** getDocs through the collection's document cache (the read paths of queries and findDocumentsById). */
  private getDocsCached(ids: readonly string[]): Promise<Map<string, Doc<RxDocType>>> {
    return readDocsCached(this.db, this.state, ids) as Promise<Map<string, Doc<RxDocType>>>;
  }

  bulkWrite(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
  ): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen();
    // Categorisation reads the current documents, so writes to one collection
    // run one after another (also across instances sharing the collection).
    const run = this.state.writeQueue.then(() => this.writeNow(documentWrites, context));
    this.state.writeQueue = run.catch(() => undefined);
    return run;
  }

  private writeNow(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen();
    return writeBulk(
      this as RxStorageInstance<RxDocType, unknown, unknown>,
      this.db,
      this.state,
      this.primaryPath,
      rows,
      context,
      this.options.sync !== false,
    );
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<Doc<RxDocType>[]> {
    this.ensureOpen();
    await this.state.writeQueue;
    const found = await this.getDocsCached(ids);
    const out: Doc<RxDocType>[] = [];
    for (const id of ids) {
      const doc = found.get(id);
      if (doc && (withDeleted || !doc._deleted)) out.push(doc);
    }
    return out;
  }

  private indexFor(fields: readonly string[]): LevelIndex {
    const index = this.byName.get(indexName(fields));
    if (!index) throw newRxError('SNH', { args: { reason: `index does not exist: ${indexName(fields)}` } });
    return index;
  }

  /** Key ranges of prepared queries seen before: RxDB prepares a query once and runs it on every change. */
  private readonly ranges = new WeakMap<PreparedQuery<RxDocType>, KeyRange>();
  private readonly results: QueryResultIds;
  /** ... and by plan content, for a query prepared anew with a plan seen before */
  private readonly plans = new RangeCache();

  private range(prepared: PreparedQuery<RxDocType>): KeyRange {
    let range = this.ranges.get(prepared);
    if (!range) this.ranges.set(prepared, (range = this.plans.get(prepared.queryPlan, () => this.rangeOf(prepared))));
    return range;
  }

  private rangeOf(prepared: PreparedQuery<RxDocType>): KeyRange {
    const plan = prepared.queryPlan;
    const index = this.indexFor(plan.index);
    const lower = getStartIndexStringFromLowerBound(this.schema, plan.index, plan.startKeys);
    const upper = getStartIndexStringFromUpperBound(this.schema, plan.index, plan.endKeys);
    const p = indexPrefix(this.state.prefix, index.no);
    return {
      ...(plan.inclusiveStart ? { gte: p + lower } : { gt: p + lower }),
      ...(plan.inclusiveEnd ? { lte: p + upper } : { lt: p + upper }),
    };
  }

  async query(prepared: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureOpen();
    await this.state.writeQueue;
    const known = this.results.get(prepared as PreparedQuery<unknown>);
    if (known) {
      const docs = await this.getDocsCached(known);
      // a write that came in between (while rows were read from disk) may have changed the result: walk afresh
      if (this.results.get(prepared as PreparedQuery<unknown>) === known) {
        const rows = known.map((id) => docs.get(id));
        if (rows.every((d) => d !== undefined)) return { documents: rows as Doc<RxDocType>[] };
      }
    }
    const ticket = this.state.counts.ticket();
    const result = await this.walk(prepared);
    this.results.set(
      prepared as PreparedQuery<unknown>,
      ticket,
      result.documents.map((d) => d[this.primaryPath] as unknown as string),
    );
    return result;
  }

  /** Runs a query on the index: the range walk, the matcher where the index does not decide, sort, skip and limit. */
  private async walk(prepared: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    const plan = prepared.queryPlan;
    const query = prepared.query;
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const wanted = skip + limit;
    const mustSort = !plan.sortSatisfiedByIndex;
    const matcher = plan.selectorSatisfiedByIndex ? null : getQueryMatcher(this.schema, query);
    let rows: Doc<RxDocType>[] = [];

    // Walk the index range in chunks; stop as soon as skip+limit rows are
    // known, unless the result has to be re-sorted in memory.
    // Without a matcher or re-sort every id read is a result row: read no more than still wanted.
    const chunk = () => (mustSort || matcher ? READ_CHUNK : Math.min(READ_CHUNK, wanted - rows.length));
    const index = this.indexFor(plan.index);
    await this.state.iterators.scan(
      indexPrefix(this.state.prefix, index.no),
      this.range(prepared),
      chunk,
      async (docIds) => {
        const docs = await this.getDocsCached(docIds);
        for (const id of docIds) {
          const doc = docs.get(id);
          if (!doc) continue;
          if (matcher && !matcher(doc)) continue;
          rows.push(doc);
          if (!mustSort && rows.length >= wanted) return false;
        }
        return true;
      },
    );

    if (mustSort) rows.sort(getSortComparator(this.schema, query));
    if (skip !== 0 || rows.length > wanted) rows = rows.slice(skip, wanted);
    return { documents: rows };
  }

  async count(prepared: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    await this.state.writeQueue;
    if (prepared.queryPlan.selectorSatisfiedByIndex) {
      // The index range is exactly the result: count keys, read no documents.
      const index = this.indexFor(prepared.queryPlan.index);
      const range = this.range(prepared);
      const counts = this.state.counts;
      const kept = counts.get(index.no, range);
      if (kept !== undefined) return { count: kept, mode: 'fast' };
      const ticket = counts.ticket();
      const count = await countKeys(this.db, range);
      counts.set(index.no, range, count, ticket);
      return { count, mode: 'fast' };
    }
    const { limit: _countsAll, ...unlimited } = prepared.query;
    const all = await this.query({ ...prepared, query: { ...unlimited, skip: 0 } } as PreparedQuery<RxDocType>);
    return { count: all.documents.length, mode: 'fast' };
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: Checkpoint,
  ): Promise<{ documents: Doc<RxDocType>[]; checkpoint: Checkpoint }> {
    this.ensureOpen();
    await this.state.writeQueue;
    const fields = ['_meta.lwt', this.primaryPath as string];
    const index = this.indexFor(fields);
    const p = indexPrefix(this.state.prefix, index.no);
    const lower = checkpoint
      ? { gt: p + getStartIndexStringFromLowerBound(this.schema, fields, [checkpoint.lwt, checkpoint.id]) }
      : { gte: p };
    const ids: string[] = [];
    for await (const id of this.db.values({ ...lower, lt: p + '\uffff', limit })) ids.push(id);
    const docs = await this.getDocs(ids);
    const documents = ids.map((id) => docs.get(id)).filter((d): d is Doc<RxDocType> => d !== undefined);
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: last[this.primaryPath] as unknown as string, lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<Doc<RxDocType>>, Checkpoint>> {
    this.ensureOpen();
    return this.state.changes$.asObservable() as unknown as Observable<
      EventBulk<RxStorageChangeEvent<Doc<RxDocType>>, Checkpoint>
    >;
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen();
    await this.state.writeQueue;
    const raw = await this.db.get(attachmentKey(this.state.prefix, documentId, attachmentId));
    const stored = raw === undefined ? undefined : (JSON.parse(raw) as StoredAttachment);
    if (!stored || !digest || stored.digest !== digest) {
      throw new Error(`attachment does not exist: ${documentId}/${attachmentId}`);
    }
    return new Blob([Buffer.from(stored.data, 'base64')], { type: stored.type });
  }

  /** Physically removes deleted documents whose deletion is older than minimumDeletedTime ms. */
  cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    const run = this.state.writeQueue.then(() =>
      purgeDeleted(this.db, this.state, this.primaryPath as string, minimumDeletedTime, this.options.sync !== false),
    );
    this.state.writeQueue = run.catch(() => undefined);
    return run;
  }

  async remove(): Promise<void> {
    // a plain Error, as RxDB's own storages throw here (its conformance suite checks the type)
    if (this.closed)
      throw new Error(
        `leveldb storage instance ${this.databaseName}/${this.collectionName} is closed: remove() must come before close()`,
      );
    this.ensureOpen();
    const state = this.state;
    // An instance of this collection created meanwhile waits for this (see
    // createLevelDBStorageInstance) and starts on a fresh, empty state, so the
    // clear never wipes its writes and `removed` never reaches it.
    state.removal ??= (async () => {
      await state.writeQueue;
      state.removed = true;
      state.counts.clear();
      state.docCache.clear();
      await state.iterators.shutdown();
      await state.batch.release();
      await this.db.clear({ gte: state.prefix, lt: collectionEnd(state.prefix) });
    })().finally(() => this.forgetState());
    await state.removal;
    await this.close();
  }

  /** Drops the shared state from the handle's table, unless a newer one has taken its place. */
  private forgetState(): void {
    if (this.lease.collections.get(this.state.name) === this.state) this.lease.collections.delete(this.state.name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.state.writeQueue;
    this.state.refCount--;
    if (this.state.refCount === 0) {
      await this.state.iterators.shutdown();
      await this.state.batch.release();
      this.state.changes$.complete();
      this.forgetState();
    }
    await this.lease.release();
  }
}
