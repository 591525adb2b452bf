/**
 * The classifier: which class an app span gets under the rule sets that
 * apply to its person, and which rule decided it. Pure; the admin core and
 * the agent's own pages call the same function with the same signed sets.
 *
 * Precedence, first hit wins:
 *   1. the team's set over the organisation's: a team rule that matches
 *      decides; the organisation's rules apply where none of the team's does;
 *   2. inside one set, the most specific kind: exact app name > host
 *      (exact host before `*.suffix`, longer suffix first) > title pattern
 *      > app-name pattern;
 *   3. equal kind and specificity: the rule listed first.
 * Each set is taken in the version in force at the span's start.
 *
 *   org:  app "xterm" → productive · host *.youtube.com → unproductive
 *   team: title /standup/ → neutral
 *   xterm "vim main.ts"          → productive (org, app)
 *   xterm "standup notes"        → neutral    (team wins over org)
 *   firefox www.youtube.com      → unproductive (org, host)
 *   gimp                         → unclassified
 */
import { compileSafePattern, MAX_MATCH_INPUT } from './safe-pattern.js';
import {
  ruleSetDocId,
  type Classification,
  type ProductivityRule,
  type ProductivityRuleSet,
  type RuleSetVersion,
} from './productivity-types.js';

/** What a rule can look at in a span (AppSpan has these fields). */
export interface ClassifiableSpan {
  app: string;
  title?: string;
  url?: string;
  start: number;
}

/** The host of what the agent sent as `url` (a full URL or a bare host), lowercase; '' when none. */
export function hostOf(url: string | undefined): string {
  if (!url) return '';
  let h = url.trim().toLowerCase();
  const scheme = h.indexOf('://');
  if (scheme >= 0) h = h.slice(scheme + 3);
  h = h.split(/[/?#]/, 1)[0]!;
  if (h.includes('@')) h = h.slice(h.lastIndexOf('@') + 1);
  h = h.replace(/:\d*$/, '').replace(/\.$/, '');
  return h;
}

interface CompiledRule {
  rule: ProductivityRule;
  /** lower ranks first (see the header) */
  rank: number;
  test: (s: { app: string; title: string; host: string }) => boolean;
}

function compileRule(rule: ProductivityRule): CompiledRule | null {
  const m = rule.match;
  switch (m.by) {
    case 'app': {
      const want = m.app.trim().toLowerCase();
      return { rule, rank: 0, test: (s) => s.app === want };
    }
    case 'host': {
      if (m.host.startsWith('*.')) {
        const suffix = m.host.slice(1); // ".example.com": subdomains only, not example.com itself
        // longer suffixes are more specific: rank between exact hosts (1) and titles (3)
        return { rule, rank: 2 - Math.min(suffix.length, 999) / 1000, test: (s) => s.host.endsWith(suffix) };
      }
      return { rule, rank: 1, test: (s) => s.host === m.host };
    }
    case 'title':
    case 'app-pattern': {
      // a set that verified passed the same guard; one that did not compile is skipped, never run
      const c = compileSafePattern(m.pattern);
      if (!c.ok) return null;
      const re = c.regex;
      return m.by === 'title'
        ? { rule, rank: 3, test: (s) => s.title !== '' && re.test(s.title) }
        : { rule, rank: 4, test: (s) => re.test(s.app) };
    }
  }
}

const compiledCache = new WeakMap<RuleSetVersion, CompiledRule[]>();

/** The version's rules in the order they are tried (stable sort keeps list order for equal ranks). */
export function compiledRules(version: RuleSetVersion): CompiledRule[] {
  let c = compiledCache.get(version);
  if (!c) {
    c = version.rules
      .map(compileRule)
      .filter((x): x is CompiledRule => x !== null)
      .sort((a, b) => a.rank - b.rank);
    compiledCache.set(version, c);
  }
  return c;
}

/** The version of a set in force at `at` (versions are ascending), if any. */
export function ruleSetVersionAt(set: Pick<ProductivityRuleSet, 'versions'>, at: number): RuleSetVersion | undefined {
  let found: RuleSetVersion | undefined;
  for (const v of set.versions) if (v.effectiveFrom <= at) found = v;
  return found;
}

/**
 * Classifies one span. `chain` is the sets that apply to the person,
 * organisation first, team last (as scheduleChain orders levels); the most
 * specific level is tried first.
 */
export function classify(span: ClassifiableSpan, chain: readonly ProductivityRuleSet[]): Classification {
  const probe = {
    app: span.app.trim().toLowerCase().slice(0, MAX_MATCH_INPUT),
    title: (span.title ?? '').slice(0, MAX_MATCH_INPUT),
    host: hostOf(span.url),
  };
  for (let i = chain.length - 1; i >= 0; i--) {
    const set = chain[i]!;
    const version = ruleSetVersionAt(set, span.start);
    if (!version) continue;
    for (const c of compiledRules(version))
      if (c.test(probe)) return { class: c.rule.class, rule: { level: set.level, setId: set.id, ruleId: c.rule.id } };
  }
  return { class: 'unclassified', rule: null };
}

/** The sets that apply to a person, organisation first, out of verified sets by document id. */
export function ruleSetChain(
  sets: ReadonlyMap<string, ProductivityRuleSet>,
  orgId: string,
  teamId: string | null | undefined,
): ProductivityRuleSet[] {
  const ids = [
    ruleSetDocId({ level: 'organisation', id: orgId }),
    ...(teamId ? [ruleSetDocId({ level: 'team', id: teamId })] : []),
  ];
  return ids.flatMap((id) => {
    const s = sets.get(id);
    return s ? [s] : [];
  });
}
