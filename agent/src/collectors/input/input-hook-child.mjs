// The input hook, isolated: uiohook-napi aborts its whole process when there
// is no display or no RECORD extension, so it runs here and never in the agent.
// Plain .mjs so it starts with bare node (or Electron as node): no loader, small RSS.
//
// Privacy: handlers read nothing from key events. The only thing that leaves
// this process is, once per second with any input, four counts:
//   { t: 'tick', k: key presses, c: clicks, m: mouse moves, w: scroll steps }
// never a key code, a character, a position or an order of events.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let keys = 0;
let clicks = 0;
let moves = 0;
let scrolls = 0;
// a held key auto-repeats keydown: it makes the second active but is not a new press
let active = false;
let stopping = false;

function send(message) {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

function flush() {
  if (!active) return Promise.resolve();
  const tick = { t: 'tick', k: keys, c: clicks, m: moves, w: scrolls };
  keys = clicks = moves = scrolls = 0;
  active = false;
  return send(tick);
}

let hook;
try {
  ({ uIOhook: hook } = require('uiohook-napi'));
  // a keyup ends one physical press (auto-repeat sends many keydowns, one keyup)
  hook.on('keydown', () => {
    active = true;
  });
  hook.on('keyup', () => {
    keys += 1;
    active = true;
  });
  // wheel notches do not arrive as mousedown, so this counts buttons only
  hook.on('mousedown', () => {
    clicks += 1;
    active = true;
  });
  hook.on('mousemove', () => {
    moves += 1;
    active = true;
  });
  hook.on('wheel', (e) => {
    const steps = Math.round(Math.abs(Number(e.rotation) || 0));
    scrolls += steps > 0 ? steps : 1;
    active = true;
  });
  hook.start();
} catch (err) {
  await send({
    t: 'error',
    code: 'hook-start-failed',
    message: String(err instanceof Error ? err.message : err).slice(0, 200),
  });
  process.exit(3);
}

const timer = setInterval(() => void flush(), 1000);

async function stop(code) {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  try {
    hook.stop();
  } catch {
    // already stopped or never started: exiting anyway
  }
  await flush();
  process.exit(code);
}

process.on('message', (message) => {
  if (message && typeof message === 'object' && message.t === 'stop') void stop(0);
});
// the agent is gone: nobody to report to
process.on('disconnect', () => void stop(0));

await send({ t: 'ready' });
