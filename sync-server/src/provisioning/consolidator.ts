/**
 * Consolidation copies each employee's records into the reviewers' databases
 * (routes from consolidation-routes.ts). CouchDB does it with `_replicator`
 * documents; the embedded engine with in-process PouchDB live replications
 * managed by the server. Both sit behind this interface.
 */
import type { ConsolidationRoute } from './consolidation-routes.js';

export type RouteState = 'running' | 'idle' | 'retrying' | 'error' | 'pending' | 'unknown';

export interface RouteStatus {
  id: string;
  source: string;
  target: string;
  state: RouteState;
  docsWritten: number;
  /** Changes not yet copied, when the engine reports it. */
  pending: number | null;
  lastError: string | null;
}

export interface Consolidator {
  readonly kind: 'embedded' | 'couchdb';
  /** Makes `employeeId`'s running routes exactly `routes` (adds, replaces, stops). */
  apply(employeeId: string, routes: readonly ConsolidationRoute[]): Promise<void>;
  /** Stops every route of an employee (before their databases are removed). */
  remove(employeeId: string): Promise<void>;
  status(): Promise<RouteStatus[]>;
  close(): Promise<void>;
  /**
   * Runs `run` with consolidation paused and every database handle released
   * (the embedded engine's purge while the server runs opens LevelDB itself);
   * absent where the engine purges on its own (CouchDB's _purge).
   */
  exclusive?<T>(run: () => Promise<T>): Promise<T>;
}
