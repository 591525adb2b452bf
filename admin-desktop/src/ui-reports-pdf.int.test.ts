// PDF export in the ui mode: the browser prints the Reports screen (Chromium's
// print to PDF, as "Save as PDF" in the print dialog does); the PDF's text,
// read back with poppler's pdftotext, holds every person and the totals and
// none of the screen's controls.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewOrg, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
let ui: UiSession | null = null;
let dir = '';

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob', 'cleo'], dates: ['2026-11-30', '2026-12-01'], timeZone: 'UTC' });
  dir = await mkdtemp(join(tmpdir(), 'st-pdf-'));
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await org?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Reports → PDF in Chromium', () => {
  it('prints every row and the totals, without the controls', async () => {
    ui = await openUi();
    const { page } = ui;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    await page.getByLabel('date', { exact: true }).fill('2026-12-01');
    await page.getByRole('button', { name: 'Reports' }).click();
    await expect.poll(() => page.locator('main').textContent(), { timeout: 60_000 }).toMatch(/ada.*bob.*cleo/);
    await expect
      .poll(() => page.locator('.reports .stats').textContent(), { timeout: 60_000 })
      .toMatch(/Total worked24:00 h/);

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const { stdout: text } = await promisify(execFile)('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('Reports');
    for (const name of ['ada', 'bob', 'cleo']) expect(text).toMatch(new RegExp(`\\b${name}\\b.*8:00`));
    expect(text).toMatch(/TOTAL WORKED/i);
    expect(text).toContain('24:00 h');
    expect(text).toMatch(/Total\s+24:00\s+24.00/);
    expect(text).not.toMatch(/Export CSV|Print \/ PDF|Lock|Dashboard/);
    expect(consoleProblems(ui.console)).toEqual([]);
  }, 300_000);
});
