import { describe, it, expect } from 'vitest';
import { validatePayload, type AppEventPayload, type FocusSpan } from '@sealtime/shared';
import type { CollectorError } from '../collector-types.js';
import { matchesApp, parseXpropTitle, toWindowSample, type WindowSample } from './active-window.js';
import { WindowCollector, type AppTrackingPolicy } from './window-collector.js';

const T0 = 1_800_000_000_000;
type Step = WindowSample | undefined | Error | 'hang';

/** Runs the collector over a script of samples, one per simulated second. */
async function runScript(
  script: Step[],
  policy: Partial<AppTrackingPolicy> = {},
  extra: {
    maxEventMs?: number;
    sampleTimeoutMs?: number;
    route?: (s: FocusSpan) => boolean;
    atEnd?: (c: WindowCollector) => void;
  } = {},
) {
  const events: AppEventPayload[] = [];
  const errors: CollectorError[] = [];
  let i = 0;
  let calls = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const c = new WindowCollector({
    policy: { titles: true, urls: false, pulseSeconds: 5, ...policy },
    onEvent: (e) => void events.push(e),
    onError: (e) => void errors.push(e),
    clock: () => T0 + 1000 * calls++,
    intervalMs: 2,
    sampleTimeoutMs: extra.sampleTimeoutMs ?? 1000,
    maxEventMs: extra.maxEventMs,
    route: extra.route,
    sampler: async () => {
      // past the script: hang, so nothing after it changes the events
      if (i >= script.length) return new Promise<never>(() => undefined);
      const step = script[i++];
      if (i >= script.length) done();
      if (step === 'hang') return new Promise<never>(() => undefined);
      if (step instanceof Error) throw step;
      return step;
    },
  });
  c.start();
  await finished;
  await new Promise((r) => setTimeout(r, 20));
  extra.atEnd?.(c);
  await c.stop();
  return { events, errors };
}

const w = (app: string, title = '', url?: string): WindowSample => (url ? { app, title, url } : { app, title });

