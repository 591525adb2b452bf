/**
 * Three small overrides of express-pouchdb 4.2 internals, for the embedded
 * engine only (the package is unmaintained; each fix is checked by
 * embedded-engine.int.test.ts).
 *
 * 1. Database lookup. Every `/:db/...` request goes through
 *    `utils.setDBOnReq`, which calls `PouchDB.allDbs()` and searches the list:
 *    with ~1500 databases that is a copy, a decode and a scan of every name
 *    on every request (about 18 % of the server's CPU under the bench). Here
 *    the names are kept in a Set, rebuilt from the same `allDbs()` whenever a
 *    database this Set does not know is opened, or any is destroyed (the
 *    class events pouchdb-all-dbs itself listens to, so the Set is never
 *    behind the list it replaces). The rest of setDBOnReq is unchanged.
 *
 * 2. Longpoll heartbeat leak. The `_changes` route starts a heartbeat
 *    interval per longpoll and clears it on the feed's `complete`; when the
 *    client goes away it cancels the feed, but pouchdb-security's feed
 *    wrapper drops every listener on cancel, so `complete` never arrives and
 *    the interval writes to a dead response forever (one leaked timer per
 *    abandoned longpoll, which also kept a closed server's process alive).
 *    Here a cancel first delivers `complete` to those listeners.
 *
 * 3. One instance left behind per created database. `PUT /:db` creates the
 *    database through an instance of its own (`PouchDB.new`) and drops it
 *    without closing it; PouchDB keeps every unclosed instance in a class
 *    registry (to tell it of a destroy), so each database kept a whole
 *    instance nobody used: ~1500 at 500 employees, 17 MB of an 103 MB heap
 *    that every major collection has to mark. Closing it is no option
 *    (instances of one name share the store); here it leaves the registry
 *    once open, and the route's last reference goes with the request.
 *
 * (A fourth, in its own file: `_bulk_docs` validation once per request,
 * not per document; batched-validation.ts.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { batchValidation } from './batched-validation.js';
import type { PouchConstructor } from './pouch-modules.js';

const require = createRequire(import.meta.url);

type Next = () => void;
type SetDbOnReq = (dbName: string, dbWrapper: DbWrapper, req: PouchRequest, res: ServerResponse, next: Next) => void;

interface PouchRequest extends IncomingMessage {
  PouchDB: PouchConstructor;
  db?: unknown;
}

interface DbWrapper {
  wrap(name: string, db: unknown): Promise<unknown>;
  registerWrapper(w: (name: string, db: WrappableDb, next: Next) => unknown): void;
}

interface Feed {
  cancel?: (...args: unknown[]) => unknown;
  emit?: (event: string, value: unknown) => boolean;
}

interface WrappableDb {
  changes: (...args: unknown[]) => Feed;
}

interface ExpressPouchUtils {
  setDBOnReq: SetDbOnReq;
  sendJSON(res: ServerResponse, status: number, body: unknown): void;
  sendError(res: ServerResponse, err: unknown): void;
}

interface EventfulClass {
  on(event: 'created' | 'destroyed', cb: (name: string) => void): void;
  allDbs(): Promise<string[]>;
}

/** Database names of one engine's PouchDB class, served from memory. */
class DbNames {
  private names: Promise<Set<string>> | null = null;
  /** What `names` resolved to, once it has. */
  private known: Set<string> | null = null;

  constructor(private readonly PouchDB: EventfulClass) {
    // every open emits 'created'; a reopened database is listed already, only an unknown one makes the Set stale
    PouchDB.on('created', (name) => {
      if (!this.known?.has(name)) this.forget();
    });
    PouchDB.on('destroyed', () => this.forget());
  }

  private forget(): void {
    this.names = null;
    this.known = null;
  }

