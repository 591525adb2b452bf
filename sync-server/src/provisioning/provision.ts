/**
 * Creates and maintains the databases (DESIGN.md decision 4) through nano, the
 * same code on the embedded engine and on CouchDB. Every step is idempotent:
 * start-up re-runs provisionOrg, each enrollment re-runs provisionEmployee.
 *
 * st-provisioning remembers which employees have databases and their team;
 * it drives consolidation (the embedded engine re-creates its in-process
 * replications from it at start) and answers "which teams is this employee
 * in" for the gateway's manager rules.
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.js';
import {
  consolidationRoutes,
  HR_CLASSES,
  HR_KINDS,
  ORG_CLASSES,
  ORG_KINDS,
  TEAM_CLASSES,
  TEAM_KINDS,
  type EmployeeSpec,
} from './consolidation-routes.js';
import type { Consolidator } from './consolidator.js';
import { dbNames, isValidEntityId } from './db-names.js';
import {
  ADMIN_ONLY_SECURITY,
  consolidatedDesign,
  employeeBlobsDesign,
  employeeRecordsDesign,
  inboxDesign,
  type DesignDoc,
} from './design-docs.js';
import { dropDb, ensureDb, ensureDesign, ensureSecurity, statusOf } from './engine-ops.js';

export type { EmployeeSpec } from './consolidation-routes.js';

interface RegistryDoc {
  _id: string;
  _rev?: string;
  teamId: string | null;
  updatedAt: number;
}

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
}

export class Provisioner {
  private readonly teams = new Map<string, string | null>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Per database name: employees of one team provisioned at once share its team database. */
  private readonly dbInFlight = new Map<string, Promise<void>>();
  private registryReady: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly consolidator: Consolidator,
    private readonly logger?: Logger,
  ) {}

  /** One database's creation, _security and design, one call at a time per name (then idempotent). */
  private async database(name: string, design: DesignDoc | null): Promise<void> {
    const previous = this.dbInFlight.get(name) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.ensureDatabase(name, design));
    this.dbInFlight.set(name, run);
    try {
      await run;
    } finally {
      if (this.dbInFlight.get(name) === run) this.dbInFlight.delete(name);
    }
  }

  private async ensureDatabase(name: string, design: DesignDoc | null): Promise<void> {
    const created = await ensureDb(this.engine.nano, name);
    await ensureSecurity(this.engine.nano, name, ADMIN_ONLY_SECURITY);
    if (design) await ensureDesign(this.engine.nano, name, design);
    if (created) this.logger?.info({ db: name }, 'database created');
  }

  /** The organisation-wide databases; run at every start. */
  async provisionOrg(): Promise<void> {
    await this.database(dbNames.orgRecords, consolidatedDesign(ORG_KINDS, ORG_CLASSES));
    await this.database(dbNames.hrAttendance, consolidatedDesign(HR_KINDS, HR_CLASSES));
    await this.database(dbNames.orgDirectory, null);
    await this.database(dbNames.system, null);
    await this.database(dbNames.audit, null);
    await this.database(dbNames.provisioning, null);
  }

  /**
   * An employee's own databases, their team's consolidated database and the
   * consolidation routes. Concurrent calls for one employee run one at a time.
   */
  async provisionEmployee(spec: EmployeeSpec): Promise<void> {
    if (!isValidEntityId(spec.employeeId))
      throw new ProvisioningError(`invalid employee id ${JSON.stringify(spec.employeeId)}`);
    if (spec.teamId !== null && !isValidEntityId(spec.teamId))
      throw new ProvisioningError(`invalid team id ${JSON.stringify(spec.teamId)}`);
    const previous = this.inFlight.get(spec.employeeId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.provisionOne(spec));
    this.inFlight.set(spec.employeeId, run);
    try {
      await run;
    } finally {
      if (this.inFlight.get(spec.employeeId) === run) this.inFlight.delete(spec.employeeId);
    }
  }

  private async provisionOne(spec: EmployeeSpec): Promise<void> {
    const e = spec.employeeId;
    await this.database(dbNames.employeeRecords(e), employeeRecordsDesign(e));
    await this.database(dbNames.employeeBlobs(e), employeeBlobsDesign(e));
    await this.database(dbNames.employeeInbox(e), inboxDesign());
    if (spec.teamId !== null)
      await this.database(dbNames.teamRecords(spec.teamId), consolidatedDesign(TEAM_KINDS, TEAM_CLASSES));
    await this.remember(spec);
    await this.consolidator.apply(e, consolidationRoutes(spec));
  }

  private async remember(spec: EmployeeSpec): Promise<void> {
    // the registry normally comes with provisionOrg; an employee provisioned first must not fail
    await (this.registryReady ??= this.database(dbNames.provisioning, null).catch((e: unknown) => {
      this.registryReady = null;
      throw e;
    }));
    const db = this.engine.nano.use<RegistryDoc>(dbNames.provisioning);
    for (let attempt = 0; ; attempt++) {
      const current = await db.get(spec.employeeId).catch((err: unknown) => {
        if (statusOf(err) === 404) return null;
        throw err;
      });
      if (current && current.teamId === spec.teamId) break;
      try {
        await db.insert({
          _id: spec.employeeId,
          ...(current ? { _rev: current._rev } : {}),
          teamId: spec.teamId,
          updatedAt: Date.now(),
        });
        break;
      } catch (err) {
        if (statusOf(err) !== 409 || attempt >= 2) throw err;
      }
    }
    this.teams.set(spec.employeeId, spec.teamId);
  }

  async employees(): Promise<EmployeeSpec[]> {
    const res = await this.engine.nano.use<RegistryDoc>(dbNames.provisioning).list({ include_docs: true });
    return res.rows
      .filter((r) => !r.id.startsWith('_') && r.doc)
      .map((r) => ({ employeeId: r.id, teamId: (r.doc as RegistryDoc).teamId ?? null }));
  }

  /** Restarts consolidation for every known employee (embedded engine start-up). */
  async resumeConsolidation(): Promise<number> {
    const all = await this.employees();
    for (const spec of all) {
      this.teams.set(spec.employeeId, spec.teamId);
      await this.consolidator.apply(spec.employeeId, consolidationRoutes(spec));
    }
    return all.length;
  }

  /** The teams an employee belongs to (for managers' on-demand blob reads). */
  async teamsOf(employeeId: string): Promise<string[]> {
    if (!this.teams.has(employeeId)) {
      const doc = await this.engine.nano
        .use<RegistryDoc>(dbNames.provisioning)
        .get(employeeId)
        .catch((err: unknown) => {
          if (statusOf(err) === 404) return null;
          throw err;
        });
      if (!doc) return [];
      this.teams.set(employeeId, doc.teamId ?? null);
    }
    const team = this.teams.get(employeeId);
    return team ? [team] : [];
  }

  /**
   * Stops consolidation and deletes an employee's own databases and registry
   * entry. Their records already copied into consolidated databases stay there
   * (purge handles those); crypto-shredding is the erase command's job.
   */
  async removeEmployee(employeeId: string): Promise<void> {
    if (!isValidEntityId(employeeId)) throw new ProvisioningError(`invalid employee id ${JSON.stringify(employeeId)}`);
    await this.consolidator.remove(employeeId);
    for (const name of [
      dbNames.employeeRecords(employeeId),
      dbNames.employeeBlobs(employeeId),
      dbNames.employeeInbox(employeeId),
    ]) {
      await dropDb(this.engine.nano, name);
    }
    const db = this.engine.nano.use<RegistryDoc>(dbNames.provisioning);
    const doc = await db.get(employeeId).catch(() => null);
    if (doc) await db.destroy(employeeId, doc._rev!).catch(() => undefined);
    this.teams.delete(employeeId);
  }
}
