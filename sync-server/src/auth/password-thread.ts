/**
 * The worker thread behind PasswordHasher (password.ts): derives Argon2id
 * hashes so the 100+ ms each one takes blocks this thread, not the event loop
 * that serves devices' replication. One message in, one out:
 *
 *   in:  { id, password, params }      out: { id, hash }  (32 raw bytes)
 *                                        or { id, error } (bad parameters)
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { derivePassphraseKey, initSodium, type PwhashParams } from '@sealtime/shared';

export interface HashJob {
  id: number;
  password: string;
  params: PwhashParams;
}

export type HashAnswer = { id: number; hash: Uint8Array } | { id: number; error: string };

/**
 * Lowers this thread's CPU priority to the lowest (Linux schedules threads, and its
 * setpriority takes a thread id): when cores are scarce, the event loop
 * serving devices runs first and hashing takes what is left. Elsewhere the
 * thread keeps the process's priority.
 */
function yieldToEventLoop(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // not Linux, or not allowed: hashing then competes at equal priority
  }
}

yieldToEventLoop();
await initSodium();
const port = parentPort;
if (!port) throw new Error('password-thread.ts runs only as a worker thread');
port.on('message', (job: HashJob) => {
  let answer: HashAnswer;
  try {
    const r = derivePassphraseKey(job.password, job.params);
    answer = r.ok ? { id: job.id, hash: r.value } : { id: job.id, error: r.error.message };
  } catch (e) {
    answer = { id: job.id, error: (e as Error)?.message ?? 'hashing failed' };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true });
