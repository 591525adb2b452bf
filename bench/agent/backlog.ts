/**
 * A one-week offline backlog written by the agent's own code: the Recorder
 * (sealing, chaining, durable store writes) and the AttendanceBook, fed the
 * payload shapes the collectors produce at the default policy, on a simulated
 * clock that walks through the week (so record times are the week's times
 * and the monotonic clock sees no jumps). Nothing syncs while it is written:
 * no replication runs against the store, as with the server out of reach.
 *
 * Per working day (the agent runs 08:55–17:30):
 *   device-info at start (the system-info collector), clock-in 09:00,
 *   break 12:30–13:00, clock-out 17:30 (attendance, by hand: autoClockIn is off)
 *   activity slots every 10 min (activity.slotSeconds 600)
 *   app usage: heartbeat-merged foreground spans, one per window switch,
 *     15 s (the pulse) + exp(mean 60 s) each, capped at 10 min (maxEventMs);
 *     carried inside the activity slot they fall in (payload v2, the agent's
 *     model now), or with model 'app-events' one app-event record each (the
 *     model before, for comparison)
 *   idle periods (threshold 5 min): the lunch break and 0–2 short ones,
 *     kept (headless, idle.discardIdle false); no app events while idle
 * Screenshots are off in the default policy, so no images.
 */
import { hostname, release } from 'node:os';
import { writeFile } from 'node:fs/promises';
import {
  SlotAppBook,
  type ActivitySlotPayload,
  type AppEventPayload,
  type DeviceInfoPayload,
  type IdlePeriodPayload,
  type RecordDoc,
} from '@sealtime/shared';
import { AttendanceBook } from '@sealtime/agent/src/attendance/attendance-book.js';
import { unlockAgentKeystore } from '@sealtime/agent/src/enroll/data-dir.js';
import { StaticRecipientDirectory } from '@sealtime/agent/src/recorder/recipients.js';
import { Recorder } from '@sealtime/agent/src/recorder/recorder.js';
import type { TimeSources } from '@sealtime/agent/src/recorder/monotonic-clock.js';
import { openAgentStore } from '@sealtime/agent/src/store/agent-store.js';
import { Backlog } from '@sealtime/agent/src/store/backlog.js';
import { AGENT_VERSION } from '@sealtime/agent/src/version.js';
import type { AgentTestServer } from '@sealtime/agent/testing';
import type { EnrolledDevice } from './fixture.js';
import { exponential, mulberry32 } from './random.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const APPS = ['firefox', 'code', 'slack', 'xterm', 'thunderbird', 'libreoffice', 'evince', 'nautilus'];

export interface BacklogResult {
  records: number;
  /** Records per routing class (what the documents show; the kinds are sealed). */
  byKind: Record<string, number>;
  bytes: number;
  firstAt: number;
  lastAt: number;
  writeMs: number;
  /** The stored documents, as the store holds them (id and body). */
  docs: RecordDoc[];
}

type Step = { at: number; run: () => Promise<unknown> };

