// Child process of server-close.int.test.ts: a real server with longpolls
// held through the gateway and one abandoned straight at the engine, then
// close(). The process must then end by itself: nothing may keep it alive.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSealtimeServer } from './compose.js';
import { systemActor } from './auth/actor.js';

const dir = await mkdtemp(join(tmpdir(), 'sealtime-close-'));
const s = await startSealtimeServer({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
await s.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 't1' });
const code = await s.services.enrollment.createCode(systemActor('test'), {
  employeeId: 'e1',
  teamId: 't1',
  orgKeyFingerprint: 'f'.repeat(32),
});
const dev = await s.services.enrollment.redeem(
  code.code,
  { name: 'x', platform: 'linux' },
  { ip: '127.0.0.1', userAgent: 'test' },
);
const authorization = `Basic ${Buffer.from(`${dev.deviceId}:${dev.deviceCredential}`).toString('base64')}`;
const held = Array.from({ length: 5 }, () =>
  fetch(`${s.url}/st-emp-e1-inbox/_changes?feed=longpoll&since=now&heartbeat=1000`, { headers: { authorization } })
    .then((r) => r.text())
    .catch(() => ''),
);
const engine = new URL(s.server.engine.url);
const abandoned = new AbortController();
const direct = fetch(`http://${engine.host}/st-emp-e1-inbox/_changes?feed=longpoll&since=now`, {
  headers: {
    authorization: `Basic ${Buffer.from(`${decodeURIComponent(engine.username)}:${decodeURIComponent(engine.password)}`).toString('base64')}`,
  },
  signal: abandoned.signal,
}).catch(() => null);
await new Promise((r) => setTimeout(r, 500));
abandoned.abort();
await direct;
await s.close();
await Promise.all(held);
await rm(dir, { recursive: true, force: true });
process.stdout.write('closed\n');
