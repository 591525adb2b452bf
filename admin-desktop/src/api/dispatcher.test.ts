// The dispatcher trusts nothing from a renderer: malformed messages, unknown
// names and bad params get typed answers, valid ones reach the core, and a
// closed connection ends its subscriptions. The core here is a recording
// port: the real core is exercised by core/admin-core.int.test.ts.
import { describe, expect, it } from 'vitest';
import type { ApiError, ServerMessage } from './admin-api.js';
import { checkSubscriptionParams, checkValue, isSessionState } from './api-guards.js';
import { createDispatcher, type AdminCorePort } from './dispatcher.js';

function setup() {
  const calls: Array<[string, unknown]> = [];
  const live = new Map<string, (v: unknown) => void>();
  const core: AdminCorePort = {
    request: async (name, params) => {
      calls.push([name, params]);
      if (name === 'unlock') throw Object.assign(new Error('nope'), { code: 'wrong-passphrase' });
      return (name === 'people' ? [] : { state: 'signed-out' }) as never;
    },
    subscribe: (name, params, push) => {
      calls.push([`sub:${name}`, params]);
      live.set(name, push as (v: unknown) => void);
      return () => live.delete(name);
    },
    toApiError: (err): ApiError => ({
      code: (err as { code?: ApiError['code'] }).code ?? 'internal',
      message: 'mapped',
    }),
  };
  const sent: ServerMessage[] = [];
  const d = createDispatcher(core, (m) => sent.push(m));
  return { d, sent, calls, live };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('admin API dispatcher', () => {
  it.each([
    ['not an object', 'x', -1, /numeric id/],
    ['no id', { t: 'req', name: 'people' }, -1, /numeric id/],
    ['unknown type', { t: 'boom', id: 1 }, 1, /unknown message type/],
    ['unknown request', { t: 'req', id: 2, name: 'deleteEverything', params: {} }, 2, /unknown request/],
    ['extra field', { t: 'req', id: 3, name: 'people', params: { all: true } }, 3, /unknown field all/],
    ['missing field', { t: 'req', id: 4, name: 'unlock', params: {} }, 4, /passphrase is required/],
    [
      'bad server url',
      { t: 'req', id: 5, name: 'signIn', params: { serverUrl: 'file:///etc/passwd', user: 'a', password: 'b' } },
      5,
      /serverUrl is not valid/,
    ],
    [
      'bad decision',
      { t: 'req', id: 6, name: 'decideCorrection', params: { requestId: 'r', employeeId: 'ada', decision: 'maybe' } },
      6,
      /decision is not valid/,
    ],
  ])('refuses %s with invalid-input, calling nothing', async (_what, msg, id, message) => {
    const { d, sent, calls } = setup();
    d.receive(msg);
    await tick();
    expect(calls).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ t: 'res', id, ok: false, error: { code: 'invalid-input' } });
    expect((sent[0] as { error: ApiError }).error.message).toMatch(message);
  });

  it('routes a valid request and maps a thrown error to its code', async () => {
    const { d, sent, calls } = setup();
    d.receive({ t: 'req', id: 7, name: 'people', params: {} });
    d.receive({ t: 'req', id: 8, name: 'unlock', params: { passphrase: 'wrong' } });
    await tick();
    expect(calls).toEqual([
      ['people', {}],
      ['unlock', { passphrase: 'wrong' }],
    ]);
    expect(sent).toEqual([
      { t: 'res', id: 7, ok: true, result: [] },
      { t: 'res', id: 8, ok: false, error: { code: 'wrong-passphrase', message: 'mapped' } },
    ]);
  });

  it('pushes subscription values until unsubscribed or closed', () => {
    const { d, sent, live } = setup();
    d.receive({ t: 'sub', id: 9, name: 'dashboard', params: { date: '2026-13-01' } });
    expect(sent.pop()).toMatchObject({ t: 'err', id: 9, error: { code: 'invalid-input' } });
    d.receive({ t: 'sub', id: 10, name: 'dashboard', params: { date: '2026-12-01' } });
    live.get('dashboard')!({ date: '2026-12-01', rows: [] });
    expect(sent.pop()).toEqual({ t: 'val', id: 10, value: { date: '2026-12-01', rows: [] } });
    d.receive({ t: 'sub', id: 10, name: 'session', params: {} });
    expect(sent.pop()).toMatchObject({ t: 'err', id: 10, error: { message: /in use/ } });
    d.receive({ t: 'unsub', id: 10 });
    expect(live.has('dashboard')).toBe(false);
    d.receive({ t: 'sub', id: 11, name: 'sync', params: {} });
    d.close();
    expect(live.has('sync')).toBe(false);
    live.set('x', () => undefined);
    d.receive({ t: 'req', id: 12, name: 'people', params: {} });
    expect(sent).toEqual([]); // nothing goes out after close
  });

  it('checks ranges, scopes and session states', () => {
    expect(
      checkSubscriptionParams('attendance', { scope: { employeeId: 'ada' }, from: '2026-12-02', to: '2026-12-01' }),
    ).toMatchObject({ ok: false, error: { message: /from is after to/ } });
    expect(
      checkSubscriptionParams('attendance', {
        scope: { employeeId: 'ada', teamId: 'blue' },
        from: '2026-12-01',
        to: '2026-12-01',
      }).ok,
    ).toBe(false);
    expect(checkSubscriptionParams('report', { from: '2026-12-01', to: '2026-12-31' }).ok).toBe(true);
    expect(
      isSessionState({ state: 'unlocked', server: 'http://x', user: 'u', role: 'admin', teams: [], orgId: 'acme' }),
    ).toBe(true);
    expect(isSessionState({ state: 'unlocked', server: 'http://x', user: 'u', role: 'admin' })).toBe(false);
    expect(
      checkValue('sync', {
        databases: [{ db: 'st-org-records', pulled: 'many', online: true }],
        cannotOpen: 0,
        outbox: 0,
      }).ok,
    ).toBe(false);
  });
});
