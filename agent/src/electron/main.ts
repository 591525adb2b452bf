/**
 * The agent's tray app: Electron lifecycle and wiring only. Everything it
 * decides is in tray/ (state, menu, idle prompt, notices, custody of the
 * keystore, window options) and ipc/channels.ts (validators), tested
 * without Electron.
 */
import { Notification, app, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent, type AgentHandle, type StartAgentOptions } from '../compose.js';
import { agentPaths, defaultDataDir } from '../enroll/data-dir.js';
import type { OwnDataExport } from '../export/export-own-data.js';
import { writeOwnDataExport } from '../export/export-own-data.js';
import { createAgentLogger } from '../store/logger.js';
import {
  IpcChannel,
  validators,
  type AgentBridge,
  type IpcChannelName,
  type IpcContract,
  type IpcResult,
  type Request,
} from '../ipc/channels.js';
import { FULL_IMAGES, recordedView } from '../renderer/privacy-view.js';
import type { AgentShellHooks, TrayAgent } from '../tray/agent-port.js';
import { takeCustody, enrolled } from '../tray/keystore-custody.js';
import { mallocRelaunchPlan } from '../tray/malloc-env.js';
import { loadOwnData, ownKeyring } from '../tray/own-data.js';
import { TrayController } from '../tray/tray-controller.js';
import { safeStorageVault } from './safe-storage-vault.js';
import type { PreloadBridge, preloadChannels } from './preload.js';
import { AgentTray } from './tray.js';
import {
  closePage,
  lockDown,
  registerAppScheme,
  reloadPage,
  secureSession,
  showPage,
  trustedSender,
} from './windows.js';

const here = dirname(fileURLToPath(import.meta.url));
// emitted as CommonJS by tsconfig.preload.json (sandboxed preloads are classic scripts)
const PRELOAD = join(here, '..', 'preload', 'preload.js');
const RENDERER_ROOT = join(here, '..', 'renderer');
const ICONS = join(here, 'icons');

const log = createAgentLogger('sealtime-tray');
const paths = agentPaths(defaultDataDir());

// The tray's hooks (AgentShellHooks) are StartAgentOptions fields: passing them
// here checks that both agree, and AgentHandle must satisfy TrayAgent, or this
// file does not compile.
const start: (options: StartAgentOptions) => Promise<AgentHandle> = startAgent;
const hooksFit = (h: AgentShellHooks): Pick<StartAgentOptions, keyof AgentShellHooks> => h;
void hooksFit;

// The preload cannot import the channel table (sandboxed, CommonJS): both must agree, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsAgree: Same<typeof preloadChannels, typeof IpcChannel> = true;
const bridgeFits = (b: PreloadBridge): AgentBridge => b;
void channelsAgree;
void bridgeFits;

// started without the malloc settings (a desktop entry, autostart): start again with them, once
const relaunch = mallocRelaunchPlan(process.env, process.platform);

registerAppScheme();
app.enableSandbox();

if (relaunch) {
  // the relauncher inherits this environment; it starts the new instance once this one has exited
  Object.assign(process.env, relaunch.env);
  app.relaunch({ args: process.argv.slice(1), ...(relaunch.execPath ? { execPath: relaunch.execPath } : {}) });
  app.exit(0);
} else if (!app.requestSingleInstanceLock()) {
  // a second launch (autostart plus a click) only brings up the first one's privacy centre
  app.quit();
} else {
  void app.whenReady().then(main);
}

