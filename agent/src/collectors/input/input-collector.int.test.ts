import { describe, it, expect, beforeAll, afterAll, onTestFinished } from 'vitest';
import { readFileSync } from 'node:fs';
import { validatePayload, type ActivitySlotPayload } from '@sealtime/shared';
import { startDisplay, type TestDisplay } from '../../../../test-support/xvfb.js';
import { openXterm, xdotool, type TestWindow } from '../../../../test-support/x11.js';
import { InputCollector, type HookSource, type InputGap, type InputSecond } from './input-collector.js';
import type { CollectorError } from '../collector-types.js';

// 25 key presses without shift (a capital would add a Shift press and release)
const TYPED = 'qzjxkvbwpmfyuo0123456789g';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(get: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Captured {
  slots: ActivitySlotPayload[];
  seconds: InputSecond[];
  gaps: InputGap[];
  errors: CollectorError[];
}

function collector(env: NodeJS.ProcessEnv, extra: Partial<ConstructorParameters<typeof InputCollector>[0]> = {}) {
  const out: Captured = { slots: [], seconds: [], gaps: [], errors: [] };
  const c = new InputCollector({
    slotSeconds: 60,
    emitEmptySlots: false,
    env,
    onSlot: (s) => void out.slots.push(s),
    onSecond: (s) => void out.seconds.push(s),
    onGap: (g) => void out.gaps.push(g),
    onError: (e) => void out.errors.push(e),
    backoff: { initialMs: 200 },
    ...extra,
  });
  return { c, out };
}

type Counts = Pick<InputSecond, 'keyPresses' | 'clicks' | 'mouseMoves' | 'scrolls'>;
const total = (items: readonly Counts[]): Counts =>
  items.reduce<Counts>(
    (a, s) => ({
      keyPresses: a.keyPresses + s.keyPresses,
      clicks: a.clicks + s.clicks,
      mouseMoves: a.mouseMoves + s.mouseMoves,
      scrolls: a.scrolls + s.scrolls,
    }),
    { keyPresses: 0, clicks: 0, mouseMoves: 0, scrolls: 0 },
  );

function procStats(pid: number): { rssKb: number; pssKb: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // PSS splits pages shared with the agent's own node (binary, libraries) between them
  const pssKb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
  // fields after the command name: utime is the 14th field, stime the 15th
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKb, pssKb, cpuTicks: Number(rest[11]) + Number(rest[12]) };
}

