// Child process of login-flood.int.test.ts: the composed server on its own
// event loop (so the test's clients do not share it), with real accounts and
// one enrolled device. Prints one JSON line with what the test needs, then
// serves until stdin closes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSealtimeServer } from '../../compose.js';
import { systemActor } from '../actor.js';
import { testSignKeyPair } from '../../../test-support/sealed-records.js';

const users = Number(process.argv[2] ?? '8');
const password = 'correct horse battery staple';
const dir = await mkdtemp(join(tmpdir(), 'sealtime-flood-'));
const s = await startSealtimeServer({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 } });
const ids: string[] = [];
for (let i = 1; i <= users; i++) {
  const id = `real-${i}`;
  await s.services.users.createUser(systemActor('test'), { id, role: 'member', password });
  ids.push(id);
}
await s.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 't1' });
const code = await s.services.enrollment.createCode(systemActor('test'), {
  employeeId: 'e1',
  teamId: 't1',
  orgKeyFingerprint: 'f'.repeat(32),
});
// the device signs with a key derived from this label (the test seals with the same one): the gateway verifies every record
const dev = await s.services.enrollment.redeem(
  code.code,
  { name: 'probe', platform: 'linux', signPublicKey: (await testSignKeyPair('flood-probe')).publicKeyText },
  { ip: '127.0.0.1', userAgent: 'test' },
);
process.stdout.write(
  `${JSON.stringify({ url: s.url, users: ids, password, deviceId: dev.deviceId, credential: dev.deviceCredential, employeeId: 'e1' })}\n`,
);

process.stdin.resume();
process.stdin.on('end', () => {
  void s
    .close()
    .then(() => rm(dir, { recursive: true, force: true }))
    .then(() => process.exit(0));
});
