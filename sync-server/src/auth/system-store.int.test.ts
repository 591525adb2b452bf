import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-errors.js';
import { ManualClock } from './clock.js';
import { SystemStore, type UserRecord } from './system-store.js';
import { systemDbSuite } from './test-support/system-db.js';

const user = (id: string, extra: Partial<UserRecord> = {}): UserRecord => ({
  id,
  role: 'member',
  teams: [],
  employeeId: null,
  passwordHash: 'argon2id$x',
  disabled: false,
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});

describe('SystemStore (real PouchDB server)', () => {
  const sys = systemDbSuite();

  it('creates, reads and refuses duplicates', async () => {
    const s = await SystemStore.open(sys.db);
    await s.createUser(user('u1'));
    expect(await s.getUser('u1')).toEqual(user('u1'));
    expect(await s.getUser('nobody')).toBeNull();
    await expect(s.createUser(user('u1'))).rejects.toMatchObject({ code: 'conflict', status: 409 });
    // Kinds do not leak into each other: a device lookup never returns a user.
    expect(await s.getDevice('u1')).toBeNull();
  });

  it('re-opening does not rewrite the unchanged view', async () => {
    const before = ((await sys.db.get('_design/sealtime-system')) as unknown as { _rev: string })._rev;
    await SystemStore.open(sys.db);
    await SystemStore.open(sys.db);
    expect(((await sys.db.get('_design/sealtime-system')) as unknown as { _rev: string })._rev).toBe(before);
  });

  it('applies concurrent updates from two processes without losing either (retry on conflict)', async () => {
    const a = await SystemStore.open(sys.db, { cacheTtlMs: 0 });
    const b = await SystemStore.open(sys.db, { cacheTtlMs: 0 });
    await a.createUser(user('u2'));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).updateUser('u2', (u) => ({ ...u, teams: [...u.teams, `t${i}`] })),
      ),
    );
    expect([...(await a.getUser('u2'))!.teams].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
  });

  it('lets a mutation refuse, and reports a missing document', async () => {
    const s = await SystemStore.open(sys.db);
    await s.createUser(user('u3'));
    await expect(
      s.updateUser('u3', () => {
        throw new AuthError('forbidden', 'no');
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(s.updateUser('missing', (u) => u)).rejects.toMatchObject({ code: 'not-found' });
  });

  it("caches for the TTL and sees other processes' changes after it", async () => {
    const clock = new ManualClock();
    const cached = await SystemStore.open(sys.db, { clock, cacheTtlMs: 1_000 });
    const other = await SystemStore.open(sys.db, { cacheTtlMs: 0 });
    await other.createUser(user('u4'));
    expect((await cached.getUser('u4'))!.disabled).toBe(false);
    await other.updateUser('u4', (u) => ({ ...u, disabled: true }));
    expect((await cached.getUser('u4'))!.disabled).toBe(false);
    clock.advance(1_001);
    expect((await cached.getUser('u4'))!.disabled).toBe(true);
    // What the cache hands out is frozen: changing it fails loudly and the cache keeps its value.
    const shared = (await cached.getUser('u4'))!;
    expect(() => {
      shared.role = 'super-admin';
    }).toThrow(TypeError);
    expect(() => shared.teams.push('t9')).toThrow(TypeError);
    expect((await cached.getUser('u4'))!.role).toBe('member');
  });

  it('lists users and finds sessions, devices and enrollments by owner', async () => {
    const s = await SystemStore.open(sys.db);
    await s.createSession({
      id: 'a'.repeat(64),
      userId: 'u1',
      createdAt: 1,
      lastSeenAt: 1,
      revokedAt: null,
      ip: null,
      userAgent: null,
    });
    await s.createSession({
      id: 'b'.repeat(64),
      userId: 'u1',
      createdAt: 1,
      lastSeenAt: 1,
      revokedAt: 5,
      ip: null,
      userAgent: null,
    });
    await s.createSession({
      id: 'c'.repeat(64),
      userId: 'u2',
      createdAt: 1,
      lastSeenAt: 1,
      revokedAt: null,
      ip: null,
      userAgent: null,
    });
    await s.createDevice({
      deviceId: 'dev-1',
      employeeId: 'e1',
      teamId: 't1',
      credentialHash: 'f'.repeat(64),
      revokedAt: null,
      enrolledAt: 1,
      name: null,
      platform: null,
    });
    await s.createDevice({
      deviceId: 'dev-2',
      employeeId: 'e1',
      teamId: 't2',
      credentialHash: 'f'.repeat(64),
      revokedAt: 3,
      enrolledAt: 1,
      name: null,
      platform: null,
    });
    expect((await s.sessionsOfUser('u1')).map((x) => x.id).sort()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect((await s.devicesOfEmployee('e1')).map((d) => d.deviceId).sort()).toEqual(['dev-1', 'dev-2']);
    expect(await s.teamsOfEmployee('e1')).toEqual(['t1']);
    expect((await s.listUsers()).map((u) => u.id)).toEqual(expect.arrayContaining(['u1', 'u2', 'u3', 'u4']));
  });

  it('turns an unreachable server into a typed store-unavailable error', async () => {
    const s = await SystemStore.open(sys.db, { cacheTtlMs: 0 });
    await sys.server.stop();
    try {
      await expect(s.getUser('u1')).rejects.toMatchObject({ code: 'store-unavailable', status: 503 });
      await expect(s.sessionsOfUser('u1')).rejects.toMatchObject({ code: 'store-unavailable' });
    } finally {
      await sys.server.start();
    }
    expect(await s.getUser('u1')).not.toBeNull();
  });
});
