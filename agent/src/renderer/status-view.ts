/**
 * The agent's status as the privacy centre says it: sentences, not fields.
 * "29 items (108 KB) waiting since 14:55; server unreachable since 14:55;
 * they upload automatically" in a warning tone; errors in words with the
 * technical text kept apart (the page folds it away); times local.
 * Pure: the zone and `now` are parameters.
 */
import type { OpenedRecord } from '@sealtime/shared/views';
import type { StatusSnapshot } from '../ipc/status-snapshot.js';
import { localDate, whenText } from './local-time.js';
import { policySentence, policySummary, type SummaryLine } from './policy-summary.js';
import { todaysProductivity } from './productivity-line.js';

export type Tone = 'ok' | 'warning' | 'problem' | 'neutral';

export interface Fact {
  label: string;
  text: string;
  tone: Tone;
  /** The raw technical text behind `text`, shown folded. */
  detail?: string;
}

export interface Row {
  label: string;
  value: string;
}

export interface StatusView {
  headline: { text: string; tone: Tone };
  now: Fact[];
  sync: Fact[];
  device: Row[];
  policy: { sentence: string; lines: SummaryLine[]; layers: string[] } | null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A sync or capture error's technical message, said in words. */
export function errorInWords(message: string): string {
  if (/ECONNREFUSED/.test(message)) return 'the server refused the connection (it may be down or restarting)';
  if (/ENOTFOUND|EAI_AGAIN/.test(message))
    return "the server's name could not be found (no network, or a wrong address)";
  if (/ETIMEDOUT|CONNECT_TIMEOUT|timed? ?out/i.test(message)) return 'the server did not answer in time';
  if (/ECONNRESET|EPIPE|socket hang up|other side closed/i.test(message))
    return 'the connection to the server broke off';
  if (/ENETUNREACH|EHOSTUNREACH/.test(message)) return 'this computer has no route to the server (no network?)';
  if (/certificate|CERT_|self[- ]signed|SSL|TLS/i.test(message))
    return "the server's certificate could not be verified";
  if (/\b401\b|unauthori[sz]ed/i.test(message)) return "the server did not accept this device's credentials";
  if (/\b403\b|forbidden/i.test(message)) return 'the server refused access to this device';
  if (/\b5\d\d\b/.test(message)) return 'the server had an internal problem';
  if (/ENOSPC|disk is full|no space/i.test(message)) return 'the disk is full';
  return 'an unexpected error';
}

const SOURCE_TEXT: Record<string, string> = {
  input: 'Counting keyboard and mouse input',
  window: 'Reading the active app',
  idle: 'Detecting idle time',
  screenshot: 'Taking a screenshot',
  system: 'Watching sleep and screen lock',
  integrity: 'Checking the clock',
};

const LEVEL_TEXT: Record<string, string> = {
  organisation: 'your organisation',
  team: 'your team',
  employee: 'you',
  device: 'this device',
};

/**
 * `own`: the employee's records as this computer opened them (the privacy
 * centre has them once they load); with them the view says today's
 * productivity, classified by the delivered rules as reviewers classify it.
 */
export function statusView(
  snap: StatusSnapshot,
  timeZone: string,
  own?: { records: readonly OpenedRecord[] },
): StatusView {
  const t = (at: number | string | null) => whenText(at, snap.now, timeZone);
  const s = snap.agent;
  if (!s) {
    const headline =
      snap.app.phase === 'not-enrolled'
        ? { text: 'This computer is not set up for Sealtime: nothing is recorded.', tone: 'neutral' as const }
        : snap.app.phase === 'failed'
          ? {
              text: `The agent is not running: ${errorInWords(snap.app.error ?? '')}. Nothing is recorded.`,
              tone: 'problem' as const,
            }
          : { text: 'The agent is starting…', tone: 'neutral' as const };
    return { headline, now: [], sync: [], device: [], policy: null };
  }

  const now: Fact[] = [];
  const c = s.capture;
  const capture: Fact =
    c.state === 'running'
      ? { label: 'Recording', text: 'Recording now, as described below', tone: 'ok' }
      : c.state === 'waiting-for-keys'
        ? {
            label: 'Recording',
            text: "Not recording yet: waiting for your organisation's keys from the server",
            tone: 'warning',
            ...(c.reason ? { detail: c.reason } : {}),
          }
        : c.state === 'starting'
          ? { label: 'Recording', text: 'Starting to record…', tone: 'neutral' }
          : c.state === 'off'
            ? { label: 'Recording', text: 'Not recording on this computer', tone: 'neutral' }
            : { label: 'Recording', text: 'Recording has stopped', tone: 'neutral' };
  now.push(capture);
  if (c.lastError) {
    now.push({
      label: 'Last problem',
      text: `${SOURCE_TEXT[c.lastError.source] ?? 'Recording'} failed at ${t(c.lastError.at)}: ${errorInWords(c.lastError.message)}`,
      tone: 'warning',
      detail: `${c.lastError.source} ${c.lastError.code}: ${c.lastError.message}`,
    });
  }
  const a = s.attendance;
  if (a) {
    const text =
      a.state === 'working'
        ? `Clocked in${a.since ? ` since ${t(a.since)}` : ''}`
        : a.state === 'on-break'
          ? `On a break${a.since ? ` since ${t(a.since)}` : ''}`
          : 'Not clocked in';
    now.push({ label: 'Attendance', text, tone: 'neutral' });
  }
  if (own) {
    const p = todaysProductivity({
      records: own.records,
      rules: s.productivityRules ?? [],
      today: localDate(snap.now, timeZone),
      timeZone,
    });
    now.push({ label: 'Productivity', text: `Today: ${p.line}`, tone: 'neutral' });
  } else if ((s.productivityRules ?? []).length > 0) {
    // the records are sealed: classifying them needs them opened with the employee's passphrase
    now.push({ label: 'Productivity', text: "Open your records below to see today's productivity", tone: 'neutral' });
  }

  const sync: Fact[] = [];
  const b = s.backlog;
  const reach = s.connected
    ? null
    : s.lastSyncAt
      ? `server unreachable since ${t(s.lastSyncAt)}`
      : 'the server has not been reached yet';
  if (b.records.count === 0 && b.blobs.count === 0) {
    sync.push({
      label: 'Upload',
      text: s.connected
        ? `Everything is uploaded${s.lastSyncAt ? ` (last upload ${t(s.lastSyncAt)})` : ''}`
        : `Nothing is waiting to upload; ${reach}`,
      tone: s.connected ? 'ok' : 'neutral',
    });
  } else {
    const items = [
      b.records.count > 0 ? count(b.records.count, 'item') : null,
      b.blobs.count > 0 ? count(b.blobs.count, 'screenshot image') : null,
    ]
      .filter(Boolean)
      .join(' and ');
    const since = b.oldestAt ? ` since ${t(b.oldestAt)}` : '';
    const waiting = `${items} (${formatBytes(b.bytes)}) waiting${since}`;
    sync.push(
      s.connected
        ? { label: 'Upload', text: `${waiting}; uploading now`, tone: 'neutral' }
        : { label: 'Upload', text: `${waiting}; ${reach}; they upload automatically once it is back`, tone: 'warning' },
    );
  }
  if (b.lastError)
    sync.push({
      label: 'Last upload error',
      text: `At ${t(b.lastError.at)}: ${errorInWords(b.lastError.message)}`,
      tone: 'warning',
      detail: b.lastError.message,
    });

  const headline: StatusView['headline'] =
    c.state !== 'running'
      ? { text: capture.text, tone: capture.tone === 'ok' ? 'neutral' : capture.tone }
      : !s.connected && b.count > 0
        ? {
            text: 'Recording. Some records are waiting to upload: the server cannot be reached right now.',
            tone: 'warning',
          }
        : { text: 'Recording, as described below.', tone: 'ok' };

  const lines = policySummary(s.policy.effective, s.policy.sources);
  return {
    headline,
    now,
    sync,
    device: [
      { label: 'Device', value: s.device.deviceId },
      { label: 'Employee', value: s.device.employeeId },
      { label: 'Team', value: s.device.teamId ?? 'none' },
      { label: 'Server', value: s.device.serverUrl },
      { label: 'Organisation key', value: s.device.orgKeyFingerprint },
      { label: 'Set up', value: t(s.device.enrolledAt) },
    ],
    policy: {
      sentence: policySentence(lines),
      lines,
      layers: s.policy.layers.map((l) => `${LEVEL_TEXT[l.level] ?? l.level} (${l.id}), issued ${t(l.issuedAt)}`),
    },
  };
}
