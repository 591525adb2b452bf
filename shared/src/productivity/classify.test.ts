import { describe, expect, it } from 'vitest';
import { classify, hostOf, ruleSetChain } from './classify.js';
import {
  classifySpans,
  productiveShare,
  productivityByApp,
  productivityPerWindow,
  productivityTotals,
} from './productivity-summary.js';
import type { ProductivityRule, ProductivityRuleSet } from './productivity-types.js';

const rule = (id: string, match: ProductivityRule['match'], cls: ProductivityRule['class']): ProductivityRule => ({
  id,
  match,
  class: cls,
});

const org: ProductivityRuleSet = {
  level: 'organisation',
  id: 'acme',
  issuedAt: 1,
  versions: [
    {
      effectiveFrom: 0,
      rules: [
        rule('browsers', { by: 'app-pattern', pattern: '^(firefox|chromium)$' }, 'neutral'),
        rule('terminal', { by: 'app', app: 'XTerm' }, 'productive'),
        rule('video', { by: 'host', host: '*.youtube.com' }, 'unproductive'),
        rule('docs', { by: 'host', host: 'docs.youtube.com' }, 'productive'),
        rule('social', { by: 'title', pattern: 'facebook|twitter' }, 'unproductive'),
        rule('gh', { by: 'host', host: '*.github.com' }, 'productive'),
        rule('gh-gist', { by: 'host', host: '*.gist.github.com' }, 'neutral'),
      ],
    },
  ],
};
const team: ProductivityRuleSet = {
  level: 'team',
  id: 'ops',
  issuedAt: 2,
  versions: [{ effectiveFrom: 0, rules: [rule('standup', { by: 'title', pattern: '\\bstandup\\b' }, 'neutral')] }],
};
const sets = new Map([org, team].map((s) => [`productivity:${s.level}:${s.id}`, s]));

describe('classify: precedence team > organisation, then app > host > title > app pattern', () => {
  const chain = ruleSetChain(sets, 'acme', 'ops');
  it.each([
    // app, title, url → class, rule that decided
    ['xterm', 'vim main.ts', undefined, 'productive', 'organisation:acme:terminal'],
    ['XTERM', '', undefined, 'productive', 'organisation:acme:terminal'],
    ['xterm', 'standup notes', undefined, 'neutral', 'team:ops:standup'],
    ['firefox', 'Funny cats', 'https://www.youtube.com/watch?v=1', 'unproductive', 'organisation:acme:video'],
    ['firefox', 'API docs', 'https://docs.youtube.com/x', 'productive', 'organisation:acme:docs'],
    ['firefox', 'YouTube', 'youtube.com', 'neutral', 'organisation:acme:browsers'],
    ['firefox', 'twitter / home', 'https://x.com', 'unproductive', 'organisation:acme:social'],
    ['firefox', 'a repo', 'https://api.github.com/', 'productive', 'organisation:acme:gh'],
    ['firefox', 'a gist', 'https://a.gist.github.com/', 'neutral', 'organisation:acme:gh-gist'],
    ['chromium', 'news', undefined, 'neutral', 'organisation:acme:browsers'],
    ['firefoxy', 'news', undefined, 'unclassified', null],
    ['gimp', 'image.png', undefined, 'unclassified', null],
  ])('%s %j %s → %s (%s)', (app, title, url, cls, by) => {
    const c = classify({ app, title, start: 1000, ...(url ? { url } : {}) }, chain);
    expect(c.class).toBe(cls);
    expect(c.rule ? `${c.rule.level}:${c.rule.setId}:${c.rule.ruleId}` : null).toBe(by);
  });

  it('a person outside the team gets the organisation rules only; no sets, nothing classified', () => {
    expect(classify({ app: 'xterm', title: 'standup', start: 0 }, ruleSetChain(sets, 'acme', 'sales')).class).toBe(
      'productive',
    );
    expect(classify({ app: 'xterm', start: 0 }, ruleSetChain(new Map(), 'acme', 'ops')).class).toBe('unclassified');
  });

  it('a team rule overrides the organisation only where it matches, even a less specific kind', () => {
    const t2: ProductivityRuleSet = {
      ...team,
      versions: [{ effectiveFrom: 0, rules: [rule('all-x', { by: 'app-pattern', pattern: '^x' }, 'unproductive')] }],
    };
    const chain = [org, t2];
    expect(classify({ app: 'xterm', start: 0 }, chain).class).toBe('unproductive');
    expect(classify({ app: 'chromium', start: 0 }, chain).class).toBe('neutral');
  });

  it('equal kinds: the rule listed first wins', () => {
    const s: ProductivityRuleSet = {
      ...org,
      versions: [
        {
          effectiveFrom: 0,
          rules: [
            rule('a', { by: 'app', app: 'xterm' }, 'neutral'),
            rule('b', { by: 'app', app: 'xterm' }, 'productive'),
          ],
        },
      ],
    };
    expect(classify({ app: 'xterm', start: 0 }, [s]).rule?.ruleId).toBe('a');
  });

  it('each set applies in the version in force at the span start', () => {
    const versioned: ProductivityRuleSet = {
      ...org,
      versions: [
        { effectiveFrom: 0, rules: [rule('t', { by: 'app', app: 'xterm' }, 'neutral')] },
        { effectiveFrom: 5000, rules: [rule('t', { by: 'app', app: 'xterm' }, 'productive')] },
      ],
    };
    expect(classify({ app: 'xterm', start: 4999 }, [versioned]).class).toBe('neutral');
    expect(classify({ app: 'xterm', start: 5000 }, [versioned]).class).toBe('productive');
    const late: ProductivityRuleSet = { ...org, versions: [{ effectiveFrom: 5000, rules: org.versions[0]!.rules }] };
    expect(classify({ app: 'xterm', start: 10 }, [late]).class).toBe('unclassified');
  });

  it.each([
    ['https://User@Www.Example.COM:8443/path?q', 'www.example.com'],
    ['example.com/x', 'example.com'],
    ['example.com.', 'example.com'],
    ['', ''],
    [undefined, ''],
  ])('hostOf(%j) = %j', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });
});

