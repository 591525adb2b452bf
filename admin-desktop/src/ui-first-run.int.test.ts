// End to end in Chromium: the first admin on a fresh server signs in, sets
// up the organisation from the app (keys made in the core, wrapped with the
// passphrase), sees the recovery keys and the organisation fingerprint once,
// then unlocks with that passphrase and reaches the screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminTestServer, type AdminTestServer } from './admin/test-support/admin-server.js';
import { consoleProblems, openUi, saveScreen, type UiSession } from './test-support/ui-harness.js';

const ROOT_PASSWORD = 'admin test super password 1';
const PASSPHRASE = 'a long first-run passphrase';
let srv: AdminTestServer;
let ui: UiSession | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  srv = await startAdminTestServer();
}, 120_000);
afterAll(async () => {
  await ui?.close();
  await srv?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('first run in the ui', () => {
  it('sets up a new organisation, shows the recovery keys and fingerprint, then unlocks', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'st-ui-first-run-'));
    dirs.push(dataDir);
    ui = await openUi({ dataDir });
    const { page } = ui;
    await page.getByRole('heading', { name: 'Sign in to Sealtime' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Server').fill(srv.url);
    await page.getByLabel('User').fill('root');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/refused this user id and password/);
    await page.getByLabel('Password').fill(ROOT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Unlock' }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Set up a new organisation' }).click();
    await page.getByLabel('Organisation id').fill('acme');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill('a different passphrase');
    await page.getByRole('button', { name: 'Create the organisation keys' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toBe('the two passphrases differ');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create the organisation keys' }).click();
    await page.getByRole('heading', { name: 'Organisation acme is set up' }).waitFor({ timeout: 120_000 });
    const fingerprint = (await page.locator('code.fingerprint').textContent()) ?? '';
    expect(fingerprint.length).toBeGreaterThan(16);
    const keys = await page.locator('.recovery-keys pre').allTextContents();
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    await saveScreen(page, 'first-run');

    // the fingerprint shown is the one this profile pinned; the recovery keys are kept nowhere on disk
    const trust = JSON.parse(await readFile(join(dataDir, 'profile', 'trust.json'), 'utf8')) as Array<{
      orgId: string;
      orgFingerprint: string;
    }>;
    expect(trust).toMatchObject([{ orgId: 'acme', orgFingerprint: fingerprint }]);
    const stored = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    for (const f of stored) {
      const bytes = await readFile(join(f.parentPath, f.name));
      for (const k of keys) expect(bytes.includes(Buffer.from(k.trim()))).toBe(false);
    }

    await page.getByRole('button', { name: 'I have stored them: unlock' }).click();
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'screens' }).waitFor({ timeout: 120_000 });
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 420_000);
});
