/**
 * The agent, wired by hand (no container):
 *
 *   keystore ─► store ─► backlog ─► sync (records/blobs push, inbox pull)
 *                  └──► inbox watcher ─► recipient keys ─► recorder ─► attendance
 *                                    └─► effective policy ─► capture session
 *   control socket ─► status, attendance, corrections, export, tracking
 *   control socket ─► status, attendance, corrections, manual time, export
 *
 * Nothing is sealed before a verified recipients document names the
 * organisation key: until then capture waits and status says why. A capture
 * error never stops the agent. `mode: 'offline'` opens the same graph
 * without sync, capture or socket, for CLI commands while no agent runs.
 */
import { DEFAULT_POLICY, type IdlePeriodPayload, type IntegrityAlertPayload } from '@sealtime/shared';
import { AutoBreak } from './attendance/auto-break.js';
import { autoClockIn } from './attendance/auto-clock-in.js';
import {
  AttendanceBook,
  type AttendanceResult,
  type AttendanceStatus,
  type CorrectionSummary,
} from './attendance/attendance-book.js';
import { CaptureStarter } from './collectors/capture-starter.js';
import type { AgentHandle } from './control/agent-handle.js';
import { startControlServer, type ControlServer } from './control/control-server.js';
import { controlHandlers } from './control/control-handlers.js';
import { agentPaths, ensureDataDir, readServerCa, unlockAgentKeystore } from './enroll/data-dir.js';
import { exportOwnData } from './export/export-own-data.js';
import { InboxWatcher } from './inbox/inbox-watcher.js';
import { ManualBook, type ManualEntrySummary, type ManualResult } from './manual-time/manual-book.js';
import type { RejectedDoc } from './inbox/fold-inbox.js';
import { captureSinks } from './compose-sinks.js';
import { buildStatus, type AgentStatus } from './compose-status.js';
import { unlockDeviceKeystore } from './keystore/device-keystore.js';
import type { SecretWrapper } from './keystore/secret-wrapper.js';
import { StaticRecipientDirectory } from './recorder/recipients.js';
import { Recorder } from './recorder/recorder.js';
import { openAgentStore, type AgentStore } from './store/agent-store.js';
import { Backlog } from './store/backlog.js';
import { silentLogger, type Logger } from './store/logger.js';
import { startAgentSync } from './sync/agent-sync.js';
import { deviceAuthorization } from './sync/authorized-fetch.js';
import { serverFetch } from './sync/server-fetch.js';
import { SyncReconciler } from './sync/sync-reconciler.js';
import { ProjectTracker } from './tracking/project-tracker.js';
import { trackingCommands } from './tracking/tracking-commands.js';

const MIB = 1024 * 1024;

export interface StartAgentOptions {
  dataDir: string;
  /** 'run': capture, sync and control socket; 'offline': the store only (CLI commands with no agent running). */
  mode?: 'run' | 'offline';
  passphrase?: string;
  logger?: Logger;
  /** Run collectors (default true in 'run'). */
  capture?: boolean;
  /** Serve <data-dir>/control.sock (default true in 'run'). */
  control?: boolean;
  /** Environment of the input hook child (DISPLAY); default process.env. */
  env?: NodeJS.ProcessEnv;
  sync?: { minRetryMs?: number; maxRetryMs?: number; reconcileMs?: number };
  /** Test knobs for the collectors. */
  screenshotIntervalMs?: number;
  windowIntervalMs?: number;
  /** How long to wait for another process to let go of the store (default 30 s in 'run', 3 s in 'offline'). */
  storeLockWaitMs?: number;
  /** Unlocks the keystore instead of passphrase/key file (the tray: a secret from the OS key store). */
  wrapper?: SecretWrapper;
  /**
   * A closed idle period came back pending: ask the employee (the tray's
   * prompt). Without it, or if it rejects, the policy's idle.discardIdle decides.
   */
  decideIdle?: (period: IdlePeriodPayload) => Promise<'kept' | 'discarded'>;
  /** An idle period opened (the employee is away). */
  onIdleStart?: (start: number) => void;
  /** A screenshot's image and record are stored. */
  onScreenshot?: (shot: { takenAt: number; blobId: string }) => void;
}

