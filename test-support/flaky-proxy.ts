/**
 * A TCP proxy on loopback that puts a bad network between a client and a
 * server, for fault-injection tests. Modes for new connections:
 *
 *   pass    forward both ways
 *   drop    accept, then reset at once (ECONNRESET at the client)
 *   refuse  stop listening: connections are refused (ECONNREFUSED), as when
 *           the server is down; the same port is taken again on leaving it
 *   stall   accept and never answer: nothing is forwarded
 *
 * On top of any mode, each new connection may be cut mid-stream: with
 * probability p it is reset after N bytes (both directions counted; N fixed or
 * drawn from a range). `flap` alternates pass and a down mode on a schedule,
 * resetting live connections when it goes down, as a real partition does.
 * Randomness is seeded, so a failing run can be replayed.
 *
 *   const proxy = await startFlakyProxy({ target: server.url, seed: 42 });
 *   agent.serverUrl = proxy.url;
 *   proxy.setMode('refuse'); ... proxy.setMode('pass');
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'drop' | 'refuse' | 'stall';

export interface CutRule {
  /** Share of new connections that get cut, 0..1 (default 1). */
  probability?: number;
  /** Cut after this many bytes (both directions), or after a number drawn from [min, max]; default [0, 4096]. */
  afterBytes?: number | readonly [number, number];
}

export interface FlapSchedule {
  upMs: number;
  downMs: number;
  /** What the proxy does while down (default 'drop'). */
  downMode?: Exclude<ProxyMode, 'pass'>;
}

export interface ProxyStats {
  accepted: number;
  forwarded: number;
  dropped: number;
  stalled: number;
  cut: number;
  /** Connections whose upstream could not be reached. */
  upstreamFailed: number;
  live: number;
  bytesUp: number;
  bytesDown: number;
  /** Times the proxy went down while flapping. */
  flaps: number;
}

export interface FlakyProxyOptions {
  /** Where to forward: 'http://127.0.0.1:1234' or { host, port }. */
  target: string | { host: string; port: number };
  /** Port to listen on (default: an ephemeral one, kept across 'refuse'). */
  port?: number;
  seed?: number;
  mode?: ProxyMode;
}

export interface FlakyProxy {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly seed: number;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  setCut(rule: CutRule | null): void;
  /** Point at another upstream (a restarted server on a new port). */
  setTarget(target: string | { host: string; port: number }): void;
  /** Starts (or with null, stops) flapping; stopping leaves the proxy in 'pass'. */
  flap(schedule: FlapSchedule | null): Promise<void>;
  /** Resets every live connection now; returns how many. */
  cutLive(): number;
  stats(): ProxyStats;
  close(): Promise<void>;
}

import { seededRandom } from './seeded-random.js';

export { seededRandom };

