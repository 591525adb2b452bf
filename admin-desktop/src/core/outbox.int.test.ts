// The outbox against a real server: a decision made with the server stopped
// is queued, survives kill -9 of the core's process, and is delivered exactly
// once when the server is back (the inbox document verifies as the agent
// checks it); a resend after an unacknowledged success writes nothing; a
// conflict or a refusal stays on the item with its error, and later items go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { activePublicKeys, validateKeyringDoc, verifyDecisionDocument, type KeyringDoc } from '@sealtime/shared';
import { startSealtimeServer, type SealtimeServer } from '@sealtime/sync-server/testing';
import { signCorrectionDecision } from '../admin/corrections.js';
import { DIRECTORY_DB } from '../admin/directory-docs.js';
import { inboxWrite } from '../admin/inbox-publisher.js';
import { unlockRing } from '../admin/key-custody.js';
import { ServerClient } from '../admin/node/server-client.js';
import { waitFor } from '../admin/test-support/admin-server.js';
import type { OutboxItemView } from '../api/admin-api.js';
import { Outbox } from './outbox.js';
import { openReplicaStore } from './replica-store.js';
import { createReviewOrg, HR_USER, PASSPHRASE, type ReviewOrg } from './test-support/review-org.js';

const CHILD = fileURLToPath(new URL('./test-support/core-child.ts', import.meta.url));
let org: ReviewOrg;
let restarted: SealtimeServer | null = null;
const children: ChildProcess[] = [];
const dirs: string[] = [];
let hrRing: KeyringDoc;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada'], dates: ['2026-12-01'], timeZone: 'UTC' });
  const v = validateKeyringDoc(JSON.parse(await readFile(org.hrRingFile, 'utf8')));
  if (!v.ok) throw new Error(v.error.message);
  hrRing = v.value;
}, 240_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await restarted?.close();
  await org?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The same server again: same data, same port (the profile holds its URL). */
async function restartServer(): Promise<SealtimeServer> {
  restarted = await startSealtimeServer({
    dataDir: join(org.srv.dir, 'server'),
    listen: { host: '127.0.0.1', port: Number(new URL(org.srv.url).port) },
    logger: pino({ level: 'silent' }),
  });
  return restarted;
}

type Answer = { id: number; ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** A core process: send a command, get its answer. */
async function coreProcess(
  dataDir: string,
): Promise<{ proc: ChildProcess; call: (op: string, extra?: object) => Promise<Answer> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, 'UTC', org.hrRingFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(proc);
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const waiting = new Map<number, (a: Answer) => void>();
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const m = JSON.parse(line) as Answer & { ready?: boolean };
    if (m.ready) ready();
    else waiting.get(m.id)?.(m);
  });
  const exited = new Promise<never>((_r, reject) =>
    proc.on('exit', (code) => reject(new Error(`core process exited (${code}): ${err.slice(-2000)}`))),
  );
  await Promise.race([isReady, exited]);
  let n = 0;
  const call = (op: string, extra: object = {}) =>
    Promise.race([
      new Promise<Answer>((resolve) => {
        const id = ++n;
        waiting.set(id, resolve);
        proc.stdin!.write(`${JSON.stringify({ id, op, ...extra })}\n`);
      }),
      exited,
    ]);
  return { proc, call };
}

const items = async (call: (op: string) => Promise<Answer>): Promise<OutboxItemView[]> => {
  const a = await call('outbox');
  if (!a.ok) throw new Error(`${a.error!.code}: ${a.error!.message}`);
  return (a.result as { items: OutboxItemView[] }).items;
};

