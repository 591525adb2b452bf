/** A Berlin working day of history for the privacy centre to show, and Berlin wall times to check it by. */
import sharp from 'sharp';
import type { AgentTestServer } from '../../cli/test-support/agent-server.js';
import { encodeThumbnail } from '../../collectors/screenshot/image-encode.js';
import { agentPaths, unlockAgentKeystore } from '../../enroll/data-dir.js';
import { StaticRecipientDirectory } from '../../recorder/recipients.js';
import { Recorder } from '../../recorder/recorder.js';
import { openAgentStore } from '../../store/agent-store.js';
import { EMPLOYEE, TEAM } from './enrolled-agent.js';

export const TZ = 'Europe/Berlin';
export const MIN = 60_000;

export const hm = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
export const berlinDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(ms);
/** Epoch ms of a Berlin wall time on a date (the offset found by trying both). */
export function berlin(date: string, time: string): number {
  for (const off of ['+01:00', '+02:00']) {
    const ms = Date.parse(`${date}T${time}:00${off}`);
    if (hm(ms) === time && berlinDate(ms) === date) return ms;
  }
  throw new Error(`no Berlin time ${date} ${time}`);
}

/** A screenshot-like picture for the history (sharp renders it; the agent's encoder makes its thumbnail). */
async function picture(label: string, hue: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800"><rect width="1280" height="800" fill="#eef1f5"/><rect x="0" y="0" width="1280" height="48" fill="${hue}"/><rect x="40" y="90" width="760" height="40" fill="#c8d0da"/><rect x="40" y="150" width="1180" height="560" fill="#fff" stroke="#c8d0da"/><text x="60" y="118" font-size="28" font-family="sans-serif" fill="#1c2430">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * A day of ana's history sealed by the agent's own recorder into its store:
 * clocked in 08:55, a 12:00–12:30 break, out 17:05; activity every 10 min with
 * an idle spell 14:38–15:07 (kept), four apps, three screenshots.
 */
export async function seedDay(srv: AgentTestServer, dataDir: string, day: string): Promise<void> {
  const paths = agentPaths(dataDir);
  const unlocked = await unlockAgentKeystore(paths);
  const store = await openAgentStore(paths.store);
  const org = srv.org;
  const recorder = await Recorder.open({
    store,
    device: unlocked.identity,
    recipients: new StaticRecipientDirectory({
      organisation: org.org.boxPublicKey,
      hr: org.hr.boxPublicKey,
      team: org.team(TEAM).boxPublicKey,
      employee: org.employee(EMPLOYEE).boxPublicKey,
    }),
  });
  const at = (t: string) => berlin(day, t);
  const rec = async (kind: Parameters<Recorder['record']>[0], payload: unknown) => {
    const r = await recorder.record(kind, payload as never);
    if (!r.ok) throw new Error(`${kind}: ${r.error.message}`);
  };
  await rec('attendance', { v: 1, at: at('08:55'), type: 'clock-in', source: 'manual' });
  for (let m = 0; m < 8 * 60; m += 10) {
    const start = at('09:00') + m * MIN;
    const idle = start >= at('14:30') && start < at('15:10');
    const active = idle ? 60 : 300 + ((m * 37) % 290);
    await rec('activity-slot', {
      v: 1,
      start,
      slotSeconds: 600,
      activeSeconds: active,
      keyPresses: idle ? 0 : active * 2,
      clicks: idle ? 0 : Math.round(active / 5),
      mouseMoves: idle ? 3 : active,
      scrolls: idle ? 0 : 12,
    });
  }
  const apps: Array<[string, string, string, string]> = [
    ['09:00', '10:30', 'LibreOffice Calc', 'quarterly-report.ods'],
    ['10:30', '12:00', 'Firefox', 'Sealtime — privacy centre design'],
    ['12:30', '14:38', 'Code', 'MyRecords.tsx — sealtime'],
    ['15:07', '17:00', 'Thunderbird', 'Inbox'],
  ];
  for (const [from, to, app, title] of apps)
    await rec('app-event', { v: 1, start: at(from), durationMs: at(to) - at(from), app, title });
  await rec('attendance', { v: 1, at: at('12:00'), type: 'break-start', source: 'manual' });
  await rec('attendance', { v: 1, at: at('12:30'), type: 'break-end', source: 'manual' });
  await rec('idle-period', { v: 1, start: at('14:38'), end: at('15:07'), cause: 'no-input', decision: 'kept' });
  for (const [t, label, hue, app] of [
    ['09:04', 'quarterly-report.ods', '#2e7d4f', 'LibreOffice Calc'],
    ['11:12', 'Sealtime — privacy centre design', '#b45309', 'Firefox'],
    ['15:40', 'Inbox (3)', '#2f5f98', 'Thunderbird'],
  ] as const) {
    const image = await picture(label, hue);
    const thumb = await encodeThumbnail(image);
    if (!thumb.ok) throw new Error(thumb.error.message);
    const shot = await recorder.recordScreenshot(
      {
        screen: 0,
        width: 1280,
        height: 800,
        format: 'png',
        blurred: true,
        app,
        thumb: thumb.value.thumb,
        takenAt: at(t),
      },
      image,
    );
    if (!shot.ok) throw new Error(shot.error.message);
  }
  await rec('attendance', { v: 1, at: at('17:05'), type: 'clock-out', source: 'manual' });
  await recorder.close();
  await store.close();
}