describe('WindowCollector', () => {
  it('hands spans to the activity slot when routed, cut at the slot end, and seals app events only for spans refused', async () => {
    const spans: FocusSpan[] = [];
    let take = true;
    const { events } = await runScript(
      [
        w('XTerm', 'a'),
        w('XTerm', 'a'),
        w('XTerm', 'a'),
        w('Firefox', 'b', 'https://x/1'),
        w('Firefox', 'b', 'https://x/1'),
      ],
      { urls: true },
      {
        route: (s) => (take ? (spans.push(s), true) : false),
        atEnd: (c) => {
          c.cutAt(T0 + 3500); // a slot ends inside the open Firefox span
          take = false; // activity slots switched off: the rest is an app event
        },
      },
    );
    expect(spans).toEqual([
      { start: T0, end: T0 + 3000, app: 'XTerm', title: 'a' },
      { start: T0 + 3000, end: T0 + 3500, app: 'Firefox', title: 'b', url: 'https://x/1' },
    ]);
    expect(events).toEqual([
      { v: 1, start: T0 + 3500, durationMs: 500, app: 'Firefox', title: 'b', url: 'https://x/1' },
    ]);
  });

  it('a cut after the last sample stretches the span to the slot end only within the pulse', async () => {
    const spans: FocusSpan[] = [];
    await runScript(
      [w('XTerm'), w('XTerm')],
      { titles: false },
      { route: (s) => (spans.push(s), true), atEnd: (c) => c.cutAt(T0 + 3000) },
    );
    // last seen at T0+1000, cut at T0+3000 (pulse 5 s): stretched; nothing after the cut was seen
    expect(spans).toEqual([{ start: T0, end: T0 + 3000, app: 'XTerm' }]);
    const far: FocusSpan[] = [];
    await runScript(
      [w('XTerm'), w('XTerm')],
      { titles: false },
      { route: (s) => (far.push(s), true), atEnd: (c) => c.cutAt(T0 + 60_000) },
    );
    expect(far).toEqual([{ start: T0, end: T0 + 1000, app: 'XTerm' }]);
  });

  it('merges samples of one window and stretches an event to the next window', async () => {
    const { events } = await runScript([
      w('XTerm', 'a'),
      w('XTerm', 'a'),
      w('XTerm', 'a'),
      w('Firefox', 'b'),
      w('Firefox', 'b'),
    ]);
    expect(events).toEqual([
      { v: 1, start: T0, durationMs: 3000, app: 'XTerm', title: 'a' },
      { v: 1, start: T0 + 3000, durationMs: 1000, app: 'Firefox', title: 'b' },
    ]);
    for (const e of events) expect(validatePayload('app-event', e)).toMatchObject({ ok: true });
  });

  it('drops titles and urls by policy, so title changes merge into one app event', async () => {
    const { events } = await runScript(
      [
        w('Firefox', 'mail: salary', 'https://x/1'),
        w('Firefox', 'bank', 'https://x/2'),
        w('Firefox', 'news', 'https://x/3'),
      ],
      {
        titles: false,
        urls: false,
      },
    );
    expect(events).toEqual([{ v: 1, start: T0, durationMs: 2000, app: 'Firefox' }]);
    expect(JSON.stringify(events)).not.toMatch(/salary|bank|news|https/);
  });

  it('keeps urls when allowed', async () => {
    const { events } = await runScript([w('Firefox', 't', 'https://x/1'), w('Firefox', 't', 'https://x/1')], {
      urls: true,
    });
    expect(events).toEqual([{ v: 1, start: T0, durationMs: 1000, app: 'Firefox', title: 't', url: 'https://x/1' }]);
  });

  it('closes the event when no window is focused, and does not stretch across a gap longer than the pulse', async () => {
    const { events } = await runScript(
      [
        w('A'),
        w('A'),
        undefined,
        w('A'),
        new Error('x'),
        new Error('x'),
        new Error('x'),
        new Error('x'),
        new Error('x'),
        new Error('x'),
        w('A'),
      ],
      {
        pulseSeconds: 5,
      },
    );
    expect(events.map((e) => [e.start - T0, e.durationMs])).toEqual([
      [0, 2000], // stretched to the empty sample at 2 s
      [3000, 0], // the next sample 7 s later is beyond the 5 s pulse: a new event
      [10_000, 0],
    ]);
  });

  it('reports one error per streak of failing samples, and abandons a hung sample', async () => {
    const { errors } = await runScript(
      [new Error('xprop failed'), new Error('xprop failed'), w('A'), 'hang', w('A')],
      {},
      { sampleTimeoutMs: 30 },
    );
    expect(errors.map((e) => e.code)).toEqual(['sample-failed', 'sample-failed']);
    expect(errors[0]?.message).toBe('xprop failed');
    expect(errors[1]?.message).toContain('took more than 30 ms');
  });

  it('hands out long events in pieces that touch', async () => {
    const script = Array.from({ length: 8 }, () => w('IDE', 'code'));
    const { events } = await runScript(script, {}, { maxEventMs: 3000 });
    expect(events.map((e) => [e.start - T0, e.durationMs])).toEqual([
      [0, 3000],
      [3000, 3000],
      [6000, 1000],
    ]);
  });

  it('switching titles off mid-event closes the event first', async () => {
    const events: AppEventPayload[] = [];
    let t = T0;
    const c = new WindowCollector({
      policy: { titles: true, urls: false, pulseSeconds: 5 },
      onEvent: (e) => void events.push(e),
      clock: () => (t += 1000),
      intervalMs: 10_000,
      sampler: async () => w('Mail', 'Re: offer'),
    });
    c.start();
    await new Promise((r) => setTimeout(r, 20));
    c.updatePolicy({ titles: false, urls: false, pulseSeconds: 5 });
    await c.stop();
    expect(events).toEqual([{ v: 1, start: T0 + 1000, durationMs: 0, app: 'Mail', title: 'Re: offer' }]);
  });
});

