// kill -9 durability of the recorder: a child records in a loop and is killed
// with SIGKILL at random moments, 25 times. After each kill the store must hold
// every seq the child acknowledged, no seq twice or skipped, a verifying chain,
// and every screenshot record's image with the hash it names.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  EnvelopeOpener,
  decodePayload,
  fromBase64,
  initSodium,
  toHex,
  verifyChain,
  verifyEnvelope,
} from '@sealtime/shared';
import { openAgentStore } from '../store/agent-store.js';
import { Backlog } from '../store/backlog.js';
import { b64, makeKeys, storedEnvelopes, tempDir } from './recorder.fixture.js';

const child = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const ROUNDS = 25;

interface Round {
  acks: number[];
  openedAt?: number;
}

/** Starts the child and SIGKILLs it: after a random number of acks, or at a random time (possibly while opening). */
function runAndKill(dir: string, env: NodeJS.ProcessEnv, round: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const out: Round = { acks: [] };
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = (ms: number) => (timer ??= setTimeout(() => p.kill('SIGKILL'), ms));
    const byTime = round % 5 === 4; // every fifth round dies at a random instant, acks or not
    if (byTime) kill(300 + Math.floor(Math.random() * 1500));
    const minAcks = 1 + Math.floor(Math.random() * 40);
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ack ')) out.acks.push(Number(line.slice(4)));
        if (line.startsWith('open ')) out.openedAt = Number(line.slice(5));
      }
      if (!byTime && out.acks.length >= minAcks) kill(Math.floor(Math.random() * 25));
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`recorder child exited on its own: ${err}`));
    });
  });
}

describe('Recorder durability under kill -9', () => {
  it(
    `loses no acknowledged record and never forks or skips a seq across ${ROUNDS} kills`,
    { timeout: 400_000 },
    async () => {
      await initSodium();
      const keys = await makeKeys('dev-kill');
      const env = {
        ST_DEVICE: keys.device.deviceId,
        ST_SIGN_PK: b64(keys.device.signPublicKey),
        ST_SIGN_SK: b64(keys.device.signSecretKey),
        ST_ORG_PK: b64(keys.roles.organisation.publicKey),
        ST_EMP_PK: b64(keys.roles.employee.publicKey),
      };
      const { dir, cleanup } = tempDir('st-recorder-kill-');
      const acknowledged = new Set<number>();
      let killsMidWrite = 0;
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const r = await runAndKill(dir, env, round);
          for (const s of r.acks) acknowledged.add(s);

          const store = await openAgentStore(dir);
          try {
            const { seqs, envelopes } = await storedEnvelopes(store, keys.device.deviceId);
            // contiguous from 0: nothing skipped, nothing twice
            expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
            for (const s of acknowledged)
              expect(seqs.includes(s), `acknowledged seq ${s} lost in round ${round}`).toBe(true);
            if (r.acks.length > 0 && seqs.length - 1 > Math.max(...r.acks)) killsMidWrite++;
            if (r.openedAt !== undefined)
              expect(r.openedAt, 'the child continued from the stored head').toBeLessThanOrEqual(seqs.length);
            const report = verifyChain(envelopes, {
              deviceId: keys.device.deviceId,
              deviceSignPublicKey: keys.device.signPublicKey,
            });
            expect(report.issues).toEqual([]);
            expect(report.verified).toBe(seqs.length);

            // every screenshot record finds its image, with the hash it names
            const opener = new EnvelopeOpener([keys.roles.employee]);
            for (const e of envelopes) {
              const o = opener.open(e, keys.device.signPublicKey);
              if (!o.ok) throw new Error(o.error.message);
              if (o.value.envelope.kind !== 'screenshot') continue;
              const p = decodePayload('screenshot', o.value.payload);
              if (!p.ok) throw new Error(p.error.message);
              const blob = await store.blobs.findOne(p.value.blobId).exec();
              expect(blob, `image ${p.value.blobId} missing`).not.toBeNull();
              const bytes = fromBase64(blob!.envelope);
              const v = bytes.ok ? verifyEnvelope(bytes.value, keys.device.signPublicKey) : bytes;
              expect(v.ok && toHex(v.value.hash)).toBe(p.value.blobHash);
            }
            // and the backlog counts every record as unsynced
            expect((await Backlog.open(store, keys.device.deviceId)).status().count).toBe(seqs.length);
          } finally {
            await store.close();
          }
        }
        console.log(
          `${ROUNDS} kills, ${acknowledged.size} acknowledged records, ${killsMidWrite} kills left a durable-but-unacknowledged record`,
        );
        expect(acknowledged.size).toBeGreaterThan(ROUNDS * 5);
      } finally {
        cleanup();
      }
    },
  );
});
