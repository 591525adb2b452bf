// The input hook on X11 without a second process: the X RECORD extension read
// by a pure-JavaScript X client (the x11 package) in a worker thread. It is the
// same source libuiohook reads on X11 (RECORD, all clients, core device events
// KeyPress..MotionNotify), counted with the same rules as input-hook-child.mjs,
// so the counts match; but a worker costs a few MB where a second node process
// costs ~45 MB (the node binary's pages again). Nothing native runs here, so
// no abort can take the agent down; an uncaught error ends only this worker.
//
// Privacy: only the event type and, for buttons, the button number are read;
// the key code byte is never looked at. The only thing that leaves this thread
// is, once per second with any input, four counts:
//   { t: 'tick', k: key presses, c: clicks, m: mouse moves, w: scroll steps }
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);

const KEY_PRESS = 2;
const KEY_RELEASE = 3;
const BUTTON_PRESS = 4;
const MOTION_NOTIFY = 6;
const EVENT_SIZE = 32;
// buttons 4-7 are wheel notches on X11 (vertical, then horizontal)
const isWheel = (button) => button >= 4 && button <= 7;

let keys = 0;
let clicks = 0;
let moves = 0;
let scrolls = 0;
// a held key auto-repeats keydown: it makes the second active but is not a new press
let active = false;
let stopping = false;
const clients = [];

function send(message) {
  parentPort?.postMessage(message);
}

function flush() {
  if (!active) return;
  const tick = { t: 'tick', k: keys, c: clicks, m: moves, w: scrolls };
  keys = clicks = moves = scrolls = 0;
  active = false;
  send(tick);
}

/** Counts the device events in one RECORD reply (32-byte core events, no element headers). */
function count(data) {
  for (let off = 0; off + EVENT_SIZE <= data.length; off += EVENT_SIZE) {
    const type = data[off] & 0x7f;
    if (type === KEY_PRESS) active = true;
    else if (type === KEY_RELEASE) {
      keys += 1;
      active = true;
    } else if (type === BUTTON_PRESS) {
      const button = data[off + 1];
      if (isWheel(button)) scrolls += 1;
      else clicks += 1;
      active = true;
    } else if (type === MOTION_NOTIFY) {
      // with a button held too: the shipped uiohook reports those as moves (checked side by side)
      moves += 1;
      active = true;
    }
  }
}

function closeAll() {
  for (const c of clients) {
    try {
      c.terminate();
    } catch {
      // never connected: nothing to close
    }
  }
}

function fail(code, err) {
  if (stopping) return;
  stopping = true;
  send({ t: 'error', code, message: String(err instanceof Error ? err.message : err).slice(0, 200) });
  closeAll();
  process.exit(3);
}

function connect() {
  const x11 = require('x11');
  return new Promise((resolve, reject) => {
    const client = x11.createClient({}, (err, display) => (err ? reject(err) : resolve(display)));
    client.on('error', (err) => fail('x-error', err));
    client.on('end', () => fail('display-lost', 'the X connection closed'));
    clients.push(client);
  });
}

function requireRecord(display) {
  return new Promise((resolve, reject) =>
    display.client.require('record', (err, ext) => (err ? reject(err) : resolve(ext))),
  );
}

try {
  // RECORD streams into the connection that enabled a context until it is
  // disabled from another one: one connection owns the context, one reads
  const control = await connect();
  const Record = await requireRecord(control);
  const context = control.client.AllocID();
  Record.CreateContext(
    context,
    0,
    [Record.CS.AllClients],
    [{ deviceEvents: { first: KEY_PRESS, last: MOTION_NOTIFY } }],
  );
  // CreateContext has no reply: a round trip surfaces its error, if any
  await control.client.sync();
  const data = await connect();
  const Record2 = await requireRecord(data);
  Record2.EnableContext(
    context,
    (reply) => {
      if (reply.category === Record.Category.FromServer) count(reply.data);
      // the first reply of an enabled context: recording runs from here
      else if (reply.category === Record.Category.StartOfData && !stopping) send({ t: 'ready' });
    },
    () => fail('record-ended', 'the RECORD context ended'),
  );
  await control.client.sync();
} catch (err) {
  fail('hook-start-failed', err);
}

const timer = setInterval(flush, 1000);

function stop(code) {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  flush();
  closeAll();
  process.exit(code);
}

parentPort?.on('message', (message) => {
  if (message && typeof message === 'object' && message.t === 'stop') stop(0);
});