export async function writeOfflineWeek(
  dev: EnrolledDevice,
  org: AgentTestServer['org'],
  teamId: string,
  opts: { days: number; workDays: number; seed: number; model?: 'slot-apps' | 'app-events' },
): Promise<BacklogResult> {
  const slotApps = (opts.model ?? 'slot-apps') === 'slot-apps';
  const appBook = new SlotAppBook({ titles: false, urls: false }); // the default policy
  const rand = mulberry32(opts.seed);
  const unlocked = await unlockAgentKeystore(dev.paths);
  const store = await openAgentStore(dev.paths.store);
  const weekStart = Math.floor((Date.now() - (opts.days + 1) * DAY) / DAY) * DAY;
  let sim = weekStart;
  const bootAt = weekStart - HOUR;
  const time: TimeSources = {
    wallMs: () => sim,
    monoMs: () => sim - bootAt,
    boot: () => ({ id: 'bench-offline-week', ms: sim - bootAt }),
  };
  const t0 = performance.now();
  try {
    const backlog = await Backlog.open(store, unlocked.info.deviceId);
    const directory = new StaticRecipientDirectory({
      organisation: org.org.boxPublicKey,
      hr: org.hr.boxPublicKey,
      team: org.team(teamId).boxPublicKey,
      employee: org.employee(dev.employeeId).boxPublicKey,
    });
    const recorder = await Recorder.open({
      store,
      device: unlocked.identity,
      recipients: directory,
      backlog,
      time,
      diskBudgetBytes: 2048 * 1024 * 1024,
    });
    const book = await AttendanceBook.open(recorder, store);
    const must = async (r: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
      const out = await r;
      if (!out.ok) throw new Error(`backlog: ${out.error?.code}: ${out.error?.message}`);
    };

    const steps: Step[] = [];
    const at = (t: number, run: () => Promise<unknown>) => steps.push({ at: t, run });
    for (let d = 0; d < opts.workDays; d++) {
      const day = weekStart + d * DAY;
      const start = day + 8 * HOUR + 55 * MIN;
      const clockIn = day + 9 * HOUR;
      const breakStart = day + 12 * HOUR + 30 * MIN;
      const breakEnd = day + 13 * HOUR;
      const end = day + 17 * HOUR + 30 * MIN;
      const info: DeviceInfoPayload = {
        v: 1,
        hostname: hostname(),
        platform: 'linux',
        osVersion: release(),
        agentVersion: AGENT_VERSION,
        screens: 1,
        timeZone: 'Europe/Berlin',
      };
      at(start, () => must(recorder.record('device-info', info)));
      at(clockIn, () => must(book.clockIn('manual')));
      at(breakStart, () => must(book.startBreak('manual')));
      at(breakEnd, () => must(book.endBreak('manual')));
      at(end, () => must(book.clockOut('manual')));

      const idle: Array<[number, number]> = [[breakStart, breakEnd]];
      const shortIdles = Math.floor(rand() * 3);
      for (let i = 0; i < shortIdles; i++) {
        const s = clockIn + Math.floor(rand() * 7 * HOUR);
        const e = s + 5 * MIN + Math.floor(rand() * 7 * MIN);
        if (!idle.some(([a, b]) => s < b && e > a)) idle.push([s, e]);
      }
      for (const [s, e] of idle) {
        const p: IdlePeriodPayload = { v: 1, start: s, end: e, cause: 'no-input', decision: 'kept' };
        at(e, () => must(recorder.record('idle-period', p)));
      }
      const idleAt = (t: number) => idle.find(([a, b]) => t >= a && t < b);

      for (let s = start; s + 10 * MIN <= end + 10 * MIN; s += 10 * MIN) {
        const active = idle.some(([a, b]) => a <= s && b >= s + 10 * MIN) ? 0 : Math.floor(200 + rand() * 400);
        const slot: ActivitySlotPayload = {
          v: 1,
          start: s,
          slotSeconds: 600,
          activeSeconds: active,
          keyPresses: Math.floor(active * rand() * 2),
          clicks: Math.floor(active * rand() * 0.3),
          mouseMoves: Math.floor(active * rand() * 5),
          scrolls: Math.floor(active * rand() * 0.5),
        };
        at(s + 10 * MIN, () =>
          must(recorder.record('activity-slot', slotApps ? { ...slot, v: 2, ...appBook.take(s, 600) } : slot)),
        );
      }

      let app = APPS[0]!;
      for (let t = start; t < end;) {
        const gap = idleAt(t);
        if (gap) {
          t = gap[1];
          continue;
        }
        let dur = Math.min(10 * MIN, 15_000 + Math.round(exponential(rand, MIN)));
        const nextIdle = idle.filter(([a]) => a > t).sort((x, y) => x[0] - y[0])[0];
        if (nextIdle && t + dur > nextIdle[0]) dur = nextIdle[0] - t;
        if (t + dur > end) dur = end - t;
        const p: AppEventPayload = { v: 1, start: t, durationMs: dur, app };
        // into the slot book when the span starts, so a slot ending first still finds its part (the agent cuts the open span at the slot's end)
        if (slotApps) at(t, async () => appBook.add({ start: p.start, end: p.start + p.durationMs, app: p.app }));
        else at(t + dur, () => must(recorder.record('app-event', p)));
        t += dur;
        app = APPS[Math.floor(rand() * APPS.length)]!;
      }
    }
    steps.sort((a, b) => a.at - b.at);
    for (const s of steps) {
      sim = Math.max(sim, s.at);
      await s.run();
    }
    await recorder.close();
    await backlog.flush();
    const docs = (await store.records.find().exec()).map((d) => {
      const j = d.toJSON() as RecordDoc;
      return {
        id: j.id,
        deviceId: j.deviceId,
        employeeId: j.employeeId,
        class: j.class,
        seq: j.seq,
        hour: j.hour,
        envelope: j.envelope,
        bytes: j.bytes,
      };
    });
    const byKind: Record<string, number> = {};
    for (const d of docs) byKind[d.class] = (byKind[d.class] ?? 0) + 1;
    return {
      records: docs.length,
      byKind,
      bytes: docs.reduce((a, d) => a + d.bytes, 0),
      // hour buckets: the documents show no exact time
      firstAt: Math.min(...docs.map((d) => d.hour)),
      lastAt: Math.max(...docs.map((d) => d.hour)),
      writeMs: performance.now() - t0,
      docs,
    };
  } finally {
    await store.close();
  }
}

/** The documents as CouchDB sees them (`_id`), one JSON array, for the PouchDB side. */
export async function writeWireDocs(file: string, docs: RecordDoc[]): Promise<void> {
  await writeFile(file, JSON.stringify(docs.map(({ id, ...rest }) => ({ _id: id, ...rest }))));
}
