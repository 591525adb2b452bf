// Automatic breaks on a real store: idle while working starts a break and
// input back ends it; the employee's own breaks and the policy switch are
// respected.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type CapturePolicy } from '@sealtime/shared';
import { Recorder } from '../recorder/recorder.js';
import { directoryOf, makeKeys, tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore } from '../store/agent-store.js';
import { AttendanceBook } from './attendance-book.js';
import { AutoBreak } from './auto-break.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(autoBreakOnIdle: boolean) {
  const t = tempDir('st-autobreak-');
  cleanups.push(t.cleanup);
  const store = await openAgentStore(t.dir);
  cleanups.push(() => store.close());
  const keys = await makeKeys();
  const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
  cleanups.push(() => recorder.close());
  const book = await AttendanceBook.open(recorder, store);
  const policy: CapturePolicy = { ...DEFAULT_POLICY, attendance: { ...DEFAULT_POLICY.attendance, autoBreakOnIdle } };
  const warnings: string[] = [];
  const auto = new AutoBreak(book, () => policy, { warn: (_o, msg) => void warnings.push(msg) });
  return { book, auto, warnings };
}

describe('AutoBreak', () => {
  it('starts a break when idle opens while working and ends it when input is back', async () => {
    const { book, auto } = await setup(true);
    expect((await book.clockIn()).ok).toBe(true);
    await auto.idleStarted();
    expect(book.status().state).toBe('on-break');
    await auto.idleEnded();
    expect(book.status().state).toBe('working');
  });

  it('leaves a break the employee started alone, and does nothing while clocked out', async () => {
    const { book, auto, warnings } = await setup(true);
    await auto.idleStarted(); // clocked out: nothing to pause
    expect(book.status().state).toBe('off');
    await book.clockIn();
    await book.startBreak();
    await auto.idleStarted();
    await auto.idleEnded();
    expect(book.status().state).toBe('on-break'); // still the employee's break
    expect(warnings).toEqual([]);
  });

  it('does nothing when the policy leaves it off', async () => {
    const { book, auto } = await setup(false);
    await book.clockIn();
    await auto.idleStarted();
    expect(book.status().state).toBe('working');
  });

  it('does not end a break the employee already ended, nor clock anyone back in', async () => {
    const { book, auto } = await setup(true);
    await book.clockIn();
    await auto.idleStarted();
    await book.clockOut(); // ends the break and the day
    await auto.idleEnded();
    expect(book.status().state).toBe('off');
  });
});