describe('WindowCollector with a change watcher', () => {
  it('samples only on change (or resample), and keeps extending the event in between', async () => {
    const events: AppEventPayload[] = [];
    let notify: () => void = () => undefined;
    let kill: (reason: string) => void = () => undefined;
    let current = w('Editor', 'one');
    let t = T0;
    const c = new WindowCollector({
      policy: { titles: true, urls: false, pulseSeconds: 5 },
      onEvent: (e) => void events.push(e),
      clock: () => (t += 1000),
      intervalMs: 2,
      resampleMs: 60_000,
      sampler: async () => current,
      watcher: { start: (onChange, onDead) => ((notify = onChange), (kill = onDead)), stop: () => undefined },
    });
    const ticks = (n: number) =>
      new Promise<void>((r) => {
        const until = t + n * 1000;
        const check = () => (t >= until ? r() : setTimeout(check, 1));
        check();
      });
    c.start();
    await ticks(5);
    expect(c.mode).toBe('watch');
    expect(c.samplesTaken).toBe(1);
    current = w('Editor', 'two');
    notify();
    await ticks(5);
    expect(c.samplesTaken).toBe(2);
    kill('gone');
    expect(c.mode).toBe('poll');
    await ticks(3);
    expect(c.samplesTaken).toBeGreaterThanOrEqual(4);
    await c.stop();
    expect(events.map((e) => e.title)).toEqual(['one', 'two']);
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(4000); // extended by cached samples
  });
});

describe('active-window helpers', () => {
  it('normalises get-windows results and bounds their length', () => {
    expect(toWindowSample(undefined)).toBeUndefined();
    expect(toWindowSample({ title: 't', owner: { name: 'XTerm', path: '/usr/bin/xterm' } })).toEqual({
      app: 'XTerm',
      title: 't',
      path: '/usr/bin/xterm',
    });
    expect(toWindowSample({ title: 7, owner: { name: '', path: '/opt/app/bin/tool' } })).toEqual({
      app: 'tool',
      title: '',
      path: '/opt/app/bin/tool',
    });
    expect(toWindowSample({ owner: {} })).toEqual({ app: 'unknown', title: '' });
    const long = toWindowSample({ title: 'x'.repeat(5000), url: 'u'.repeat(5000), owner: { name: 'n'.repeat(500) } });
    expect([long?.app.length, long?.title.length, long?.url?.length]).toEqual([256, 1024, 2048]);
  });

  it('parses the title xprop prints for old X clients', () => {
    expect(parseXpropTitle('_NET_WM_VISIBLE_NAME(UTF8_STRING) = "Report – ✓"\nWM_NAME(COMPOUND_TEXT) = "x"\n')).toBe(
      'Report – ✓',
    );
    expect(
      parseXpropTitle('_NET_WM_VISIBLE_NAME:  not found.\nWM_NAME(COMPOUND_TEXT) = "say \\"hi\\" \\\\ bye"\n'),
    ).toBe('say "hi" \\ bye');
    expect(parseXpropTitle('WM_NAME:  not found.\n')).toBe('');
  });

  it('matches excluded apps by name or executable, case-insensitively', () => {
    expect(matchesApp({ app: 'XTerm' }, ['xterm'])).toBe('xterm');
    expect(matchesApp({ app: 'Navigator', path: '/usr/lib/firefox/firefox' }, ['Firefox'])).toBe('Firefox');
    expect(matchesApp({ app: 'XTerm' }, ['term'])).toBeUndefined();
    expect(matchesApp(undefined, ['xterm'])).toBeUndefined();
    expect(matchesApp({ app: 'XTerm' }, [])).toBeUndefined();
  });
});
