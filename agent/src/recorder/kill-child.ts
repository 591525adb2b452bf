// Child process for the kill -9 test: records forever and prints each seq only
// after the recorder has resolved it (= durable). Keys arrive in the
// environment (test keys only, never a real device's).
import { initSodium } from '@sealtime/shared';
import { openAgentStore } from '../store/agent-store.js';
import { Recorder } from './recorder.js';
import { StaticRecipientDirectory } from './recipients.js';
import { unb64 } from './recorder.fixture.js';

const dir = process.argv[2]!;
const env = process.env;
await initSodium();
const store = await openAgentStore(dir);
const recorder = await Recorder.open({
  store,
  device: {
    deviceId: env.ST_DEVICE!,
    employeeId: 'emp-kill',
    signPublicKey: unb64(env.ST_SIGN_PK!),
    signSecretKey: unb64(env.ST_SIGN_SK!),
  },
  recipients: new StaticRecipientDirectory({ organisation: unb64(env.ST_ORG_PK!), employee: unb64(env.ST_EMP_PK!) }),
});
process.stdout.write(`open ${recorder.head.nextSeq}\n`);
const image = new Uint8Array(4096).map((_, i) => i & 0xff);
for (let i = 0; ; i++) {
  const r =
    i % 7 === 3
      ? await recorder.recordScreenshot({ screen: 0, width: 64, height: 64, format: 'png', blurred: false }, image)
      : await recorder.record('activity-slot', (t) => ({
          v: 1,
          start: t,
          slotSeconds: 60,
          activeSeconds: i % 60,
          keyPresses: i,
          clicks: 0,
          mouseMoves: 0,
          scrolls: 0,
        }));
  if (!r.ok) {
    process.stderr.write(`record failed: ${r.error.code} ${r.error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`ack ${r.value.seq}\n`);
}
