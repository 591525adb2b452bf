import { describe, expect, it } from 'vitest';
import { zonedTimeToEpoch } from '../attendance/time-zone.js';
import {
  decodePayload,
  encodePayload,
  MAX_SLOT_APPS,
  MAX_SLOT_TEXT,
  validatePayload,
  type ActivitySlotPayload,
} from '../records/index.js';
import { SlotAppBook, slotAppUsage, urlHost, type FocusSpan } from './slot-app-usage.js';

const S = 1000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0); // a slot boundary (600 s slots)
const OPEN = { titles: true, urls: true };
const CLOSED = { titles: false, urls: false };
const span = (app: string, from: number, to: number, more: Partial<FocusSpan> = {}): FocusSpan => ({
  app,
  start: T0 + from * S,
  end: T0 + to * S,
  ...more,
});

const slot = (usage: ReturnType<typeof slotAppUsage>, start = T0): ActivitySlotPayload => ({
  v: 2,
  start,
  slotSeconds: 600,
  activeSeconds: 0,
  keyPresses: 0,
  clicks: 0,
  mouseMoves: 0,
  scrolls: 0,
  ...usage,
});

describe('slotAppUsage', () => {
  it.each([
    ['one app all slot', [span('code', 0, 600)], [{ app: 'code', seconds: 600 }], undefined],
    [
      'order of first use, repeat visits summed',
      [span('code', 0, 60), span('firefox', 60, 200), span('code', 200, 260)],
      [
        { app: 'code', seconds: 120 },
        { app: 'firefox', seconds: 140 },
      ],
      undefined,
    ],
    [
      'a span from the previous slot counts only its part inside',
      [span('term', -300, 30), span('code', 30, 90)],
      [
        { app: 'term', seconds: 30 },
        { app: 'code', seconds: 60 },
      ],
      undefined,
    ],
    [
      'a span into the next slot counts only its part inside',
      [span('code', 550, 900)],
      [{ app: 'code', seconds: 50 }],
      undefined,
    ],
    ['a span wholly outside is ignored', [span('code', 600, 700), span('term', -100, 0)], [], undefined],
    [
      'overlapping spans count once',
      [span('code', 0, 100), span('term', 50, 150)],
      [
        { app: 'code', seconds: 100 },
        { app: 'term', seconds: 50 },
      ],
      undefined,
    ],
    [
      'sub-second spans are rounded cumulatively',
      [span('a', 0, 0.4), span('b', 0.4, 0.8), span('c', 0.8, 1.2)],
      [
        { app: 'a', seconds: 0 },
        { app: 'b', seconds: 1 },
      ].filter((x) => x.seconds > 0),
      undefined,
    ],
  ])('%s', (_name, spans, apps, other) => {
    const u = slotAppUsage(spans, T0, 600, CLOSED);
    expect(u.apps).toEqual(apps);
    expect(u.appsOtherSeconds).toBe(other);
    expect(validatePayload('activity-slot', slot(u))).toMatchObject({ ok: true });
  });

  it('a switch across the slot boundary splits correctly between the two slots', () => {
    const book = new SlotAppBook(CLOSED);
    // code 09:08:20–09:11:40 straddles 09:10
    book.add(span('term', 0, 500));
    book.add(span('code', 500, 700));
    book.add(span('firefox', 700, 800));
    expect(book.take(T0, 600)).toEqual({
      apps: [
        { app: 'term', seconds: 500 },
        { app: 'code', seconds: 100 },
      ],
    });
    expect(book.take(T0 + 600 * S, 600)).toEqual({
      apps: [
        { app: 'code', seconds: 100 },
        { app: 'firefox', seconds: 100 },
      ],
    });
    expect(book.pending).toBe(0);
  });

  it('a slot across local midnight keeps its time on each side (Kathmandu, +05:45)', () => {
    // local midnight in Kathmandu is 18:15 UTC: inside the 18:10–18:20 UTC slot
    const m = zonedTimeToEpoch('2026-11-24', '00:00', 'Asia/Kathmandu');
    const slotStart = Math.floor(m / 600_000) * 600_000;
    expect(m - slotStart).toBe(300_000);
    const book = new SlotAppBook(CLOSED);
    book.add({ app: 'late-work', start: m - 120 * S, end: m + 60 * S });
    book.add({ app: 'early-bird', start: m + 60 * S, end: slotStart + 700 * S });
    expect(book.take(slotStart, 600)).toEqual({
      apps: [
        { app: 'late-work', seconds: 180 },
        { app: 'early-bird', seconds: 240 },
      ],
    });
    expect(book.take(slotStart + 600_000, 600)).toEqual({ apps: [{ app: 'early-bird', seconds: 100 }] });
  });

  it.each([
    ['titles and URLs off', CLOSED, { app: 'firefox', seconds: 60 }],
    ['titles only', { titles: true, urls: false }, { app: 'firefox', title: 'Payroll — Intranet', seconds: 60 }],
    [
      'URLs only: the host, never the path',
      { titles: false, urls: true },
      { app: 'firefox', url: 'intranet.example:8443', seconds: 60 },
    ],
    ['both', OPEN, { app: 'firefox', title: 'Payroll — Intranet', url: 'intranet.example:8443', seconds: 60 }],
  ])('a title or URL the policy does not allow never appears (%s)', (_n, policy, entry) => {
    const focus = span('firefox', 0, 60, {
      title: 'Payroll — Intranet',
      url: 'https://intranet.example:8443/salaries/alice?id=7',
    });
    expect(slotAppUsage([focus], T0, 600, policy).apps).toEqual([entry]);
    const book = new SlotAppBook(policy);
    book.add(focus);
    const taken = book.take(T0, 600);
    expect(taken.apps).toEqual([entry]);
    const bytes = encodePayload('activity-slot', slot(taken));
    expect(bytes.ok).toBe(true);
    const json = bytes.ok ? new TextDecoder().decode(bytes.value) : '';
    expect(json).not.toContain('salaries');
    if (!policy.titles) expect(json).not.toContain('Payroll');
  });

  it('a partial slot (agent stopping) takes only the time so far; the rest goes to the slot record after it', () => {
    const book = new SlotAppBook(CLOSED);
    book.add(span('code', 0, 400));
    expect(book.take(T0, 600, T0 + 250 * S)).toEqual({ apps: [{ app: 'code', seconds: 250 }] });
    book.add(span('term', 400, 500));
    expect(book.take(T0, 600)).toEqual({
      apps: [
        { app: 'code', seconds: 150 },
        { app: 'term', seconds: 100 },
      ],
    });
  });

  it('a policy narrowed before the slot is taken drops titles kept so far', () => {
    const book = new SlotAppBook(OPEN);
    book.add(span('mail', 0, 60, { title: 'Re: offer letter' }));
    book.setPolicy(CLOSED);
    expect(book.take(T0, 600).apps).toEqual([{ app: 'mail', seconds: 60 }]);
  });

  it('keeps the longest MAX_SLOT_APPS entries in order of first use and sums the rest as other', () => {
    const spans: FocusSpan[] = [];
    // 40 apps: app-i focused (i % 5) + 1 seconds each, one after the other
    let t = 0;
    for (let i = 0; i < 40; i++) {
      const d = (i % 5) + 1;
      spans.push(span(`app-${i}`, t, t + d));
      t += d;
    }
    const u = slotAppUsage(spans, T0, 600, CLOSED);
    expect(u.apps).toHaveLength(MAX_SLOT_APPS);
    const firstUse = u.apps.map((a) => Number(a.app.slice(4)));
    expect(firstUse).toEqual([...firstUse].sort((a, b) => a - b));
    const total = u.apps.reduce((s, a) => s + a.seconds, 0) + (u.appsOtherSeconds ?? 0);
    expect(total).toBe(t);
    // the 8 dropped are among the shortest (1 s) ones
    expect(u.appsOtherSeconds).toBe(8);
    const enc = encodePayload('activity-slot', slot(u));
    expect(enc.ok).toBe(true);
  });

  it('cuts long titles and hosts so a slot record stays small', () => {
    const u = slotAppUsage(
      [span('editor', 0, 10, { title: 'x'.repeat(5000), url: `https://${'h'.repeat(300)}.example/` })],
      T0,
      600,
      OPEN,
    );
    expect(u.apps[0]!.title!.length).toBe(MAX_SLOT_TEXT);
    expect(u.apps[0]!.url!.length).toBeLessThanOrEqual(MAX_SLOT_TEXT);
    expect(validatePayload('activity-slot', slot(u))).toMatchObject({ ok: true });
  });

  it('a typical default-policy slot (no titles, 6 apps) encodes under 512 bytes', () => {
    const apps = ['code', 'firefox', 'slack', 'gnome-terminal', 'thunderbird', 'libreoffice-calc'];
    const u = slotAppUsage(
      apps.map((a, i) => span(a, i * 100, i * 100 + 100)),
      T0,
      600,
      CLOSED,
    );
    const enc = encodePayload('activity-slot', {
      ...slot(u),
      activeSeconds: 540,
      keyPresses: 1200,
      clicks: 80,
      mouseMoves: 4000,
      scrolls: 30,
    });
    expect(enc.ok).toBe(true);
    expect(enc.ok ? enc.value.length : 0).toBeLessThan(512);
  });

  it('urlHost takes hosts only and refuses what is not a URL', () => {
    expect(urlHost('https://a.example/b?c')).toBe('a.example');
    expect(urlHost('not a url')).toBeUndefined();
    expect(urlHost('file:///home/x')).toBeUndefined();
  });
});

