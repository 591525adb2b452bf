/**
 * The running agent's control socket: a unix socket at <data-dir>/control.sock,
 * mode 0600 (and its directory 0700), so only the user's own processes (the
 * CLI, a tray) can talk to it. Requests are served one at a time per
 * connection; a handler's failure becomes an error response. A line longer
 * than MAX_LINE_BYTES is answered with 'too-large' and the connection closed.
 */
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { silentLogger, type Logger } from '../store/logger.js';
import { MAX_LINE_BYTES, parseRequest, type ControlCommand, type ControlResponse } from './control-protocol.js';

export type ControlHandler = (args: Record<string, unknown>) => Promise<unknown>;
export type ControlHandlers = Record<ControlCommand, ControlHandler>;

/** A handler's expected refusal (bad arguments, a state-machine no): answered with its code. */
export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface ControlServerOptions {
  path: string;
  handlers: ControlHandlers;
  logger?: Logger;
  maxLineBytes?: number;
}

export interface ControlServer {
  readonly path: string;
  close(): Promise<void>;
}

/** True when something answers on the socket (another agent is running). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path);
    const done = (v: boolean) => {
      c.destroy();
      resolve(v);
    };
    c.once('connect', () => done(true));
    c.once('error', () => done(false));
    c.setTimeout(1000, () => done(false));
  });
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const log = options.logger ?? silentLogger;
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  // sun_path holds 108 bytes on Linux (104 on macOS): say so instead of failing with EINVAL
  if (Buffer.byteLength(options.path) > 100)
    throw new ControlError(
      'path-too-long',
      `the control socket path ${options.path} is too long for a unix socket; use a shorter --data-dir`,
    );
  if (await socketAnswers(options.path))
    throw new ControlError('in-use', `another agent already serves ${options.path}`);
  // a socket file left by a killed agent
  await unlink(options.path).catch(() => undefined);
  const sockets = new Set<Socket>();

  const serve = (socket: Socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buffer = '';
    let chain: Promise<void> = Promise.resolve();
    const send = (r: ControlResponse) => {
      if (!socket.destroyed) socket.write(JSON.stringify(r) + '\n');
    };
    const handleLine = async (line: string) => {
      const parsed = parseRequest(line);
      if (!parsed.ok) return send({ id: parsed.id, ok: false, error: { code: parsed.code, message: parsed.message } });
      const { id = null, cmd, args = {} } = parsed.request;
      try {
        const result = await options.handlers[cmd](args);
        send({ id, ok: true, result: result ?? null });
      } catch (err) {
        if (err instanceof ControlError)
          return send({ id, ok: false, error: { code: err.code, message: err.message } });
        log.error({ cmd, err: (err as Error).message }, 'control command failed');
        send({
          id,
          ok: false,
          error: { code: 'failed', message: `${cmd} failed: ${(err as Error).message}`.slice(0, 500) },
        });
      }
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        if (Buffer.byteLength(line) > max) {
          send({
            id: null,
            ok: false,
            error: { code: 'too-large', message: `a request line is at most ${max} bytes` },
          });
          socket.end();
          buffer = '';
          return;
        }
        chain = chain.then(() => handleLine(line));
      }
      if (Buffer.byteLength(buffer) > max) {
        send({ id: null, ok: false, error: { code: 'too-large', message: `a request line is at most ${max} bytes` } });
        buffer = '';
        socket.end();
      }
    });
    socket.on('error', (err) => log.debug({ err: err.message }, 'control connection error'));
    socket.on('close', () => sockets.delete(socket));
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err: err.message }, 'control socket error'));
  if (process.platform !== 'win32') await chmod(options.path, 0o600);
  log.info({ path: options.path }, 'control socket listening');

  let closing: Promise<void> | undefined;
  return {
    path: options.path,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }).then(() => unlink(options.path).catch(() => undefined))),
  };
}
