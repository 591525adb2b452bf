// The privacy centre opens the employee's records with the key ring from
// their inbox (no file by hand): the right passphrase decrypts what the
// recorder sealed to that ring, a wrong one opens nothing and says so, and a
// ring not arrived yet is said in words. A chosen file still wins.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  activePublicKeys,
  createKeyring,
  initSodium,
  newPwhashParams,
} from '@sealtime/shared';
import { exportOwnData, type ImageInclusion } from '../export/export-own-data.js';
import { StaticRecipientDirectory } from '../recorder/recipients.js';
import { Recorder } from '../recorder/recorder.js';
import { makeKeys, tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore } from '../store/agent-store.js';
import { loadOwnData, ownKeyring } from './own-data.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASS = 'the employee passphrase 42';

describe('own data from the inbox key ring', () => {
  it('unlocks the ring with the passphrase and decrypts the records sealed to it', async () => {
    await initSodium();
    const ring = createKeyring({
      ownerId: 'ana',
      role: 'employee',
      passphrase: PASS,
      now: 1,
      params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
    });
    if (!ring.ok) throw new Error(ring.error.message);
    const wrapped = JSON.parse(JSON.stringify(ring.value.unlocked.doc)) as unknown; // as the inbox holds it
    const employeeKey = activePublicKeys(ring.value.unlocked.doc)!.boxPublicKey;

    const t = tempDir('st-own-data-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(join(t.dir, 'db'));
    cleanups.push(() => store.close());
    const keys = await makeKeys();
    const recorder = await Recorder.open({
      store,
      device: keys.device,
      recipients: new StaticRecipientDirectory({
        organisation: keys.roles.organisation.publicKey,
        employee: employeeKey,
      }),
    });
    expect(
      (
        await recorder.record('attendance', {
          v: 1,
          at: 1_764_000_000_000,
          type: 'clock-in',
          source: 'manual',
        } as never)
      ).ok,
    ).toBe(true);
    await recorder.close();

    let inbox: unknown = null;
    const agent = {
      exportOwnData: (keyPairs: Parameters<typeof exportOwnData>[0]['keyPairs'], images?: ImageInclusion) =>
        exportOwnData({ store, device: keys.device, keyPairs, includeImages: images ?? false }),
      ownKeyring: async () => inbox,
    };

    const none = await ownKeyring(agent, undefined);
    expect(none).toMatchObject({
      ok: false,
      error: { code: 'no-keyring', message: /has not reached this computer yet/ },
    });

    inbox = wrapped;
    const fromInbox = await ownKeyring(agent, undefined);
    if (!fromInbox.ok) throw new Error(fromInbox.error.message);
    const wrong = await loadOwnData(agent, fromInbox.value, 'not the passphrase at all');
    expect(wrong).toMatchObject({ ok: false, error: { message: /^the key ring does not open/ } });
    const opened = await loadOwnData(agent, fromInbox.value, PASS);
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.summary).toMatchObject({ records: 1, readable: 1 });
    expect(opened.value.records[0]!.payload).toMatchObject({ type: 'clock-in' });

    // a chosen file wins over the inbox; a file that is not a ring is refused in words
    const file = join(t.dir, 'ring.json');
    writeFileSync(file, 'not json');
    expect(await ownKeyring(agent, file)).toEqual({
      ok: false,
      error: { code: 'bad-keyring', message: 'the key ring is not JSON' },
    });
  });
});
