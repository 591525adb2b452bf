import { describe, expect, it } from 'vitest';
import type { AuditEntryWire } from '../admin/node/server-client.js';
import { auditMatches, scanAudit, toAuditRow } from './audit-query.js';

const entry = (at: number, n: number, action: string, actor = 'user:root', target = 'user:bob'): AuditEntryWire => ({
  _id: `${String(at).padStart(15, '0')}-${String(n).padStart(6, '0')}-abcdef`,
  at,
  actor,
  action,
  target,
  diff: [],
  ip: '127.0.0.1',
  userAgent: null,
});

/** The server's read: ids from `since` (inclusive), oldest first, at most `limit`. */
const reader = (log: AuditEntryWire[]) => {
  let reads = 0;
  return {
    reads: () => reads,
    readPage: async (since: number, limit: number) => {
      reads++;
      return log.filter((e) => e.at >= since).slice(0, limit);
    },
  };
};

describe('auditMatches', () => {
  const e = entry(5000, 1, 'inbox.write', 'user:root', 'db:st-emp-ada-inbox/policy:team:blue');
  it.each([
    [{}, true],
    [{ actor: 'user:root' }, true],
    [{ actor: 'user:roo' }, false],
    [{ action: 'inbox' }, true],
    [{ action: 'inbox.write' }, true],
    [{ action: 'inbox.wr' }, false],
    [{ target: 'POLICY:team' }, true],
    [{ target: 'policy:org' }, false],
    [{ fromMs: 5000, toMs: 5000 }, true],
    [{ fromMs: 5001 }, false],
    [{ toMs: 4999 }, false],
  ])('%j → %s', (f, want) => expect(auditMatches(e, f)).toBe(want));
});

describe('scanAudit', () => {
  it('pages through entries that share a millisecond across page edges, none repeated or lost', async () => {
    // 7 entries, 5 of them in one millisecond; pages of 3 from the server, 2 matches per screen page
    const log = [
      entry(100, 0, 'login.success'),
      ...[1, 2, 3, 4, 5].map((n) => entry(200, n, n % 2 ? 'inbox.write' : 'login.success')),
      entry(300, 6, 'inbox.write'),
    ];
    const r = reader(log);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await scanAudit({
        filter: { action: 'inbox' },
        limit: 2,
        pageSize: 3,
        maxPageSize: 6,
        readPage: r.readPage,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.entries.map((e) => e._id));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual([log[1]!._id, log[3]!._id, log[5]!._id, log[6]!._id]);
  });

  it('stops at the end of the range and after maxScan entries, saying where to go on', async () => {
    const log = Array.from({ length: 50 }, (_, i) => entry(1000 + i, i, 'login.success'));
    const ranged = await scanAudit({
      filter: { fromMs: 1010, toMs: 1019 },
      limit: 100,
      pageSize: 7,
      readPage: reader(log).readPage,
    });
    expect(ranged.entries.map((e) => e.at)).toEqual(Array.from({ length: 10 }, (_, i) => 1010 + i));
    expect(ranged.next).toBeNull();
    const capped = await scanAudit({
      filter: { action: 'logout' },
      limit: 10,
      pageSize: 7,
      maxScan: 20,
      readPage: reader(log).readPage,
    });
    expect(capped).toEqual({ entries: [], next: log[19]!._id, scanned: 20 });
  });

  it('steps past a full page of one millisecond instead of reading it forever', async () => {
    const log = [...Array.from({ length: 5 }, (_, i) => entry(500, i, 'login.failure')), entry(501, 9, 'logout')];
    const r = reader(log);
    const page = await scanAudit({
      filter: { action: 'logout' },
      limit: 5,
      pageSize: 5,
      maxPageSize: 5,
      readPage: r.readPage,
    });
    expect(page.entries.map((e) => e.action)).toEqual(['logout']);
    expect(r.reads()).toBeLessThan(5);
  });
});

describe('toAuditRow', () => {
  it('writes diff values and details as short text', () => {
    const row = toAuditRow({
      ...entry(1, 1, 'user.update'),
      diff: [
        { path: 'role', from: 'hr', to: 'admin' },
        { path: 'teams', to: ['blue'] },
      ],
      details: { role: 'admin', rev: 2 },
    });
    expect(row.diff).toEqual([
      { path: 'role', from: '"hr"', to: '"admin"' },
      { path: 'teams', to: '["blue"]' },
    ]);
    expect(row.details).toEqual({ role: 'admin', rev: '2' });
  });
});
