/**
 * The CLI's side of the control socket: one request, one response. A socket
 * that is missing or refuses means no agent is running (`unavailable`), so
 * the CLI falls back to opening the store itself.
 */
import { createConnection } from 'node:net';
import { MAX_RESPONSE_BYTES, type ControlCommand, type ControlResponse } from './control-protocol.js';

export class ControlUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlUnavailable';
  }
}

export class ControlRemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlRemoteError';
  }
}

export function controlRequest(
  path: string,
  cmd: ControlCommand,
  args: Record<string, unknown> = {},
  timeoutMs = 30_000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let connected = false;
    let buffer = '';
    let bytes = 0;
    let settled = false;
    const socket = createConnection(path);
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            connected
              ? new Error(`the agent did not answer '${cmd}' within ${timeoutMs} ms`)
              : new ControlUnavailable('the control socket did not accept a connection'),
          ),
        ),
      timeoutMs,
    );
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(JSON.stringify({ id: 1, cmd, args }) + '\n');
    });
    socket.on('data', (chunk: string) => {
      bytes += chunk.length;
      if (bytes > MAX_RESPONSE_BYTES)
        return finish(() => reject(new Error('the agent sent a response larger than allowed')));
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      let res: ControlResponse;
      try {
        res = JSON.parse(buffer.slice(0, nl)) as ControlResponse;
      } catch {
        return finish(() => reject(new Error('the agent sent a malformed response')));
      }
      finish(() => (res.ok ? resolve(res.result) : reject(new ControlRemoteError(res.error.code, res.error.message))));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          !connected && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES'].includes(err.code ?? '')
            ? new ControlUnavailable(`no agent is running (${err.code})`)
            : err,
        ),
      );
    });
    socket.once('close', () =>
      finish(() =>
        reject(
          connected
            ? new Error('the agent closed the connection without answering')
            : new ControlUnavailable('no agent is running'),
        ),
      ),
    );
  });
}