describe('outbox', () => {
  it('offline decision: queued, survives kill -9, delivered exactly once when the server is back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'st-outbox-'));
    dirs.push(dataDir);
    const a = await coreProcess(dataDir);
    expect(
      (await a.call('signIn', { params: { serverUrl: org.srv.url, user: HR_USER.id, password: HR_USER.password } })).ok,
    ).toBe(true);
    expect((await a.call('unlock', { params: { passphrase: PASSPHRASE } })).result).toMatchObject({
      state: 'unlocked',
      role: 'hr',
    });
    expect((await a.call('awaitInSync')).ok).toBe(true);

    await org.srv.s.close();
    const decided = await a.call('request', {
      name: 'decideCorrection',
      params: {
        requestId: org.correctionRequestId,
        employeeId: 'ada',
        decision: 'approved',
        comment: 'badge reader fixed',
      },
    });
    expect(decided).toMatchObject({ ok: true, result: { status: 'queued' } });
    const queued = await items(a.call);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ type: 'correction-decision', refs: [org.correctionRequestId], state: 'waiting' });
    expect(queued[0]!.what).toContain(`approve correction ${org.correctionRequestId}`);
    expect(queued[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(queued[0]!.lastError).toMatch(/cannot reach/);
    // the same decision again is refused locally: one action per request
    expect(
      await a.call('request', {
        name: 'decideCorrection',
        params: { requestId: org.correctionRequestId, employeeId: 'ada', decision: 'rejected' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    a.proc.kill('SIGKILL');
    await new Promise((r) => a.proc.once('exit', r));

    const b = await coreProcess(dataDir);
    expect((await b.call('unlock', { params: { passphrase: PASSPHRASE } })).result).toMatchObject({
      state: 'unlocked',
    });
    const after = await items(b.call);
    expect(after.map((i) => i.id)).toEqual([queued[0]!.id]);
    expect(after[0]!.createdAt).toBe(queued[0]!.createdAt);

    const srv = await restartServer();
    await waitFor('the outbox to empty', async () => (await items(b.call)).length === 0, 60_000, 250);
    const noted = ((await b.call('outbox')).result as { delivered: Array<{ id: string; refs: string[] }> }).delivered;
    expect(noted).toMatchObject([{ id: queued[0]!.id, refs: [org.correctionRequestId] }]);

    const inbox = await org.ctx.client.allDocs<{ type?: string; doc?: unknown }>('st-emp-ada-inbox');
    const decisions = inbox.filter((d) => d.type === 'correction-decision');
    expect(decisions.map((d) => d._id)).toEqual([`correction-decision:${org.correctionRequestId}`]);
    expect(decisions[0]!._rev).toMatch(/^1-/); // one write, no second revision
    // as the agent checks it: signed by the HR key
    const verified = verifyDecisionDocument(decisions[0]!.doc, 'ada', [activePublicKeys(hrRing)!.signPublicKey]);
    expect(verified).toMatchObject({
      ok: true,
      value: {
        requestId: org.correctionRequestId,
        decision: 'approved',
        decidedBy: HR_USER.id,
        comment: 'badge reader fixed',
      },
    });
    b.proc.kill('SIGTERM');
    expect(srv.url).toBe(org.srv.url);
  }, 240_000);

  it('a resend after an unacknowledged success writes nothing; conflicts and refusals stay on their item while later ones go', async () => {
    const srv = restarted ?? (await restartServer());
    const dir = await mkdtemp(join(tmpdir(), 'st-outbox-unit-'));
    dirs.push(dir);
    const store = await openReplicaStore(dir);
    const hr = new ServerClient({ url: srv.url });
    const client = hr.withToken((await hr.login(HR_USER.id, HR_USER.password)).token);
    const outbox = new Outbox({ collection: store.db.outbox, client: () => client, minRetryMs: 100, maxRetryMs: 400 });
    try {
      const ring = unlockRing(hrRing, PASSPHRASE);
      const decision = (requestId: string, d: 'approved' | 'rejected', at: number) =>
        inboxWrite('ada', [
          signCorrectionDecision(
            { requestId, employeeId: 'ada', decision: d, decidedBy: HR_USER.id, decidedAt: at },
            ring,
          ),
        ]);

      // the first attempt reached the server, the app died before removing the item
      const first = decision('req-x', 'approved', 1000);
      await client.bulkDocs(first.db, first.docs);
      await outbox.enqueue({
        id: 'a-resent',
        type: 'correction-decision',
        what: 'approve req-x',
        ...first,
        mode: 'create',
      });
      await outbox.flush();
      expect(await outbox.list()).toEqual([]);
      expect((await client.getDoc(first.db, first.docs[0]!._id))!._rev).toMatch(/^1-/);

      // someone else decided req-x otherwise: a conflict, kept with its error
      const other = decision('req-x', 'rejected', 2000);
      await outbox.enqueue({
        id: 'b-conflict',
        type: 'correction-decision',
        what: 'reject req-x',
        ...other,
        mode: 'create',
      });
      // HR may not write the directory: a refusal, kept
      await outbox.enqueue({
        id: 'c-refused',
        type: 'test',
        what: 'write the directory',
        db: DIRECTORY_DB,
        docs: [{ _id: 'not-for-hr', x: 1 }],
        mode: 'create',
      });
      // and a later, valid one still goes
      const later = decision('req-y', 'approved', 3000);
      await outbox.enqueue({
        id: 'd-later',
        type: 'correction-decision',
        what: 'approve req-y',
        ...later,
        mode: 'create',
      });
      await outbox.flush();
      const left = await outbox.list();
      expect(left.map((i) => [i.id, i.state])).toEqual([
        ['b-conflict', 'refused'],
        ['c-refused', 'refused'],
      ]);
      expect(left[0]!.lastError).toMatch(
        /conflict: st-emp-ada-inbox already holds a different correction-decision:req-x/,
      );
      expect(left[1]!.lastError).toMatch(/refused \(403\)/);
      expect(
        (await client.getDoc<{ doc: { decision: { decision: string } } }>(first.db, first.docs[0]!._id))!.doc.decision
          .decision,
      ).toBe('approved');
      expect(await client.getDoc(later.db, later.docs[0]!._id)).not.toBeNull();

      // a transient failure blocks the queue in order: nothing after it is tried
      await outbox.discard('b-conflict');
      await outbox.discard('c-refused');
      const down = new Outbox({
        collection: store.db.outbox,
        client: () => new ServerClient({ url: 'http://127.0.0.1:9', token: 'x' }),
        minRetryMs: 100,
        maxRetryMs: 400,
      });
      await down.enqueue({
        id: 'e-first',
        type: 'correction-decision',
        what: 'approve req-z',
        ...decision('req-z', 'approved', 4000),
        mode: 'create',
      });
      await down.enqueue({
        id: 'f-second',
        type: 'correction-decision',
        what: 'approve req-w',
        ...decision('req-w', 'approved', 5000),
        mode: 'create',
      });
      await down.flush();
      const blocked = await down.list();
      await down.stop();
      expect(blocked.map((i) => [i.id, i.state, i.attempts > 0])).toEqual([
        ['e-first', 'waiting', true],
        ['f-second', 'waiting', false],
      ]);
    } finally {
      await outbox.stop();
      await store.close();
    }
  }, 120_000);
});
