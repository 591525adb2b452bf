/** What every operation needs: the engine, where to audit, who acts, how to show progress. */
import type { AuditSink } from '../audit/audit-log.js';
import type { Actor } from '../auth/actor.js';
import type { Engine } from '../engine/engine.js';

/** Progress of a long operation; the CLI draws it with cli-progress on stderr. */
export interface ProgressSink {
  start(total: number, label: string): void;
  /** Moves forward by `n` and shows what is being worked on. */
  advance(n: number, label?: string): void;
  /** The total grew (e.g. a count from `info` was an estimate). */
  setTotal(total: number): void;
  stop(): void;
}

export const silentProgress: ProgressSink = {
  start() {},
  advance() {},
  setTotal() {},
  stop() {},
};

export interface OpsContext {
  engine: Engine;
  audit: AuditSink;
  /** Who runs it (the CLI: systemActor('cli')). */
  actor: Actor;
  progress?: ProgressSink;
}