function parseTarget(t: FlakyProxyOptions['target']): { host: string; port: number } {
  if (typeof t !== 'string') return t;
  const u = new URL(t);
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

/** RST rather than FIN: the peer sees a broken connection, not a clean end of response. */
function reset(s: Socket): void {
  if (!s.destroyed) s.resetAndDestroy();
}

export async function startFlakyProxy(options: FlakyProxyOptions): Promise<FlakyProxy> {
  let target = parseTarget(options.target);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  let mode: ProxyMode = options.mode ?? 'pass';
  let cut: CutRule | null = null;
  const live = new Set<Socket>();
  const st: ProxyStats = {
    accepted: 0,
    forwarded: 0,
    dropped: 0,
    stalled: 0,
    cut: 0,
    upstreamFailed: 0,
    live: 0,
    bytesUp: 0,
    bytesDown: 0,
    flaps: 0,
  };
  let listening: Server | null = null;
  let port = options.port ?? 0;
  let closed = false;
  let flapTimer: NodeJS.Timeout | null = null;
  // bumped by every flap() call: callbacks of an older schedule stop themselves
  let flapGeneration = 0;
  // mode changes that open or close the listener run one after another
  let transition: Promise<void> = Promise.resolve();

  const track = (s: Socket) => {
    live.add(s);
    s.once('close', () => live.delete(s));
  };

  const cutAfter = (): number | null => {
    if (!cut) return null;
    if (random() >= (cut.probability ?? 1)) return null;
    const a = cut.afterBytes ?? [0, 4096];
    if (typeof a === 'number') return a;
    return a[0] + Math.floor(random() * (a[1] - a[0] + 1));
  };

  function onConnection(client: Socket): void {
    st.accepted++;
    track(client);
    client.on('error', () => undefined); // resets are the point here
    if (mode === 'drop') {
      st.dropped++;
      reset(client);
      return;
    }
    if (mode === 'stall') {
      st.stalled++;
      client.pause(); // hold it open, read nothing, answer nothing
      return;
    }
    const limit = cutAfter();
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstream.on('error', () => undefined);
    let budget = limit ?? Infinity;
    let connected = false;
    let isCut = false;
    // The side that was receiving gets its partial bytes and then FIN (an RST
    // would make the kernel discard what it has not read yet); the other side
    // is reset. Either way the exchange is broken mid-stream.
    const cutBoth = (receiver?: Socket) => {
      if (isCut) return;
      isCut = true;
      st.cut++;
      for (const s of [client, upstream]) {
        if (s !== receiver) reset(s);
      }
      if (receiver && !receiver.destroyed) {
        receiver.end();
        setTimeout(() => reset(receiver), 200).unref();
      }
    };
    // Forward `chunk` as far as the cut budget allows; false once the connection is cut.
    const pipe = (chunk: Buffer, to: Socket, dir: 'bytesUp' | 'bytesDown'): boolean => {
      if (chunk.length < budget) {
        budget -= chunk.length;
        st[dir] += chunk.length;
        to.write(chunk);
        return true;
      }
      const part = chunk.subarray(0, budget);
      st[dir] += part.length;
      budget = 0;
      if (part.length > 0) to.write(part);
      cutBoth(to);
      return false;
    };
    const pending: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      if (!connected) pending.push(chunk);
      else if (!pipe(chunk, upstream, 'bytesUp')) client.pause();
    });
    upstream.on('connect', () => {
      connected = true;
      st.forwarded++;
      if (limit === 0) return cutBoth();
      for (const c of pending.splice(0)) if (!pipe(c, upstream, 'bytesUp')) return;
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pipe(chunk, client, 'bytesDown')) upstream.pause();
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => reset(upstream));
    upstream.on('close', (hadError) => {
      if (!connected) st.upstreamFailed++;
      if (hadError || !connected) reset(client);
    });
  }

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = createServer(onConnection);
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        server.off('error', reject);
        port = (server.address() as { port: number }).port;
        listening = server;
        resolve();
      });
    });
  const unlisten = (): Promise<void> => {
    const server = listening;
    listening = null;
    // close() waits for open connections; refuse cuts them, as a dead server would
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  };

  const cutLive = (): number => {
    const n = live.size;
    for (const s of [...live]) reset(s);
    return n;
  };

  const setMode = (next: ProxyMode): Promise<void> => {
    transition = transition.then(async () => {
      if (closed) return;
      const was = mode;
      mode = next;
      if (next === 'refuse' && was !== 'refuse') {
        // close() waits for open connections to end: cut them first, or a
        // keep-alive connection would hold the transition open for good
        const closing = unlisten();
        cutLive();
        await closing;
      } else if (next !== 'refuse' && was === 'refuse') {
        // the port may be briefly busy after close on some kernels: retry a few times
        for (let i = 0; ; i++) {
          try {
            await listen();
            break;
          } catch (e) {
            if (i >= 20) throw e;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }
    });
    return transition;
  };

  if (mode !== 'refuse') await listen();
  else {
    // reserve a port number now so the url is stable, then give it back
    await listen();
    await unlisten();
  }

  const stopFlap = () => {
    flapGeneration++;
    if (flapTimer) clearTimeout(flapTimer);
    flapTimer = null;
  };

  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    seed,
    get mode() {
      return mode;
    },
    setMode,
    setCut(rule) {
      cut = rule;
    },
    setTarget(t) {
      target = parseTarget(t);
    },
    async flap(schedule) {
      stopFlap();
      if (!schedule) return setMode('pass');
      const down = schedule.downMode ?? 'drop';
      const gen = flapGeneration;
      const goDown = () => {
        if (gen !== flapGeneration) return;
        st.flaps++;
        void setMode(down).then(() => {
          if (gen !== flapGeneration) return;
          cutLive();
          flapTimer = setTimeout(goUp, schedule.downMs);
        });
      };
      const goUp = () => {
        if (gen !== flapGeneration) return;
        void setMode('pass').then(() => {
          if (gen !== flapGeneration) return;
          flapTimer = setTimeout(goDown, schedule.upMs);
        });
      };
      await setMode('pass');
      flapTimer = setTimeout(goDown, schedule.upMs);
    },
    cutLive,
    stats: () => ({ ...st, live: live.size }),
    async close() {
      stopFlap();
      await transition.catch(() => undefined);
      closed = true;
      cutLive();
      await unlisten();
    },
  };
}
