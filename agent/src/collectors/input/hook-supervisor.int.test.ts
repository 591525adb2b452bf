// The supervisor and collector with a stand-in child (no display needed):
// message checking, restart backoff, ready timeout, last-second flush on stop.
import { describe, it, expect, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ActivitySlotPayload } from '@sealtime/shared';
import type { CollectorError } from '../collector-types.js';
import { InputCollector, type InputGap, type InputSecond } from './input-collector.js';

const FAKE = fileURLToPath(new URL('./fixtures/fake-hook-child.mjs', import.meta.url));
const EXITER = fileURLToPath(new URL('./fixtures/exit-without-stop.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Gone, or a zombie left to an init that does not reap (as in some containers). */
function dead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

function make(mode: string, extra: Partial<ConstructorParameters<typeof InputCollector>[0]> = {}) {
  const out = {
    slots: [] as ActivitySlotPayload[],
    seconds: [] as InputSecond[],
    gaps: [] as InputGap[],
    errors: [] as CollectorError[],
  };
  const c = new InputCollector({
    slotSeconds: 60,
    emitEmptySlots: false,
    childScript: FAKE,
    env: { ...process.env, FAKE_HOOK_MODE: mode },
    onSlot: (s) => void out.slots.push(s),
    onSecond: (s) => void out.seconds.push(s),
    onGap: (g) => void out.gaps.push(g),
    onError: (e) => void out.errors.push(e),
    ...extra,
  });
  onTestFinished(() => c.stop());
  return { c, out };
}

describe('HookSupervisor with a stand-in child', () => {
  it('drops every message that is more than counts and keeps the valid one', async () => {
    const { c, out } = make('leaky');
    expect(await c.start()).toBe(true);
    await sleep(300);
    await c.stop();
    expect(out.errors.filter((e) => e.code === 'bad-child-message')).toHaveLength(4);
    // the valid tick and the one sent on stop
    expect(
      out.seconds.map(({ keyPresses, clicks, mouseMoves, scrolls }) => ({ keyPresses, clicks, mouseMoves, scrolls })),
    ).toEqual([
      { keyPresses: 2, clicks: 1, mouseMoves: 3, scrolls: 4 },
      { keyPresses: 0, clicks: 5, mouseMoves: 0, scrolls: 0 },
    ]);
    expect(JSON.stringify(out)).not.toMatch(/keycode|chars/);
  });

  it('counts the second the child flushes on stop into the last slot', async () => {
    const { c, out } = make('ok');
    await c.start();
    await c.stop();
    expect(out.slots).toHaveLength(1);
    expect(out.slots[0]).toMatchObject({ v: 1, slotSeconds: 60, activeSeconds: 1, clicks: 5, keyPresses: 0 });
    await c.stop(); // idempotent
    expect(out.slots).toHaveLength(1);
  });

  it('restarts a crashing child with growing delays and reports each gap', async () => {
    const { c, out } = make('crash', { backoff: { initialMs: 100, maxMs: 2000 } });
    await c.start();
    const deadline = Date.now() + 15_000;
    while (out.gaps.length < 4 && Date.now() < deadline) await sleep(50);
    await c.stop();
    expect(out.gaps.length).toBeGreaterThanOrEqual(4);
    const recovered = out.gaps.filter((g) => g.recovered);
    expect(recovered.slice(0, 4).map((g) => g.attempts)).toEqual([1, 2, 3, 4]);
    for (const g of recovered) expect(g.reason).toContain('exited with code 7');
    const lengths = recovered.map((g) => g.end - g.start);
    // backoff 100, 200, 400, 800 ms (+ child start-up): each gap longer than the one before
    expect(lengths[3]! - lengths[0]!).toBeGreaterThan(500);
    expect(c.restarts).toBeGreaterThanOrEqual(4);
  });

  it('kills a child that never becomes ready and reports the gap at stop', async () => {
    const { c, out } = make('hang', { readyTimeoutMs: 300, backoff: { initialMs: 50, maxMs: 50 } });
    const t0 = Date.now();
    expect(await c.start()).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await sleep(800);
    await c.stop();
    expect(out.errors[0]?.message).toContain('not ready within 300 ms');
    expect(c.restarts).toBeGreaterThanOrEqual(2);
    expect(out.gaps).toEqual([
      expect.objectContaining({ recovered: false, start: expect.any(Number), end: expect.any(Number) }),
    ]);
    expect(out.gaps[0]!.start).toBeGreaterThanOrEqual(t0);
  });

  it('does not leave a stuck hook behind when the agent exits without stopping it', async () => {
    // the stand-in agent exits with code 1, so execFile rejects with its output attached
    const result: { stdout?: string; code?: number } = await promisify(execFile)(
      process.execPath,
      ['--import', TSX, EXITER, FAKE],
      { timeout: 30_000 },
    ).then(
      (r) => ({ stdout: r.stdout, code: 0 }),
      (e: { stdout?: string; code?: number }) => e,
    );
    expect(result.code).toBe(1);
    const pid = Number(String(result.stdout).trim());
    expect(pid).toBeGreaterThan(0);
    await sleep(200);
    expect(dead(pid)).toBe(true);
  });
});
