// The status in sentences: backlog counts that add up, the outage said in
// words with its time, errors in words with the raw text kept apart, times
// local, no "record(s)".
import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../ipc/status-snapshot.js';
import { statusFixture } from '../tray/status.fixture.js';
import type { ProductivityRuleSet } from '@sealtime/shared/views';
import { at, rec } from '@sealtime/shared/testing';
import { errorInWords, formatBytes, statusView } from './status-view.js';
import { MAIL_RULE, organisationRules, TERMINAL_RULE, YOUTUBE_RULE } from './test-support/rule-sets.js';

const BER = 'Europe/Berlin';
const now = Date.parse('2026-12-06T14:00:00Z'); // 15:00 in Berlin
const snap = (agent: StatusSnapshot['agent']): StatusSnapshot => ({
  app: { version: '0.1.0', phase: 'running', error: null },
  agent,
  now,
});
const refused = 'pull failed: GET _changes: fetch failed (connect ECONNREFUSED 127.0.0.1:5984)';

describe('status view', () => {
  it('says a backlog behind an unreachable server as one warning sentence', () => {
    const s = statusFixture({
      connected: false,
      lastSyncAt: '2026-12-06T13:55:10.000Z',
      backlog: {
        count: 29,
        oldestAt: '2026-12-06T13:55:01.496Z',
        bytes: 110_600,
        lastError: { message: refused, at: '2026-12-06T13:58:00.000Z' },
        records: { count: 29, bytes: 40_000 },
        blobs: { count: 0, bytes: 0 },
      },
    });
    const v = statusView(snap(s), BER);
    expect(v.sync[0]).toEqual({
      label: 'Upload',
      text: '29 items (108 KB) waiting since 14:55; server unreachable since 14:55; they upload automatically once it is back',
      tone: 'warning',
    });
    expect(v.sync[1]).toEqual({
      label: 'Last upload error',
      text: 'At 14:58: the server refused the connection (it may be down or restarting)',
      tone: 'warning',
      detail: refused,
    });
    expect(v.headline.tone).toBe('warning');
    expect(JSON.stringify(v)).not.toMatch(/record\(s\)|T13:5|Z"/);
  });

  it('counts items and screenshot images as separate things that add up', () => {
    const s = statusFixture({
      backlog: {
        count: 29,
        oldestAt: '2026-12-06T13:55:00.000Z',
        bytes: 3 * 1024 * 1024,
        lastError: null,
        records: { count: 29, bytes: 1000 },
        blobs: { count: 26, bytes: 3 * 1024 * 1024 - 1000 },
      },
    });
    expect(statusView(snap(s), BER).sync[0]!.text).toBe(
      '29 items and 26 screenshot images (3.0 MB) waiting since 14:55; uploading now',
    );
    const one = statusFixture({
      backlog: {
        count: 1,
        oldestAt: '2026-12-05T08:00:00.000Z',
        bytes: 900,
        lastError: null,
        records: { count: 1, bytes: 900 },
        blobs: { count: 0, bytes: 0 },
      },
    });
    expect(statusView(snap(one), BER).sync[0]!.text).toBe(
      '1 item (900 B) waiting since Sat 5 Dec, 09:00; uploading now',
    );
  });

  it('says all is uploaded when it is', () => {
    const v = statusView(snap(statusFixture({ lastSyncAt: '2026-12-06T13:59:00.000Z' })), BER);
    expect(v.sync).toEqual([{ label: 'Upload', text: 'Everything is uploaded (last upload 14:59)', tone: 'ok' }]);
    expect(v.headline).toEqual({ text: 'Recording, as described below.', tone: 'ok' });
  });

  it('explains capture states and problems in words, the raw text apart', () => {
    const waiting = statusView(
      snap(statusFixture({ capture: { state: 'waiting-for-keys', reason: 'no recipients document yet' } })),
      BER,
    );
    expect(waiting.headline).toEqual({
      text: "Not recording yet: waiting for your organisation's keys from the server",
      tone: 'warning',
    });
    const failed = statusView(
      snap(
        statusFixture({
          capture: {
            state: 'running',
            lastError: {
              source: 'screenshot',
              code: 'capture-failed',
              message: 'xwd exited 1',
              at: '2026-12-06T13:40:00.000Z',
            },
          },
        }),
      ),
      BER,
    );
    expect(failed.now[1]).toEqual({
      label: 'Last problem',
      text: 'Taking a screenshot failed at 14:40: an unexpected error',
      tone: 'warning',
      detail: 'screenshot capture-failed: xwd exited 1',
    });
  });

  it('shows attendance with local times', () => {
    const v = statusView(
      snap(
        statusFixture({
          attendance: {
            state: 'working',
            since: Date.parse('2026-12-06T08:02:00Z'),
            date: '2026-12-06',
            timeZone: BER,
          },
        }),
      ),
      BER,
    );
    expect(v.now.find((f) => f.label === 'Attendance')?.text).toBe('Clocked in since 09:02');
  });

  it('says whose policy it is, and the policy in one sentence', () => {
    const s = statusFixture({
      policy: {
        sources: { 'screenshots.enabled': 'organisation:acme' },
        layers: [{ level: 'organisation', id: 'acme', issuedAt: '2026-12-06T13:02:00.000Z' }],
      },
    });
    const v = statusView(snap(s), BER);
    expect(v.policy?.layers).toEqual(['your organisation (acme), issued 14:02']);
    expect(v.policy?.sentence).toMatch(/^No screenshots; app names, not window titles;/);
  });

  it('has no agent status before enrolment or after a failure', () => {
    expect(
      statusView({ app: { version: '0.1.0', phase: 'not-enrolled', error: null }, agent: null, now }, BER).headline
        .text,
    ).toBe('This computer is not set up for Sealtime: nothing is recorded.');
    const failed = statusView({ app: { version: '0.1.0', phase: 'failed', error: 'EACCES' }, agent: null, now }, BER);
    expect(failed).toMatchObject({ now: [], sync: [], policy: null, headline: { tone: 'problem' } });
  });

  it.each([
    ['connect ECONNREFUSED 10.0.0.1:443', 'the server refused the connection (it may be down or restarting)'],
    ['getaddrinfo ENOTFOUND sync.example', "the server's name could not be found (no network, or a wrong address)"],
    ['UND_ERR_CONNECT_TIMEOUT', 'the server did not answer in time'],
    ['socket hang up', 'the connection to the server broke off'],
    ['self-signed certificate in certificate chain', "the server's certificate could not be verified"],
    ['HTTP 401', "the server did not accept this device's credentials"],
    ['HTTP 503 Service Unavailable', 'the server had an internal problem'],
    ['something else', 'an unexpected error'],
  ])('"%s" reads "%s"', (raw, words) => {
    expect(errorInWords(raw)).toBe(words);
  });

  it('writes sizes', () => {
    expect([0, 1023, 110_600, 5 * 1024 * 1024].map(formatBytes)).toEqual(['0 B', '1023 B', '108 KB', '5.0 MB']);
  });

  describe("today's productivity, classified as reviewers classify it", () => {
    const rules = organisationRules([TERMINAL_RULE, MAIL_RULE, YOUTUBE_RULE]);
    const records = [
      rec('app-event', { start: at('2026-12-06', '09:00'), durationMs: 7_200_000, app: 'XTerm', title: 'make' }),
      rec('app-event', { start: at('2026-12-06', '11:00'), durationMs: 900_000, app: 'Thunderbird' }),
      rec('app-event', {
        start: at('2026-12-06', '11:15'),
        durationMs: 1_500_000,
        app: 'firefox',
        url: 'https://www.youtube.com/watch',
      }),
      rec('app-event', { start: at('2026-12-06', '12:00'), durationMs: 600_000, app: 'gimp' }),
      // yesterday's hour is not today's
      rec('app-event', { start: at('2026-12-05', '09:00'), durationMs: 3_600_000, app: 'XTerm' }),
    ];
    const withRules = { ...statusFixture(), productivityRules: rules };
    const fact = (v: ReturnType<typeof statusView>) => v.now.find((f) => f.label === 'Productivity');

    it.each([
      [
        'rules and opened records',
        rules,
        records,
        'Today: 2 h 00 min productive, 15 min neutral, 25 min unproductive, 10 min unclassified',
      ],
      ['rules, no app time today', rules, records.slice(4), 'Today: no app time recorded'],
      [
        'no rules delivered',
        [],
        records,
        'Today: not classified: your organisation has published no productivity rules',
      ],
    ] as const)('%s', (_what, r, recs, text) => {
      const v = statusView(snap({ ...statusFixture(), productivityRules: [...r] }), BER, { records: recs });
      expect(fact(v)).toEqual({ label: 'Productivity', text, tone: 'neutral' });
    });

    it('before the records are opened, says where to see it (they are sealed)', () => {
      expect(fact(statusView(snap(withRules), BER))?.text).toBe("Open your records below to see today's productivity");
      expect(fact(statusView(snap(statusFixture()), BER))).toBeUndefined();
    });
  });
});
