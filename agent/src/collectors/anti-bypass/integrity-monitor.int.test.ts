import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startDisplay } from '../../../../test-support/xvfb.js';
import { xdotool } from '../../../../test-support/x11.js';
import { InputCollector } from '../input/input-collector.js';
import type { IntegrityFlag } from './integrity-flag.js';
import { IntegrityMonitor } from './integrity-monitor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHILD = fileURLToPath(new URL('./fixtures/monitor-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('IntegrityMonitor on real clocks and processes', () => {
  it('flags its own event loop being blocked', async () => {
    const flags: IntegrityFlag[] = [];
    const m = new IntegrityMonitor({ intervalMs: 100, heartbeatToleranceMs: 1000, onFlag: (f) => void flags.push(f) });
    m.start();
    await sleep(300);
    // nothing in this process runs for 2.5 s, as if it were stopped
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
    await sleep(300);
    await m.stop();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'process-suspended', issue: 'dropped-capture' });
    expect(flags[0]!.end! - flags[0]!.start!).toBeGreaterThanOrEqual(2400);
  });

  it('flags a real SIGSTOP of the process it runs in', async () => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (l) => lines.push(l));
    try {
      const deadline = Date.now() + 20_000;
      while (!lines.includes('ready') && Date.now() < deadline) await sleep(50);
      expect(lines, stderr).toContain('ready');
      await sleep(500);
      process.kill(child.pid!, 'SIGSTOP');
      await sleep(3000);
      process.kill(child.pid!, 'SIGCONT');
      while (lines.length < 2 && Date.now() < deadline + 5000) await sleep(50);
      const flags = lines.filter((l) => l !== 'ready').map((l) => JSON.parse(l) as IntegrityFlag);
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ kind: 'process-suspended' });
      expect(flags[0]!.detail).toMatch(/did not run for 3 s/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('flags an auto-clicker from real injected input (10 clicks a second)', async () => {
    const x = await startDisplay();
    const flags: IntegrityFlag[] = [];
    const m = new IntegrityMonitor({ onFlag: (f) => void flags.push(f), regularity: { minRunSeconds: 6 } });
    const input = new InputCollector({
      slotSeconds: 60,
      env: x.env,
      onSlot: () => undefined,
      onSecond: (s) => m.input(s),
      onGap: (g) => m.inputGap(g),
    });
    try {
      expect(await input.start()).toBe(true);
      m.start();
      await xdotool(x.env, 'click', '--repeat', '90', '--delay', '100', '1');
      await sleep(1500);
    } finally {
      await input.stop();
      await m.stop();
      await x.stop();
    }
    const synthetic = flags.filter((f) => f.kind === 'synthetic-input');
    expect(synthetic).toHaveLength(1);
    expect(synthetic[0]!.detail).toMatch(/clicks\/s .*auto-clicker/);
  }, 60_000);
});
