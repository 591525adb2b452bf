/**
 * Everything an auth integration test needs: a real PouchDB server with
 * st-system and st-audit, the audit log, the services, and a hand-moved clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AuditLog, type AuditEntry } from '../../audit/audit-log.js';
import { dbNames } from '../../provisioning/db-names.js';
import { personActor, systemActor, type Actor } from '../actor.js';
import { openAuthServices, type AuthServices, type AuthServicesOptions } from '../auth-services.js';
import { ManualClock } from '../clock.js';
import type { PersonPrincipal, Role } from '../principal.js';
import { startPouchServer, type PouchServer } from './pouch-server.js';

export interface AuthFixture extends AuthServices {
  server: PouchServer;
  clock: ManualClock;
  audit: AuditLog;
  operator: Actor;
  /** Every audit entry so far, oldest first (flushes the queue first). */
  auditEntries(): Promise<AuditEntry[]>;
  /** Creates an account through the operator and logs it in, returning a person actor for it. */
  personWith(
    id: string,
    role: Role,
    extra?: { teams?: string[]; employeeId?: string | null },
  ): Promise<{ actor: Actor; token: string; principal: PersonPrincipal }>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery staple';

export async function startAuthFixture(
  opts: Partial<Pick<AuthServicesOptions, 'sessionLimits' | 'cacheTtlMs'>> = {},
): Promise<AuthFixture> {
  const server = await startPouchServer();
  const spillDir = await mkdtemp(join(tmpdir(), 'sealtime-audit-spill-'));
  await server.ensureDb(dbNames.system);
  await server.ensureDb(dbNames.audit);
  const clock = new ManualClock();
  const logger = pino({ level: 'silent' });
  const audit = await AuditLog.open(server.nano.use(dbNames.audit), {
    spillPath: join(spillDir, 'audit.jsonl'),
    logger,
    clock,
  });
  const services = await openAuthServices({ systemDb: server.nano.use(dbNames.system), audit, clock, logger, ...opts });
  const operator = systemActor('test');

  return {
    ...services,
    server,
    clock,
    audit,
    operator,
    async auditEntries() {
      await audit.flush();
      const res = await server.nano.use<AuditEntry>(dbNames.audit).list({ include_docs: true });
      return res.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => r.doc as unknown as AuditEntry);
    },
    async personWith(id, role, extra = {}) {
      await services.users.createUser(operator, {
        id,
        role,
        password: PASSWORD,
        teams: extra.teams ?? [],
        employeeId: extra.employeeId ?? null,
      });
      const { token, sessionId } = await services.sessions.login(id, PASSWORD, '127.0.0.1', 'vitest');
      const principal: PersonPrincipal = {
        type: 'person',
        userId: id,
        role,
        teams: extra.teams ?? [],
        employeeId: extra.employeeId ?? null,
        sessionId,
      };
      return { actor: personActor(principal, '127.0.0.1', 'vitest'), token, principal };
    },
    async close() {
      services.close();
      await audit.close(500);
      await server.close();
      await rm(spillDir, { recursive: true, force: true });
    },
  };
}
