// The control socket under bad input: every malformed, unknown, oversized or
// failing request is answered with an error, the socket is 0600, and the
// server keeps serving afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../recorder/recorder.fixture.js';
import { controlRequest, ControlRemoteError, ControlUnavailable } from './control-client.js';
import { checkCorrectionArgs, checkManualArgs } from './control-handlers.js';
import { ControlError, startControlServer, type ControlHandlers } from './control-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function handlers(): ControlHandlers {
  const ok = async (args: Record<string, unknown>) => ({ echo: args });
  return {
    ping: async () => ({ pong: true }),
    status: ok,
    'clock-in': async () => {
      throw new ControlError('already-clocked-in', 'already clocked in');
    },
    'clock-out': async () => {
      throw new Error('disk on fire');
    },
    'break-start': ok,
    'break-end': ok,
    'request-correction': async (args) => checkCorrectionArgs(args),
    export: ok,
    track: ok,
    'stop-tracking': ok,
    projects: ok,
    'manual-add': async (args) => checkManualArgs(args),
    'manual-list': ok,
  };
}

async function server() {
  const t = tempDir('st-control-');
  cleanups.push(t.cleanup);
  const path = join(t.dir, 'control.sock');
  const s = await startControlServer({ path, handlers: handlers(), maxLineBytes: 4096 });
  cleanups.push(() => s.close());
  return { path, s };
}

/** Sends raw bytes, collects the response lines until the server closes or `lines` arrived. */
function raw(path: string, data: string, lines: number): Promise<Array<Record<string, any>>> {
  return new Promise((resolve, reject) => {
    const c = createConnection(path);
    let buf = '';
    const done = () => {
      c.destroy();
      resolve(
        buf
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, any>),
      );
    };
    c.on('connect', () => c.write(data));
    c.on('data', (d) => {
      buf += d.toString();
      if (buf.split('\n').filter(Boolean).length >= lines) done();
    });
    c.on('close', done);
    c.on('error', reject);
    setTimeout(done, 3000);
  });
}

describe('control socket', () => {
  it('is private to the user and answers requests in order', async () => {
    const { path } = await server();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await controlRequest(path, 'ping')).toEqual({ pong: true });
    const answers = await raw(path, '{"id":1,"cmd":"ping"}\n{"id":2,"cmd":"status","args":{"a":1}}\n', 2);
    expect(answers).toEqual([
      { id: 1, ok: true, result: { pong: true } },
      { id: 2, ok: true, result: { echo: { a: 1 } } },
    ]);
  });

  it('answers every kind of bad input with an error and keeps serving', async () => {
    const { path } = await server();
    const answers = await raw(
      path,
      [
        'not json',
        '[]',
        '42',
        '{"cmd":7}',
        '{"id":"x","cmd":"rm -rf"}',
        '{"id":3,"cmd":"status","args":[1]}',
        '{"id":4,"cmd":"__proto__"}',
        '{"id":5,"cmd":"clock-in"}',
        '{"id":6,"cmd":"clock-out"}',
        '\u0000\u0001',
        '',
      ].join('\n') + '\n',
      10,
    );
    expect(answers.map((a) => [a.id, a.ok, a.error?.code])).toEqual([
      [null, false, 'bad-request'],
      [null, false, 'bad-request'],
      [null, false, 'bad-request'],
      [null, false, 'bad-request'],
      ['x', false, 'unknown-command'],
      [3, false, 'bad-request'],
      [4, false, 'unknown-command'],
      [5, false, 'already-clocked-in'],
      [6, false, 'failed'],
      [null, false, 'bad-request'],
    ]);
    await expect(controlRequest(path, 'clock-in')).rejects.toMatchObject({
      name: 'ControlRemoteError',
      code: 'already-clocked-in',
    });
    expect(await controlRequest(path, 'ping')).toEqual({ pong: true });
  });

  it('refuses an oversized line, with or without a newline, and closes only that connection', async () => {
    const { path } = await server();
    const long = await raw(path, `{"id":1,"cmd":"status","args":{"x":"${'a'.repeat(10_000)}"}}\n`, 1);
    expect(long).toMatchObject([{ ok: false, error: { code: 'too-large' } }]);
    const endless = await raw(path, 'b'.repeat(20_000), 1);
    expect(endless).toMatchObject([{ ok: false, error: { code: 'too-large' } }]);
    expect(await controlRequest(path, 'ping')).toEqual({ pong: true });
  });

  it('checks correction arguments', async () => {
    const { path } = await server();
    const bad = async (args: Record<string, unknown>) => {
      const err = await controlRequest(path, 'request-correction', args).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ControlRemoteError);
      return (err as ControlRemoteError).message;
    };
    const base = { date: '2026-03-02', change: 'add', type: 'clock-in', at: '2026-03-02T08:00:00Z', reason: 'forgot' };
    expect(await bad({ ...base, date: '2026-02-30' })).toMatch(/calendar date/);
    expect(await bad({ ...base, change: 'delete' })).toMatch(/change/);
    expect(await bad({ ...base, type: 'lunch' })).toMatch(/type/);
    expect(await bad({ ...base, at: 'yesterday' })).toMatch(/ISO/);
    expect(await bad({ ...base, at: undefined })).toMatch(/--at/);
    expect(await bad({ ...base, change: 'remove', at: undefined })).toMatch(/--target/);
    expect(await bad({ ...base, reason: '  ' })).toMatch(/reason/);
    expect(await bad({ ...base, reason: 'x'.repeat(1001) })).toMatch(/1000/);
    expect(await controlRequest(path, 'request-correction', base)).toMatchObject({
      date: '2026-03-02',
      change: 'add',
      eventType: 'clock-in',
      at: Date.parse('2026-03-02T08:00:00Z'),
    });
  });

  it('reports no agent when nothing listens, and refuses to start over a live socket', async () => {
    const t = tempDir('st-control-');
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'control.sock');
    await expect(controlRequest(path, 'ping')).rejects.toBeInstanceOf(ControlUnavailable);
    const first = await startControlServer({ path, handlers: handlers() });
    cleanups.push(() => first.close());
    await expect(startControlServer({ path, handlers: handlers() })).rejects.toMatchObject({ code: 'in-use' });
    await expect(
      startControlServer({ path: join(t.dir, 'x'.repeat(120), 'control.sock'), handlers: handlers() }),
    ).rejects.toMatchObject({ code: 'path-too-long' });
    expect(await controlRequest(path, 'ping')).toEqual({ pong: true });
  });
});
