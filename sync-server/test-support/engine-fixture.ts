/**
 * An engine with provisioning and consolidation, without the gateway: the
 * embedded engine on disk in a temp dir, or the CouchDB in COUCHDB_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCouchDB } from '../src/engine/couchdb-engine.js';
import { startEmbeddedEngine } from '../src/engine/embedded-engine.js';
import type { Engine } from '../src/engine/engine.js';
import type { Consolidator } from '../src/provisioning/consolidator.js';
import { createConsolidator } from '../src/provisioning/create-consolidator.js';
import { dbNames } from '../src/provisioning/db-names.js';
import { Provisioner } from '../src/provisioning/provision.js';

export type EngineKind = 'embedded' | 'couchdb';

/** The engines integration suites run against: always embedded, CouchDB when COUCHDB_URL is set. */
export const ENGINE_KINDS: EngineKind[] = process.env.COUCHDB_URL ? ['embedded', 'couchdb'] : ['embedded'];

export interface EngineFixture {
  engine: Engine;
  consolidator: Consolidator;
  provisioner: Provisioner;
  /** Data directory of the embedded engine (null for CouchDB). */
  dir: string | null;
  /** A fresh employee id, removed with its databases on close (CouchDB is shared between runs). */
  employee(prefix?: string): string;
  /** A fresh team id, whose consolidated database is dropped on close. */
  team(prefix?: string): string;
  /** Stops engine and consolidation, keeping the data (for restart tests). */
  stop(): Promise<void>;
  /** Stops and removes the temp data directory. */
  close(): Promise<void>;
}

export async function openEngineFixture(kind: EngineKind, existingDir?: string): Promise<EngineFixture> {
  const dir = kind === 'embedded' ? (existingDir ?? (await mkdtemp(join(tmpdir(), 'sealtime-prov-')))) : null;
  const engine =
    kind === 'embedded'
      ? await startEmbeddedEngine({ dataDir: dir! })
      : await connectCouchDB({ url: process.env.COUCHDB_URL! });
  const consolidator = createConsolidator(engine);
  const provisioner = new Provisioner(engine, consolidator);
  const employees: string[] = [];
  const teams: string[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await consolidator.close();
    await engine.close();
  };
  return {
    engine,
    consolidator,
    provisioner,
    dir,
    stop,
    employee(prefix = 'emp') {
      const id = uniqueId(prefix);
      employees.push(id);
      return id;
    },
    team(prefix = 'team') {
      const id = uniqueId(prefix);
      teams.push(id);
      return id;
    },
    async close() {
      if (kind === 'couchdb' && !stopped) {
        for (const e of employees) await provisioner.removeEmployee(e).catch(() => undefined);
        for (const t of teams) await engine.nano.db.destroy(dbNames.teamRecords(t)).catch(() => undefined);
      }
      await stop();
      if (dir && !existingDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A unique id, so suites can share one CouchDB. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