describe('summaries: computed at view time from the spans, never stored', () => {
  const spans = [
    { start: 0, end: 600_000, app: 'xterm' },
    { start: 600_000, end: 900_000, app: 'firefox', url: 'https://www.youtube.com/' },
    { start: 900_000, end: 1_200_000, app: 'gimp' },
  ];
  it('totals per class, clipped to the window; per slot; per app; productive share', () => {
    const c = classifySpans(spans, [org]);
    expect(productivityTotals(c, { start: 0, end: 1_200_000 })).toEqual({
      productive: 600_000,
      neutral: 0,
      unproductive: 300_000,
      unclassified: 300_000,
    });
    // a window that cuts spans counts only their part inside it (midnight, slot edges)
    expect(productivityTotals(c, { start: 300_000, end: 700_000 })).toEqual({
      productive: 300_000,
      neutral: 0,
      unproductive: 100_000,
      unclassified: 0,
    });
    const slots = productivityPerWindow(c, [
      { start: 0, end: 600_000 },
      { start: 600_000, end: 1_200_000 },
    ]);
    expect(slots.map((t) => [t.productive, t.unproductive, t.unclassified])).toEqual([
      [600_000, 0, 0],
      [0, 300_000, 300_000],
    ]);
    expect(productivityByApp(c, { start: 0, end: 1_200_000 }).map((r) => [r.app, r.host, r.class, r.ms])).toEqual([
      ['xterm', null, 'productive', 600_000],
      ['firefox', 'www.youtube.com', 'unproductive', 300_000],
      ['gimp', null, 'unclassified', 300_000],
    ]);
    expect(productiveShare(productivityTotals(c, { start: 0, end: 1_200_000 }))).toBe(50);
    expect(productiveShare({ productive: 0, neutral: 0, unproductive: 0, unclassified: 0 })).toBeNull();
  });

  it('changing a rule re-classifies the same history: nothing about the class is kept with the spans', () => {
    const before = productivityTotals(classifySpans(spans, [org]), { start: 0, end: 1_200_000 });
    const changed: ProductivityRuleSet = {
      ...org,
      issuedAt: 3,
      versions: [{ effectiveFrom: 0, rules: [rule('gimp', { by: 'app', app: 'gimp' }, 'productive')] }],
    };
    const after = productivityTotals(classifySpans(spans, [changed]), { start: 0, end: 1_200_000 });
    expect([before.productive, after.productive]).toEqual([600_000, 300_000]);
    expect(after.unclassified).toBe(900_000);
  });
});