describe('InputCollector under Xvfb', () => {
  let x: TestDisplay;
  let term: TestWindow;

  beforeAll(async () => {
    x = await startDisplay();
    term = await openXterm(x.env, { title: 'input-target', geometry: '100x30+0+0' });
    await term.activate();
  });
  afterAll(async () => {
    await term?.close();
    await x?.stop();
  });

  it('runs the RECORD hook by default on X11, in this process (no child)', () => {
    const { c } = collector(x.env);
    expect(c.source).toBe('xrecord');
    expect(collector({ ...x.env, DISPLAY: '' }).c.source).toBe('uiohook');
  });

  it('counts the same as the other source, both reading the same input at once (drags and wheel included)', async () => {
    const a = collector(x.env, { source: 'xrecord' });
    const b = collector(x.env, { source: 'uiohook' });
    onTestFinished(() => Promise.all([a.c.stop(), b.c.stop()]).then(() => undefined));
    expect(await a.c.start()).toBe(true);
    expect(await b.c.start()).toBe(true);
    await xdotool(x.env, 'type', '--delay', '30', 'abcdefgh');
    await xdotool(x.env, 'key', '--delay', '30', 'shift+a', 'ctrl+c', 'Return');
    await xdotool(x.env, 'click', '--repeat', '3', '--delay', '30', '1');
    await xdotool(x.env, 'click', '--repeat', '2', '--delay', '30', '3');
    await xdotool(x.env, 'click', '--repeat', '4', '--delay', '30', '4');
    await xdotool(x.env, 'click', '--repeat', '2', '--delay', '30', '6');
    // a drag: moves with a button held
    await xdotool(x.env, 'mousemove', '60', '60', 'mousedown', '1');
    await xdotool(x.env, 'mousemove', '90', '90', 'mousemove', '120', '120', 'mouseup', '1');
    for (const [px, py] of [
      [150, 150],
      [180, 170],
      [210, 190],
    ])
      await xdotool(x.env, 'mousemove', String(px), String(py));
    await sleep(1500);
    await Promise.all([a.c.stop(), b.c.stop()]);
    const got = total(a.out.seconds);
    expect(got).toEqual(total(b.out.seconds));
    expect(got.keyPresses).toBeGreaterThanOrEqual(13);
    expect(got.clicks).toBe(6);
    expect(got.scrolls).toBe(6);
    expect(got.mouseMoves).toBeGreaterThanOrEqual(4);
    expect([...a.out.errors, ...b.out.errors]).toEqual([]);
  });

  it.each<HookSource>(['xrecord', 'uiohook'])(
    '%s: counts injected keys, clicks, moves and scrolls exactly, and emits nothing but counts',
    async (source) => {
      const { c, out } = collector(x.env, { source });
      onTestFinished(() => c.stop());
      expect(await c.start()).toBe(true);
      await xdotool(x.env, 'mousemove', '50', '50');
      await sleep(1500); // the positioning move is not part of the measured input
      const before = total(out.seconds.splice(0));

      await xdotool(x.env, 'type', '--delay', '40', TYPED);
      await xdotool(x.env, 'click', '--repeat', '7', '--delay', '40', '1');
      await xdotool(x.env, 'click', '--repeat', '3', '--delay', '40', '5');
      for (const [px, py] of [
        [120, 80],
        [200, 90],
        [260, 140],
        [330, 200],
        [400, 260],
      ])
        await xdotool(x.env, 'mousemove', String(px), String(py));
      await sleep(1500);
      await c.stop();

      expect(total(out.seconds)).toEqual({ keyPresses: 25, clicks: 7, mouseMoves: 5, scrolls: 3 });
      // the slots hold the same input as the seconds plus the positioning move before
      const inSlots = total(out.slots);
      expect(inSlots).toEqual({
        keyPresses: 25 + before.keyPresses,
        clicks: 7 + before.clicks,
        mouseMoves: 5 + before.mouseMoves,
        scrolls: 3 + before.scrolls,
      });
      for (const s of out.slots) {
        expect(validatePayload('activity-slot', s)).toMatchObject({ ok: true });
        expect(s.start % 60_000).toBe(0);
        expect(s.activeSeconds).toBeGreaterThan(0);
        expect(s.activeSeconds).toBeLessThanOrEqual(60);
      }
      expect(out.errors).toEqual([]);
      expect(out.gaps).toEqual([]);

      // privacy: only the known count fields, only numbers, no key code or key name anywhere
      const allowed = new Set([
        'v',
        'start',
        'slotSeconds',
        'activeSeconds',
        'keyPresses',
        'clicks',
        'mouseMoves',
        'scrolls',
        'at',
      ]);
      for (const item of [...out.slots, ...out.seconds]) {
        for (const [k, v] of Object.entries(item)) {
          expect(allowed.has(k), k).toBe(true);
          expect(typeof v).toBe('number');
        }
      }
      const serialized = JSON.stringify(out);
      const valuesOnly = serialized.replace(/"[a-zA-Z]+":/g, '');
      // no string value anywhere, so no character, key name or keysym
      expect(valuesOnly).toMatch(/^[\d{}[\],.]*$/);
    },
  );

  it('restarts a killed RECORD hook, reports the gap, and counts input after it', async () => {
    const { c, out } = collector(x.env, { source: 'xrecord' });
    onTestFinished(() => c.stop());
    expect(await c.start()).toBe(true);
    const t0 = Date.now();
    c.killHook();
    const gap = await until(() => out.gaps[0], 10_000, 'gap');
    expect(gap.recovered).toBe(true);
    expect(gap.reason).toContain('killed');
    expect(gap.start).toBeGreaterThanOrEqual(t0);
    expect(gap.end - gap.start).toBeLessThan(5000);
    expect(c.restarts).toBe(1);
    expect(c.isCapturing).toBe(true);

    await xdotool(x.env, 'click', '--repeat', '4', '--delay', '40', '1');
    await sleep(1500);
    await c.stop();
    expect(total(out.slots).clicks).toBe(4);
    expect(out.errors.map((e) => e.code)).toEqual(['child-failed']);
  });

  it('restarts a killed hook child, reports the gap, and counts input after it', async () => {
    const { c, out } = collector(x.env, { source: 'uiohook' });
    onTestFinished(() => c.stop());
    expect(await c.start()).toBe(true);
    const first = c.childPid;
    expect(first).toBeTypeOf('number');
    const t0 = Date.now();
    process.kill(first as number, 'SIGKILL');
    const gap = await until(() => out.gaps[0], 10_000, 'gap');
    expect(gap.recovered).toBe(true);
    expect(gap.reason).toContain('SIGKILL');
    expect(gap.start).toBeGreaterThanOrEqual(t0);
    expect(gap.end).toBeGreaterThanOrEqual(gap.start);
    expect(gap.end - gap.start).toBeLessThan(5000);
    expect(c.childPid).not.toBe(first);
    expect(c.restarts).toBe(1);
    expect(c.isCapturing).toBe(true);

    await xdotool(x.env, 'click', '--repeat', '4', '--delay', '40', '1');
    await sleep(1500);
    await c.stop();
    expect(total(out.slots).clicks).toBe(4);
    expect(out.errors.map((e) => e.code)).toEqual(['child-failed']);
  });

  it.each<HookSource>(['xrecord', 'uiohook'])(
    '%s: reports an unrecovered gap when the hook cannot run (no display)',
    async (source) => {
      const env = { ...x.env, DISPLAY: ':4999' };
      // libuiohook either aborts or (sometimes) hangs after XOpenDisplay fails: the ready timeout covers both
      const { c, out } = collector(env, { source, backoff: { initialMs: 100, maxMs: 200 }, readyTimeoutMs: 2000 });
      onTestFinished(() => c.stop());
      const t0 = Date.now();
      expect(await c.start()).toBe(false);
      await until(() => (c.restarts >= 3 ? true : undefined), 15_000, 'restarts');
      await c.stop();
      expect(out.errors.length).toBeGreaterThanOrEqual(3);
      const why = source === 'uiohook' ? /SIGABRT|not ready/ : /hook-start-failed: connect ECONNREFUSED/;
      expect(out.errors.every((e) => e.code === 'child-failed' && why.test(e.message))).toBe(true);
      expect(out.gaps).toHaveLength(1);
      expect(out.gaps[0]).toMatchObject({ recovered: false });
      expect(out.gaps[0]?.start).toBeGreaterThanOrEqual(t0);
      expect(out.slots).toEqual([]);
      expect(c.childPid).toBeUndefined();
    },
  );

  it('keeps the hook child small and quiet (RSS and CPU measured)', async () => {
    const { c } = collector(x.env, { source: 'uiohook' });
    onTestFinished(() => c.stop());
    expect(await c.start()).toBe(true);
    const pid = c.childPid as number;
    await sleep(1000);
    const a = procStats(pid);
    await sleep(5000);
    const idle = procStats(pid);
    const t = Date.now();
    for (let i = 0; i < 20; i++)
      await xdotool(x.env, 'mousemove', String(100 + i * 10), String(100 + (i % 5) * 20), 'type', 'q');
    const busyMs = Date.now() - t;
    const busy = procStats(pid);
    await c.stop();
    const hz = 100; // USER_HZ on Linux
    const idleCpuPct = (((idle.cpuTicks - a.cpuTicks) / hz) * 1000 * 100) / 5000;
    const busyCpuPct = (((busy.cpuTicks - idle.cpuTicks) / hz) * 1000 * 100) / busyMs;
    console.log(
      `input hook child: RSS ${Math.round(busy.rssKb / 1024)} MB (PSS ${Math.round(busy.pssKb / 1024)} MB); CPU idle ${idleCpuPct.toFixed(2)} %, during input ${busyCpuPct.toFixed(2)} % of one core`,
    );
    expect(busy.rssKb).toBeLessThan(100 * 1024);
    expect(idleCpuPct).toBeLessThan(2);
  });
});
