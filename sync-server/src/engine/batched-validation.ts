/**
 * The engine's `validate_doc_update` for `_bulk_docs`, once per request
 * instead of once per document (embedded engine only).
 *
 * express-pouchdb validates writes with pouchdb-validation, whose bulkDocs
 * handler, for every document of a batch, lists the design documents (a
 * LevelDB iterator), evaluates each function's source again (`eval`), and
 * reads the stored version. A 300-record backlog cost 300 iterators and 300
 * compilations before the write began (bench:agent drain profile). Here the
 * design documents are listed and compiled once per request, then each
 * document is judged exactly as before: the same functions with the same
 * arguments (the new document with the stored one's `_revisions`, the stored
 * one read with `revs: true`, the request's user context and security
 * object), the same errors (401 `unauthorized`, 403 `forbidden`, 500 for a
 * function that fails), and only the documents that pass are written.
 *
 * Installed by swapping pouchdb-validation's own handler, found by identity,
 * in each database's bulkDocs handler chain, where express-pouchdb put it.
 * Single-document writes (put, post, remove, attachments) keep the original.
 */
import { createRequire } from 'node:module';

type Fn = (...args: unknown[]) => unknown;
type Doc = Record<string, unknown> & { _id?: string };
type BulkArgs = { base: ValidatedDb; docs: Doc[]; options: ValidationOptions };
type Handler = (orig: () => Promise<unknown[]>, args: BulkArgs) => Promise<unknown[]>;

interface ValidationOptions {
  userCtx?: unknown;
  secObj?: unknown;
  checkHttp?: boolean;
}

interface ValidatedDb {
  type(): string;
  info(): Promise<unknown>;
  get(id: string, opts: { revs: true }): Promise<Doc>;
  allDocs(opts: Record<string, unknown>): Promise<{ rows: Array<{ doc?: Doc }> }>;
  bulkDocs: Fn & { _handlers?: unknown[] };
}

interface ValidationFunction {
  designDoc: Doc;
  func: (newDoc: Doc, oldDoc: Doc | null, userCtx: unknown, secObj: unknown) => void;
}

// the very modules express-pouchdb loaded, resolved from where it sits
const fromExpressPouch = createRequire(createRequire(import.meta.url).resolve('express-pouchdb'));
const validation = fromExpressPouch('pouchdb-validation') as { installValidationMethods(this: object): void };
const fromValidation = createRequire(fromExpressPouch.resolve('pouchdb-validation'));
const coucheval = fromValidation('couchdb-eval') as {
  evaluate(requireContext: unknown, extraVars: object, program: string): ValidationFunction['func'];
  wrapExecutionError(e: unknown): Error;
};
const PouchPluginError = fromValidation('pouchdb-plugin-error') as new (o: {
  name: string;
  message: unknown;
  status: number;
}) => Error;
const uuid = fromValidation('random-uuid-v4') as () => string;
const couchdbObjects = fromValidation('couchdb-objects') as { buildUserContextObject(info: unknown): unknown };

/** pouchdb-validation's bulkDocs handler (module-level, one for every database), read off a stand-in. */
function originalHandler(): unknown {
  const names = ['put', 'post', 'remove', 'bulkDocs', 'putAttachment', 'removeAttachment'];
  const standIn: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, () => undefined]));
  validation.installValidationMethods.call(standIn);
  const handlers = (standIn.bulkDocs as { _handlers?: unknown[] })._handlers;
  if (!handlers || handlers.length !== 1) throw new Error('pouchdb-validation: its bulkDocs handler was not found');
  return handlers[0];
}

const ORIGINAL = originalHandler();

async function validationFunctions(db: ValidatedDb): Promise<ValidationFunction[]> {
  const res = await db.allDocs({ startkey: '_design/', endkey: '_design0', include_docs: true });
  const out: ValidationFunction[] = [];
  for (const row of res.rows) {
    const designDoc = row.doc!;
    const code = designDoc.validate_doc_update;
    if (code === undefined) continue;
    // a function that does not compile throws here: every document of the request is refused with it, as before
    out.push({ designDoc, func: coucheval.evaluate(designDoc, {}, code as string) });
  }
  return out;
}

function judge(funcs: readonly ValidationFunction[], newDoc: Doc, oldDoc: Doc | null, options: ValidationOptions) {
  newDoc._revisions = (oldDoc ?? {})._revisions;
  try {
    for (const { func, designDoc } of funcs) func.call(designDoc, newDoc, oldDoc, options.userCtx, options.secObj);
  } catch (e) {
    const thrown = e as { unauthorized?: unknown; forbidden?: unknown } | null;
    if (thrown && typeof thrown.unauthorized !== 'undefined')
      throw new PouchPluginError({ name: 'unauthorized', message: thrown.unauthorized, status: 401 });
    if (thrown && typeof thrown.forbidden !== 'undefined')
      throw new PouchPluginError({ name: 'forbidden', message: thrown.forbidden, status: 403 });
    throw coucheval.wrapExecutionError(e);
  }
}

const batched: Handler = async (bulkDocs, args) => {
  const db = args.base;
  const options = args.options;
  const exempt = (doc: Doc) => String(doc._id).startsWith('_design/') || String(doc._id).startsWith('_local');
  for (const doc of args.docs) doc._id = doc._id || uuid();
  const http = db.type() === 'http' || db.type() === 'https';
  if ((http && !options.checkHttp) || args.docs.every(exempt)) return bulkDocs();

  const refused = new Map<Doc, Error>();
  let funcs: ValidationFunction[] = [];
  let listing: (Error & { name?: string; status?: number }) | null = null;
  try {
    funcs = await validationFunctions(db);
  } catch (e) {
    listing = e as Error;
  }
  if (listing) {
    // as when each document's own listing failed: each one refused with that error
    for (const doc of args.docs)
      if (!exempt(doc))
        refused.set(
          doc,
          new PouchPluginError({ name: listing.name, message: listing.message, status: listing.status ?? 500 }),
        );
  } else if (funcs.length > 0) {
    options.secObj ??= {};
    options.userCtx ??= couchdbObjects.buildUserContextObject(await db.info());
    await Promise.all(
      args.docs.map(async (doc) => {
        if (exempt(doc)) return;
        const old = await db.get(doc._id!, { revs: true }).catch(() => null);
        try {
          judge(funcs, doc, old, options);
        } catch (e) {
          refused.set(doc, e as Error);
        }
      }),
    );
  }
  if (refused.size === 0) return bulkDocs();
  const errors = [...refused].map(([doc, e]) => Object.assign(e, { id: doc._id }));
  args.docs = args.docs.filter((d) => !refused.has(d));
  // refusals first, then the engine's answers, as the original wrapper answered
  return errors.concat((await bulkDocs()) as never[]);
};

/** Swaps pouchdb-validation's handler in `db`'s bulkDocs chain for the batched one (once per database instance). */
export function batchValidation(db: unknown): void {
  const handlers = (db as ValidatedDb).bulkDocs?._handlers;
  if (!Array.isArray(handlers)) return;
  const at = handlers.indexOf(ORIGINAL);
  if (at >= 0) handlers[at] = batched;
}
