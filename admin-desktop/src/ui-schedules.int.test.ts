// End to end, attendance against schedules: `sealtime-admin ui` against a real
// server with an organisation, Debian's Chromium. The admin publishes the
// organisation's schedule (Europe/Berlin, 09:00–17:00, grace 5) and a holiday
// in the Schedules screen (signed by the organisation key: checked on the
// server's copy); HR, on a fresh data dir, sees its attendance measured in
// Berlin time: bob (10:00 Berlin) marked late, a working day with no clock-in
// marked absent, the holiday not; and reads the schedules without an editor.
// Saves docs/screens/schedules.png and docs/screens/attendance-schedule.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyHolidaysDocument, verifyScheduleDocument } from '@sealtime/shared';
import { DIRECTORY_DB } from './admin/directory-docs.js';
import { createReviewOrg, HR_USER, PASSPHRASE, ROOT_PASSWORD, type ReviewOrg } from './core/test-support/review-org.js';
import { consoleProblems, openUi, saveScreen, signInAndUnlock, type UiSession } from './test-support/ui-harness.js';

let org: ReviewOrg;
const sessions: UiSession[] = [];

beforeAll(async () => {
  // records in UTC: ada 08:00–16:00 (09:00–17:00 in Berlin), bob 09:00–17:00 (10:00–18:00 in Berlin), Tue 1 and Wed 2 Dec
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01', '2026-12-02'], timeZone: 'UTC' });
}, 240_000);
afterAll(async () => {
  for (const s of sessions) await s.close();
  await org?.close();
});

async function stored(id: string): Promise<Record<string, unknown>> {
  const { _id: _i, _rev: _r, ...body } = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, id))!;
  return body;
}

describe('schedules in Chromium', () => {
  it('the admin publishes a schedule and a holiday; HR sees late, absent and holiday marks in the schedule’s zone', async () => {
    const admin = await openUi({ viewport: { width: 1280, height: 900 } });
    sessions.push(admin);
    let page = admin.page;
    await signInAndUnlock(page, { server: org.srv.url, user: 'root', password: ROOT_PASSWORD, passphrase: PASSPHRASE });
    await page.getByRole('button', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Work schedules' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.schedules').textContent()).toContain('No schedule has been published yet.');

    // the organisation: weekdays 09:00–17:00 (the editor's first draft), in Berlin, from 1 Nov
    await page.getByLabel('Effective from').fill('2026-11-01');
    await page.getByLabel('Time zone').fill('Mars/Base');
    await page.getByRole('button', { name: 'Publish schedule' }).click();
    await expect
      .poll(() => page.locator('.schedules [role="alert"]').textContent(), { timeout: 30_000 })
      .toMatch(/timeZone: 'Mars\/Base' is not an IANA time zone/);
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Publish schedule' }).click();
    await expect
      .poll(() => page.locator('.schedules .notice').textContent(), { timeout: 30_000 })
      .toBe('Published schedule:organisation:acme.');
    await page.getByLabel(/Dates \(YYYY-MM-DD/).fill('2026-12-04');
    await page.getByRole('button', { name: 'Publish holidays' }).click();
    await expect
      .poll(() => page.locator('.schedules .notice').textContent(), { timeout: 30_000 })
      .toBe('Published holidays:acme.');

    const effective = page.locator('table.schedules-effective tbody tr');
    await expect
      .poll(() => effective.allTextContents(), { timeout: 30_000 })
      .toEqual([
        'adablueMon–Fri 09:00–17:00Europe/Berlin30 min5 minOrganisation acme',
        'bobblueMon–Fri 09:00–17:00Europe/Berlin30 min5 minOrganisation acme',
      ]);
    expect(await page.locator('.schedule-layers').textContent()).toContain(
      'from 2026-11-01: Mon–Fri 09:00–17:00 · Europe/Berlin · break 30 min · grace 5 min',
    );
    await saveScreen(page, 'schedules');

    // what the server holds is signed by the organisation key
    const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
    expect(
      verifyScheduleDocument('schedule:organisation:acme', await stored('schedule:organisation:acme'), [orgKey]),
    ).toMatchObject({
      ok: true,
      value: { versions: [{ effectiveFrom: '2026-11-01', timeZone: 'Europe/Berlin', graceMinutes: 5 }] },
    });
    expect(verifyHolidaysDocument('holidays:acme', await stored('holidays:acme'), [orgKey])).toMatchObject({
      ok: true,
      value: { dates: ['2026-12-04'] },
    });
    expect(consoleProblems(admin.console)).toEqual([]);
    await admin.close();

    // HR on a fresh data dir: the month so far, measured against the schedule
    const hr = await openUi({ viewport: { width: 1280, height: 1000 } });
    sessions.push(hr);
    page = hr.page;
    await signInAndUnlock(page, {
      server: org.srv.url,
      user: HR_USER.id,
      password: HR_USER.password,
      passphrase: PASSPHRASE,
    });
    await page.getByLabel('date', { exact: true }).fill('2026-12-04');
    await page.getByRole('button', { name: 'Attendance' }).click();
    const person = (name: string) => page.locator(`section.attendance-person[aria-label="${name}"]`);
    const row = (name: string, date: string) => person(name).locator(`tr[data-date="${date}"]`);
    await expect.poll(() => row('bob', '2026-12-01').getAttribute('class'), { timeout: 90_000 }).toBe('row-late');
    expect(await person('bob').locator('h2').textContent()).toBe('bob Europe/Berlin (schedule’s zone)');
    // bob: in at 10:00 Berlin against 09:00, grace 5 → late 1:00; 8:00 worked of 7:30 expected
    expect(await row('bob', '2026-12-01').locator('td').allTextContents()).toEqual([
      '09:00–17:00',
      '10:00',
      '18:00',
      '—',
      '7:30',
      '8:00',
      '1:00',
      '—',
      '0:30',
      'Late',
    ]);
    // ada on time; Thursday absent for both; Friday a holiday
    expect(await row('ada', '2026-12-01').getAttribute('class')).toBe('');
    expect(await row('ada', '2026-12-01').locator('td').nth(1).textContent()).toBe('09:00');
    for (const name of ['ada', 'bob']) {
      expect(await row(name, '2026-12-03').getAttribute('class')).toBe('row-absent');
      expect(await row(name, '2026-12-03').textContent()).toContain('Absent');
      expect(await row(name, '2026-12-04').getAttribute('class')).toBe('row-holiday');
    }
    expect(await person('bob').locator('p.small').first().textContent()).toMatch(
      /2 late · 0 left early · 1 absent · 1 holiday/,
    );
    await saveScreen(page, 'attendance-schedule');

    // HR reads the schedules, cannot edit them
    await page.getByRole('button', { name: 'Schedules' }).click();
    await expect.poll(() => page.locator('table.schedules-effective tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByRole('button', { name: 'Publish schedule' }).count()).toBe(0);
    expect(await page.locator('.schedules').textContent()).toContain('only admins edit them');
    expect(await page.locator('.schedules [role="alert"]').count()).toBe(0);
    expect(consoleProblems(hr.console)).toEqual([]);
  }, 420_000);
});
