/**
 * `sealtime-admin ui`: the admin app in a browser. Starts the core (keys and
 * replica stay in this process), serves the built renderer on 127.0.0.1 and
 * prints the one-time URL; opens the default browser unless --no-open or
 * xdg-open is missing. Runs until SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultProfileDir } from '../admin/node/profile-store.js';
import { AdminError } from '../admin/admin-error.js';
import { ensureRendererBuilt, RENDERER_DIR } from './renderer-build.js';

function openBrowser(url: string, log: (line: string) => void): void {
  const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
  child.on('error', () => log('no xdg-open here: open the URL above yourself'));
  child.unref();
}

export function addUiCommand(program: Command): void {
  program
    .command('ui')
    .description('the admin app in your browser: sign in, unlock, review (served on 127.0.0.1 only)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new AdminError('bad-input', `--port takes 0-65535, not '${v}'`);
      return n;
    })
    .option('--no-open', 'do not open a browser')
    .option('--data-dir <dir>', 'where the app keeps its session and replica (default: <profile>/app)')
    .option(
      '--keyring-file <file>',
      'HR and managers, older set-ups: a key ring file from `keyring export` (otherwise the server delivers your ring)',
    )
    .action(async (o: { port?: number; open: boolean; dataDir?: string; keyringFile?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ profile?: string; server?: string }>();
      const log = (line: string) => process.stdout.write(`${line}\n`);
      await ensureRendererBuilt(log);
      // loaded here, not at the top: every other command starts without RxDB, ws and the core
      const [{ AdminCore }, { startUiServer }] = await Promise.all([
        import('../core/admin-core.js'),
        import('../ui-server/ui-server.js'),
      ]);
      const core = new AdminCore({
        dataDir: o.dataDir ?? join(globals.profile ?? defaultProfileDir(), 'app'),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      await core.start();
      const server = await startUiServer({
        core,
        rendererDir: RENDERER_DIR,
        ...(o.port !== undefined ? { port: o.port } : {}),
      });
      // --server (or SEALTIME_SERVER) fills the sign-in form's address; the token stays the URL's only secret
      const url = globals.server ? `${server.url}&server=${encodeURIComponent(globals.server)}` : server.url;
      log(`Sealtime admin: ${url}`);
      log('(this link works once; keep this terminal open, Ctrl+C to stop)');
      if (o.open) openBrowser(url, log);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await core.close();
    });
}
