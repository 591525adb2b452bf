/**
 * The input hook on X11, inside the agent: the X RECORD extension (all
 * clients, core device events), the source libuiohook itself reads on X11,
 * read by the x11 package, a pure-JavaScript X client. Nothing native runs,
 * so no abort can take the agent down (the reason uiohook lives in a child),
 * and it costs ~3 MB where the child cost ~45 MB (a second node process) and
 * a worker thread ~9 MB. A lost display, an X error or a refused RECORD ends
 * the hook as a dying child would, and the supervisor restarts it.
 *
 * What leaves here is what the child sends: ready, per-second counts, errors.
 * XAUTHORITY is read from this process's environment (the x11 package's way).
 */
import { createRequire } from 'node:module';
import { errorMessage } from '../collector-types.js';
import type { HookRunner, RunnerHandlers } from './hook-types.js';
import { RECORDED_EVENTS, XRecordCounter } from './xrecord-counter.js';

// the parts of the x11 package used here (it ships no types)
interface XClient {
  on(event: 'error', fn: (err: unknown) => void): void;
  on(event: 'end', fn: () => void): void;
  require(name: 'record', cb: (err: unknown, ext: RecordExt) => void): void;
  AllocID(): number;
  sync(): Promise<void>;
  terminate(): void;
}
interface RecordReply {
  category: number;
  data: Buffer;
}
interface RecordExt {
  CS: { AllClients: number };
  Category: { FromServer: number; StartOfData: number };
  CreateContext(
    context: number,
    elementHeader: number,
    clients: number[],
    ranges: Array<{ deviceEvents: { first: number; last: number } }>,
  ): void;
  EnableContext(context: number, onData: (reply: RecordReply) => void, done: (err?: unknown) => void): void;
}
interface X11 {
  createClient(options: { display?: string }, cb: (err: unknown, display: { client: XClient }) => void): XClient;
}

let x11: X11 | undefined;
const loadX11 = (): X11 => (x11 ??= createRequire(import.meta.url)('x11') as X11);

export function startXRecordHook(env: NodeJS.ProcessEnv, h: RunnerHandlers): HookRunner {
  const counter = new XRecordCounter();
  const clients: XClient[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let resolveGone!: () => void;
  const gone = new Promise<void>((r) => (resolveGone = r));

  const end = (how: string) => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    for (const c of clients) {
      try {
        c.terminate();
      } catch {
        // never connected: nothing to close
      }
    }
    // after the caller's turn, as a child's exit event would come
    setImmediate(() => {
      h.onExit(how, '');
      resolveGone();
    });
  };
  const fail = (code: string, err: unknown) => {
    if (ended) return;
    h.onMessage({ t: 'error', code, message: errorMessage(err).slice(0, 200) });
    end('failed');
  };
  const connect = () =>
    new Promise<XClient>((resolve, reject) => {
      const client = loadX11().createClient({ display: env.DISPLAY ?? '' }, (err, display) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(display.client),
      );
      client.on('error', (err) => fail('x-error', err));
      client.on('end', () => fail('display-lost', 'the X connection closed'));
      clients.push(client);
    });
  const record = (client: XClient) =>
    new Promise<RecordExt>((resolve, reject) =>
      client.require('record', (err, ext) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(ext),
      ),
    );

  void (async () => {
    // RECORD streams into the connection that enabled a context until another
    // connection disables it: one connection owns the context, one reads
    const control = await connect();
    const Record = await record(control);
    const context = control.AllocID();
    Record.CreateContext(context, 0, [Record.CS.AllClients], [{ deviceEvents: { ...RECORDED_EVENTS } }]);
    // CreateContext has no reply: a round trip surfaces its error, if any
    await control.sync();
    const data = await connect();
    if (ended) return;
    const Reader = await record(data);
    Reader.EnableContext(
      context,
      (reply) => {
        if (ended) return;
        if (reply.category === Record.Category.FromServer) counter.count(reply.data);
        // the first reply of an enabled context: recording runs from here
        else if (reply.category === Record.Category.StartOfData) h.onMessage({ t: 'ready' });
      },
      () => fail('record-ended', 'the RECORD context ended'),
    );
    timer = setInterval(() => {
      const tick = counter.take();
      if (tick) h.onMessage(tick);
    }, 1000);
  })().catch((err: unknown) => fail('hook-start-failed', err));

  return {
    source: 'xrecord',
    pid: undefined,
    requestStop() {
      if (ended) return;
      const tick = counter.take();
      if (tick) h.onMessage(tick);
      end('exited with code 0');
    },
    kill: () => end('killed'),
    gone,
  };
}
