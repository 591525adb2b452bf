import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { IpcChannel, MAX_PASSPHRASE, validators } from './channels.js';

const bad = (r: { ok: boolean }) => r.ok === false;

describe('IPC validators', () => {
  it('has one validator per channel and unique, prefixed names', () => {
    const names = Object.values(IpcChannel);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(validators).sort()).toEqual([...names].sort());
    for (const n of names) expect(n).toMatch(/^sealtime-agent:[a-z-]+$/);
  });

  it('argument-less channels refuse any argument', () => {
    for (const ch of [IpcChannel.Status, IpcChannel.ChooseKeyring, IpcChannel.ExportRecorded, IpcChannel.IdlePrompt]) {
      expect(validators[ch](undefined)).toEqual({ ok: true, value: null });
      expect(validators[ch](null)).toEqual({ ok: true, value: null });
      for (const x of [{}, 'x', 0, [], { path: '/etc/passwd' }]) expect(bad(validators[ch](x))).toBe(true);
    }
  });

  it('load-recorded takes exactly a non-empty, bounded passphrase, and never echoes it', () => {
    const v = validators[IpcChannel.LoadRecorded];
    expect(v({ passphrase: 'correct horse battery staple' })).toEqual({
      ok: true,
      value: { passphrase: 'correct horse battery staple' },
    });
    const secret = 'hunter2-hunter2-hunter2';
    for (const x of [
      undefined,
      null,
      secret,
      [secret],
      { passphrase: '' },
      { passphrase: 42 },
      { passphrase: 'a'.repeat(MAX_PASSPHRASE + 1) },
      { passphrase: secret, keyringPath: '/etc/shadow' },
      Object.assign(Object.create({ evil: 1 }) as object, { passphrase: secret }),
    ]) {
      const r = v(x);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('bad-request');
        expect(r.error.message).not.toContain(secret);
      }
    }
  });

  it('idle-answer takes a prompt id and keep|discard only', () => {
    const v = validators[IpcChannel.IdleAnswer];
    expect(v({ promptId: 'idle-3', choice: 'discard' })).toEqual({
      ok: true,
      value: { promptId: 'idle-3', choice: 'discard' },
    });
    for (const x of [
      { promptId: 'idle-3', choice: 'kept' },
      { promptId: 'idle-0', choice: 'keep' },
      { promptId: 'idle-3; rm -rf', choice: 'keep' },
      { promptId: 3, choice: 'keep' },
      { promptId: 'idle-3' },
      { promptId: 'idle-3', choice: 'keep', extra: true },
      ['idle-3', 'keep'],
    ]) {
      expect(bad(v(x))).toBe(true);
    }
  });

  it('track takes a project id and an optional task id, nothing else', () => {
    const v = validators[IpcChannel.Track];
    expect(v({ projectId: 'apollo' })).toEqual({ ok: true, value: { projectId: 'apollo' } });
    expect(v({ projectId: 'apollo', taskId: 'design' })).toEqual({
      ok: true,
      value: { projectId: 'apollo', taskId: 'design' },
    });
    for (const x of [
      undefined,
      null,
      {},
      { projectId: '' },
      { projectId: ' apollo' },
      { projectId: 'a'.repeat(201) },
      { projectId: 'apo\nllo' },
      { projectId: 'apollo', taskId: 7 },
      { projectId: 'apollo', taskId: '' },
      { projectId: 'apollo', path: '/etc/passwd' },
      ['apollo'],
    ])
      expect(bad(v(x)), JSON.stringify(x)).toBe(true);
    expect(validators[IpcChannel.Projects](undefined)).toEqual({ ok: true, value: null });
    expect(bad(validators[IpcChannel.Projects]({ search: 'x' }))).toBe(true);
  });

  it('the preload uses exactly these channel names (it cannot import them: sandboxed preload)', () => {
    const src = readFileSync(new URL('../electron/preload.ts', import.meta.url), 'utf8');
    for (const [key, name] of Object.entries(IpcChannel)) expect(src).toContain(`${key}: '${name}'`);
    expect(src.match(/'sealtime-agent:[a-z-]+'/g)?.length).toBe(Object.keys(IpcChannel).length);
    // and imports nothing at runtime but electron
    const imports = [...src.matchAll(/^import\s+(type\s+)?.*from\s+'([^']+)'/gm)].map((m) => ({
      type: Boolean(m[1]),
      from: m[2],
    }));
    expect(imports.filter((i) => !i.type).map((i) => i.from)).toEqual(['electron']);
  });
});
