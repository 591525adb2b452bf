/**
 * What one request may ask of the gateway: body sizes, documents per
 * request, how long a longpoll is held. Defaults here; the server's options
 * may override each.
 */
import { LOCAL_DOC_BYTES } from './local-docs.js';

export interface GatewayLimits {
  /** Request bodies in general (default 4 MiB). */
  bodyBytes: number;
  /** `_bulk_docs` into an employee's blobs database (default 32 MiB). */
  blobBodyBytes: number;
  /** Replication checkpoints (default 16 KiB, local-docs.ts). */
  localBodyBytes: number;
  /** Documents or keys in one request (default 10 000). */
  maxDocsPerRequest: number;
  /** Longest a longpoll is held, whatever the client asks (default 60 s). */
  maxLongpollMs: number;
  /** Shortest heartbeat interval honoured (default 1 s). */
  minHeartbeatMs: number;
  /** How long a database's change watcher outlives its last waiting longpoll (default 5 s). */
  watcherIdleMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  bodyBytes: 4 * 1024 * 1024,
  blobBodyBytes: 32 * 1024 * 1024,
  localBodyBytes: LOCAL_DOC_BYTES,
  maxDocsPerRequest: 10_000,
  maxLongpollMs: 60_000,
  minHeartbeatMs: 1000,
  watcherIdleMs: 5000,
};

/**
 * Up to this share of the cap is taken off a capped longpoll at random:
 * clients that all connected at once (a server restart) would otherwise all
 * time out, and poll again, in the same moment, forever. With a tenth, 500
 * agents that connected together still re-polled within ~6 s of each other
 * every minute, and each such wave cost pushes 1–2 ms of server CPU per
 * cycle and p99 over 100 ms (bench:server); with half, the herd spreads
 * over 30 s at once and further with each poll, for about a quarter more
 * re-polls overall.
 */
export const CAP_JITTER = 0.5;