export type { AgentStatus, CaptureStateName } from './compose-status.js';

// the handle is owned by its consumers (control/); re-exported for the shells that start an agent
export type { AgentHandle } from './control/agent-handle.js';

const noKeys = <T>(why: string | null): AttendanceResult<T> => ({
  ok: false,
  error: { code: 'no-recipients', message: why ?? 'the organisation keys are not known yet' },
});

function alertIssue(r: RejectedDoc): IntegrityAlertPayload['issue'] {
  if (r.code === 'bad-signature') return 'altered';
  if (r.code === 'untrusted-signer') return 'forged';
  if (r.code === 'unsigned-removal') return 'missing'; // a signed document deleted without a signed withdrawal
  return 'malformed';
}

export async function startAgent(options: StartAgentOptions): Promise<AgentHandle> {
  const mode = options.mode ?? 'run';
  const log = options.logger ?? silentLogger;
  const paths = agentPaths(options.dataDir);
  const unlocked = options.wrapper
    ? await unlockDeviceKeystore(paths.keystore, options.wrapper)
    : await unlockAgentKeystore(paths, options.passphrase);
  await ensureDataDir(paths);
  const { info, identity } = unlocked;
  // a CLI command may hold the store for a moment (it opened it while no
  // agent answered); the agent waits it out rather than exiting
  const store: AgentStore = await openAgentStore(paths.store, {
    lockWaitMs: options.storeLockWaitMs ?? (mode === 'run' ? 30_000 : 3_000),
  });
  const cleanup: Array<() => Promise<void>> = [() => store.close()];
  try {
    const backlog = await Backlog.open(store, info.deviceId, log);
    const tracker = await ProjectTracker.open(store);
    const directory = new StaticRecipientDirectory({});
    let recorder: Recorder | undefined;
    let book: AttendanceBook | undefined;
    let autoBreak: AutoBreak | undefined;
    let manual: ManualBook | undefined;
    let stopped = false;
    const wantCapture = mode === 'run' && (options.capture ?? true);
    let keysListeners: Array<() => void> = [];
    let markStopping: () => void = () => undefined;
    const stopping = new Promise<void>((resolve) => (markStopping = resolve));
    // assigned once the first inbox pass is done; the callbacks below may run before that
    let watcher: InboxWatcher | undefined;

    const policyNow = () => watcher?.effective.policy ?? DEFAULT_POLICY;

    const openRecorder = async () => {
      if (recorder || stopped) return;
      recorder = await Recorder.open({
        store,
        device: identity,
        recipients: directory,
        backlog,
        logger: log,
        diskBudgetBytes: () => policyNow().storage.budgetMb * MIB,
      });
      book = await AttendanceBook.open(recorder, store, { enabled: () => policyNow().attendance.enabled });
      autoBreak = new AutoBreak(book, policyNow, log);
      manual = await ManualBook.open(recorder, store, policyNow);
      for (const l of keysListeners.splice(0)) l();
    };

    const capture = new CaptureStarter({
      enabled: wantCapture,
      log,
      prepare: async () => {
        if (stopped || !recorder || !watcher) return null;
        await watcher.settled();
        const rec = recorder;
        return {
          policy: watcher.effective.policy,
          env: options.env ?? process.env,
          logger: log,
          screenshotBudget: () => rec.screenshotMode(),
          ...(options.screenshotIntervalMs ? { screenshots: { intervalMs: options.screenshotIntervalMs } } : {}),
          ...(options.windowIntervalMs ? { windowIntervalMs: options.windowIntervalMs } : {}),
          onIdleStart: (start: number) => {
            options.onIdleStart?.(start);
            void autoBreak?.idleStarted();
          },
          sinks: captureSinks({
            recorder: rec,
            deviceId: info.deviceId,
            policy: policyNow,
            log,
            stopping,
            project: () => tracker.current,
            hooks: {
              ...(options.decideIdle ? { decideIdle: options.decideIdle } : {}),
              ...(options.onScreenshot ? { onScreenshot: options.onScreenshot } : {}),
              onIdleEnd: () => autoBreak?.idleEnded() ?? Promise.resolve(),
              onActivitySlot: (s) => manual?.noteSlot(s) ?? Promise.resolve(),
            },
          }),
        };
      },
      onStarted: () => autoClockIn(book, policyNow(), log),
    });

    watcher = await InboxWatcher.start({
      store,
      trust: { deviceId: info.deviceId, employeeId: info.employeeId, orgKeyFingerprint: info.orgKeyFingerprint },
      directory,
      logger: log,
      onRecipients: async () => {
        await openRecorder();
        capture.kick();
      },
      onPolicy: async (p) => {
        if (capture.session) await capture.session.updatePolicy(p.policy);
        else capture.kick();
      },
      onRejected: async (r) => {
        if (!recorder) return false; // no org key yet: recorded once there is one
        const res = await recorder.record('integrity-alert', (at) => ({
          v: 1,
          at,
          deviceId: info.deviceId,
          issue: alertIssue(r),
          detail: `inbox document '${r.id}' (${r.type}) refused and not used: ${r.reason}`.slice(0, 2000),
        }));
        return res.ok;
      },
    });
    cleanup.unshift(() => watcher!.stop());
    const tracking = trackingCommands({
      tracker,
      projects: () => watcher!.projects,
      employeeId: info.employeeId,
      policy: policyNow,
      cut: (at) => capture.session?.cutAt(at) ?? Promise.resolve(),
    });
    if (watcher.keysReady) await openRecorder();
    cleanup.unshift(async () => {
      await recorder?.close();
      await backlog.close(); // nothing writes the checkpoint once the store is closing
    });
    await watcher.retryAlerts();
    capture.kick();

    // ── sync ──
    const reconciler = new SyncReconciler({ backlog, log, recorder: () => recorder, stopped: () => stopped });
    let sync: ReturnType<typeof startAgentSync> | undefined;
    // the server holding another copy of a sealed local record or image: the local one is kept (store/sealed-conflicts.ts), and reviewers see an alert
    const offConflicts = store.conflicts.on((c) => {
      log.warn(
        { collection: c.collection, id: c.id, server: c.server },
        'the server holds another copy of a sealed local document; the local one is kept and offered again',
      );
      void recorder
        ?.record('integrity-alert', (at) => ({
          v: 1,
          at,
          deviceId: info.deviceId,
          issue: 'fork',
          detail: `the server holds a ${c.server === 'deleted' ? 'deletion' : 'different document'} for ${c.collection} ${c.id}; the device's own sealed copy is kept and offered again`,
        }))
        .catch(() => undefined);
    });
    cleanup.unshift(async () => {
      offConflicts();
    });
    if (mode === 'run') {
      const ca = await readServerCa(paths);
      sync = startAgentSync({
        serverUrl: info.serverUrl,
        employeeId: info.employeeId,
        authorization: deviceAuthorization(info.deviceId, unlocked.deviceCredential),
        collections: { records: store.records, blobs: store.blobs, inbox: store.inbox },
        onRecordAcked: (d) => void backlog.noteRecordAcked(d.seq),
        onBlobAcked: (d) => void backlog.noteBlobAcked(d.id),
        ...(ca ? { baseFetch: serverFetch(ca) } : {}),
        ...(options.sync?.minRetryMs !== undefined ? { minRetryMs: options.sync.minRetryMs } : {}),
        ...(options.sync?.maxRetryMs !== undefined ? { maxRetryMs: options.sync.maxRetryMs } : {}),
      });
      reconciler.start(sync, options.sync?.reconcileMs ?? 2000);
      // its last writes land before the recorder and store close (stop() set `stopped`: no new ones start)
      cleanup.unshift(() => reconciler.stop());
    }

    const status = async (): Promise<AgentStatus> =>
      buildStatus({
        info,
        running: mode === 'run',
        stopped,
        wantCapture,
        watcher: watcher!,
        backlog: backlog.status(),
        sync: sync?.status(),
        session: capture.running,
        starting: capture.isStarting,
        screenshots: recorder ? recorder.screenshotMode() : null,
        attendance: book?.status(),
        lastCaptureError: capture.lastError,
        tracking: tracking.status(),
      });

    const attendance = (act: (b: AttendanceBook) => Promise<AttendanceResult<AttendanceStatus>>) =>
      book ? act(book) : Promise.resolve(noKeys<AttendanceStatus>(watcher!.waitingReason));

    let control: ControlServer | undefined;
    const handle: AgentHandle = {
      paths,
      info,
      status,
      clockIn: () => attendance((b) => b.clockIn('manual')),
      clockOut: () => attendance((b) => b.clockOut('manual')),
      breakStart: () => attendance((b) => b.startBreak('manual')),
      breakEnd: () => attendance((b) => b.endBreak('manual')),
      track: (project, task) => tracking.track(project, task),
      projects: async (search) => tracking.projects(search),
      requestCorrection: (input) =>
        book ? book.requestCorrection(input) : Promise.resolve(noKeys<CorrectionSummary>(watcher!.waitingReason)),
      addManual: (input) =>
        manual
          ? manual.add(input)
          : Promise.resolve(noKeys<ManualEntrySummary>(watcher!.waitingReason) as ManualResult<ManualEntrySummary>),
      listManual: async () => {
        await watcher!.settled();
        return manual ? manual.list(watcher!.manualDecisions) : [];
      },
      async exportOwnData(keyPairs, includeImages = false) {
        const out = await exportOwnData({
          store,
          device: { deviceId: info.deviceId, signPublicKey: identity.signPublicKey },
          keyPairs,
          includeImages,
        });
        return { ...out, decisions: [...watcher!.decisions], manualDecisions: [...watcher!.manualDecisions] };
      },
      // people-setup puts the employee's ring in their inbox, wrapped by their passphrase: the privacy centre unlocks it
      async ownKeyring() {
        const doc = await store.inbox.findOne(`keyring:employee:${info.employeeId}`).exec();
        return doc ? (doc.toJSON() as { doc: unknown }).doc : null;
      },
      waitForKeys(timeoutMs) {
        if (book) return Promise.resolve();
        return new Promise<void>((resolve, reject) => {
          const t = setTimeout(
            () => reject(new Error(watcher!.waitingReason ?? 'timed out waiting for the organisation keys')),
            timeoutMs,
          );
          keysListeners.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      },
      get session() {
        return capture.session;
      },
      async settle() {
        await watcher!.settled();
        await capture.settled();
        await reconciler.reconcile();
        await reconciler.settled();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        markStopping();
        keysListeners = [];
        const t0 = performance.now();
        await control?.close();
        // collectors hand their last slot/period to the recorder before it closes
        await capture.stop();
        log.debug({ ms: Math.round(performance.now() - t0) }, 'capture stopped');
        for (const c of cleanup.splice(0)) {
          await c().catch((err: Error) => log.error({ err: err.message }, 'shutdown step failed'));
          log.debug({ ms: Math.round(performance.now() - t0) }, 'shutdown step done');
        }
        log.info({ ms: Math.round(performance.now() - t0) }, 'agent stopped');
      },
    };

    if (mode === 'run' && (options.control ?? true)) {
      control = await startControlServer({ path: paths.controlSocket, handlers: controlHandlers(handle), logger: log });
    }
    log.info({ deviceId: info.deviceId, keys: watcher.keysReady, mode }, 'agent started');
    return handle;
  } catch (err) {
    for (const c of cleanup.splice(0)) await c().catch(() => undefined);
    throw err;
  }
}