async function main(): Promise<void> {
  secureSession(RENDERER_ROOT);
  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  // a tray app: closing its windows does not quit it
  app.on('window-all-closed', () => undefined);

  const vault = safeStorageVault(paths.keysDir);
  let keyringPath: string | undefined;
  let lastExport: OwnDataExport | undefined;
  let quitting = false;

  const controller: TrayController = new TrayController({
    isEnrolled: () => enrolled(paths),
    async startAgent(hooks) {
      const custody = await takeCustody(paths, vault);
      if (custody.state !== 'ready') throw new Error('this device is not enrolled');
      if (custody.adopted) log.info('device keystore moved into the OS key store');
      const agent: TrayAgent = await start({
        dataDir: paths.dataDir,
        mode: 'run',
        passphrase: custody.passphrase,
        logger: log,
        ...hooks,
      });
      return agent;
    },
    render: (view) => tray.render(view),
    notify: (n) => {
      if (Notification.isSupported()) new Notification({ title: n.title, body: n.body, silent: true }).show();
    },
    showIdlePrompt: (prompt) =>
      prompt ? (showPage('idle-prompt', PRELOAD), reloadPage('idle-prompt')) : closePage('idle-prompt'),
    openPrivacyCentre: () => void showPage('privacy-centre', PRELOAD),
    // reloaded when already open: the list is read afresh each time it is asked for
    openProjects: () => (showPage('project-search', PRELOAD), reloadPage('project-search')),
    quit: () => app.quit(),
  });
  const tray = new AgentTray(
    ICONS,
    (action) =>
      void controller.act(action).catch((err: Error) => log.error({ err: err.message, action }, 'tray action failed')),
  );

  app.on('second-instance', () => showPage('privacy-centre', PRELOAD));
  app.on('before-quit', (event) => {
    if (quitting) return;
    // stop the agent first: collectors hand their last slot to the recorder before it closes
    event.preventDefault();
    quitting = true;
    void controller.stop().finally(() => {
      tray.destroy();
      app.quit();
    });
  });

  /** One place for every channel: sender check, validation, errors as results (never thrown across the bridge). */
  function handle<C extends IpcChannelName>(
    channel: C,
    fn: (
      req: Request<C>,
      event: IpcMainInvokeEvent,
    ) => Promise<IpcContract[C]['response']> | IpcContract[C]['response'],
  ): void {
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcResult<IpcContract[C]['response']>> => {
      if (!trustedSender(event.senderFrame?.url))
        return { ok: false, error: { code: 'forbidden', message: 'not one of the agent pages' } };
      const req = validators[channel](input);
      if (!req.ok) return req;
      try {
        return { ok: true, value: await fn(req.value, event) };
      } catch (err) {
        log.warn({ channel, err: (err as Error).message }, 'ipc request failed');
        return { ok: false, error: { code: 'failed', message: (err as Error).message.slice(0, 300) } };
      }
    });
  }

  const phaseOf = () => controller.appPhase;
  handle(IpcChannel.Status, async () => {
    await controller.refresh();
    const p = phaseOf();
    return {
      app: { version: app.getVersion(), phase: p.phase, error: p.phase === 'failed' ? p.error : null },
      agent: p.phase === 'running' ? p.status : null,
      now: Date.now(),
    };
  });
  handle(IpcChannel.ChooseKeyring, async () => {
    const r = await dialog.showOpenDialog({
      title: 'Your Sealtime key ring',
      properties: ['openFile'],
      filters: [{ name: 'Key ring', extensions: ['json'] }],
    });
    if (r.canceled || !r.filePaths[0]) return null;
    keyringPath = r.filePaths[0];
    return { fileName: basename(keyringPath) };
  });
  handle(IpcChannel.LoadRecorded, async ({ passphrase }) => {
    const agent = controller.runningAgent;
    if (!agent) throw new Error('the agent is not running');
    const ring = await ownKeyring(agent, keyringPath);
    if (!ring.ok) throw new Error(ring.error.message);
    const r = await loadOwnData(agent, ring.value, passphrase, { newest: FULL_IMAGES });
    if (!r.ok) throw new Error(r.error.message);
    lastExport = r.value;
    return recordedView(r.value);
  });
  handle(IpcChannel.ExportRecorded, async () => {
    if (!lastExport) throw new Error('show what was recorded first');
    const r = await dialog.showSaveDialog({
      title: 'Export my data',
      defaultPath: `sealtime-my-data-${new Date().toISOString().slice(0, 10)}.json`,
      filters: [{ name: 'JSON', extensions: ['json'] }],
    });
    if (r.canceled || !r.filePath) return { saved: false as const };
    await writeOwnDataExport(r.filePath, lastExport);
    return { saved: true as const, fileName: basename(r.filePath), records: lastExport.records.length };
  });
  handle(IpcChannel.IdlePrompt, () => controller.idle.current);
  handle(IpcChannel.IdleAnswer, ({ promptId, choice }) => ({ accepted: controller.idle.answer(promptId, choice) }));
  // "Other project…": the agent's own list and its `track`, the calls behind `sealtime-agent projects` / `track`
  handle(IpcChannel.Projects, async () => {
    const agent = controller.runningAgent;
    if (!agent?.projects) throw new Error('the agent is not running');
    const { projects, tracking } = await agent.projects();
    return { projects, current: tracking.current };
  });
  handle(IpcChannel.Track, async ({ projectId, taskId }) => {
    const agent = controller.runningAgent;
    if (!agent?.track) throw new Error('the agent is not running');
    const r = await agent.track(projectId, taskId);
    if (!r.ok) throw new Error(r.error.message);
    await controller.refresh(); // the tray's "Tracking: …" line follows at once
    return { current: (await agent.status()).tracking?.current ?? null };
  });

  await controller.start();
}