describe('activity-slot payload versions', () => {
  const v1 = {
    v: 1,
    start: T0,
    slotSeconds: 600,
    activeSeconds: 10,
    keyPresses: 1,
    clicks: 0,
    mouseMoves: 0,
    scrolls: 0,
  } as const;

  it.each([
    ['v1 with apps', { ...v1, apps: [] }, 'needs version 2'],
    [
      'focus past the slot',
      { ...v1, v: 2, apps: [{ app: 'a', seconds: 400 }], appsOtherSeconds: 300 },
      'cannot exceed slotSeconds',
    ],
    ['entry without seconds', { ...v1, v: 2, apps: [{ app: 'a' }] }, 'apps[0].seconds is required'],
    ['unknown entry field', { ...v1, v: 2, apps: [{ app: 'a', seconds: 1, keys: 'abc' }] }, 'not a known field'],
    [
      'too many entries',
      { ...v1, v: 2, apps: Array.from({ length: MAX_SLOT_APPS + 1 }, (_, i) => ({ app: `a${i}`, seconds: 1 })) },
      'at most 32',
    ],
    ['apps not a list', { ...v1, v: 2, apps: { app: 'a', seconds: 1 } }, 'must be a list'],
    ['version 3', { ...v1, v: 3 }, 'v must be 1 or 2'],
  ])('%s is refused', (_n, payload, message) => {
    const r = validatePayload('activity-slot', payload);
    expect(r.ok ? 'accepted' : r.message).toContain(message);
  });

  it('a sealed v1 slot reads exactly as sealed, without app usage; a v3 asks for an update', () => {
    const v1Bytes = new TextEncoder().encode(JSON.stringify(v1));
    const read = decodePayload('activity-slot', v1Bytes);
    expect(read.ok && read.value).toEqual(v1);
    expect(read.ok && read.value.apps).toBeUndefined();
    const v3 = decodePayload('activity-slot', new TextEncoder().encode(JSON.stringify({ ...v1, v: 3 })));
    expect(v3.ok ? 'read' : v3.error.message).toContain('update Sealtime');
  });
});