  has(name: string): Promise<boolean> {
    let current = this.names;
    if (!current) {
      const built: Promise<Set<string>> = this.PouchDB.allDbs().then((list) => {
        const set = new Set(list);
        if (this.names === built) this.known = set;
        return set;
      });
      built.catch(() => {
        if (this.names === built) this.forget();
      });
      this.names = current = built;
    }
    return current.then((s) => s.has(name));
  }
}

const lookups = new WeakMap<object, DbNames>();
let installed = false;

function installLookupOverride(): void {
  if (installed) return;
  installed = true;
  const utils = require('express-pouchdb/lib/utils.js') as ExpressPouchUtils;
  const cleanFilename = require('express-pouchdb/lib/clean-filename.js') as (n: string) => string;
  const { getOrCreateDB } = require('express-pouchdb/lib/create-or-delete-dbs.js') as {
    getOrCreateDB(P: PouchConstructor, name: string): Promise<unknown>;
  };
  const original = utils.setDBOnReq;
  utils.setDBOnReq = function setDBOnReq(dbName, dbWrapper, req, res, next) {
    const names = lookups.get(req.PouchDB);
    if (!names) return original.call(this, dbName, dbWrapper, req, res, next);
    // the original's mkdir workaround is for names with '/', which cleanFilename never leaves
    const name = cleanFilename(dbName);
    names.has(name).then(
      async (exists) => {
        if (!exists) return utils.sendJSON(res, 404, { error: 'not_found', reason: 'no_db_file' });
        const db = await getOrCreateDB(req.PouchDB, name);
        await dbWrapper.wrap(name, db);
        req.db = db;
        next();
      },
      (err: unknown) => utils.sendError(res, err),
    );
  };
}

interface RegisteredInstance {
  name: string;
  once(event: 'created', cb: () => void): void;
}

type MakeInstance = ((...args: unknown[]) => RegisteredInstance) & { unregisters?: true };

interface InstanceRegistry {
  new?: MakeInstance;
  _destructionListeners?: Map<string, RegisteredInstance[]>;
}

/**
 * Fix 3. express-pouchdb (re)builds `PouchDB.new` when its daemons start,
 * after the app is made, so this is called before each `PUT` and wraps the
 * current one unless that is already done.
 */
export function unregisterCreationInstances(PouchDB: PouchConstructor): void {
  const P = PouchDB as unknown as InstanceRegistry;
  const make = P.new;
  if (typeof make !== 'function' || make.unregisters) return;
  const wrapped: MakeInstance = function (this: unknown, ...args: unknown[]) {
    const db = make.apply(this, args);
    // 'created' follows the registration at once (pouchdb-core prepareForDestruction)
    db.once('created', () => {
      const list = P._destructionListeners?.get(db.name);
      const at = list ? list.indexOf(db) : -1;
      if (at < 0) return;
      list!.splice(at, 1);
      if (list!.length === 0) P._destructionListeners!.delete(db.name);
    });
    return db;
  };
  wrapped.unregisters = true;
  P.new = wrapped;
}

/** Applies the three fixes to one express-pouchdb app serving `PouchDB`. */
export function applyExpressPouchFixes(expressApp: object, PouchDB: PouchConstructor): void {
  const app = expressApp as { dbWrapper?: DbWrapper };
  installLookupOverride();
  lookups.set(PouchDB, new DbNames(PouchDB as unknown as EventfulClass));
  app.dbWrapper?.registerWrapper((_name, db, next) => {
    batchValidation(db); // after express-pouchdb's validation wrapper installed its handlers (batched-validation.ts)
    const changes = db.changes;
    db.changes = function (this: unknown, ...args: unknown[]): Feed {
      const feed = changes.apply(this, args);
      const cancel = feed.cancel;
      if (typeof cancel === 'function' && typeof feed.emit === 'function') {
        feed.cancel = (...a: unknown[]) => {
          feed.emit!('complete', { status: 'cancelled', results: [] });
          return cancel.apply(feed, a);
        };
      }
      return feed;
    };
    return next();
  });
}
