/**
 * Checks a rule set version field by field; each problem names its field so
 * the editor can show it there. Regular expressions go through the shape
 * guard of safe-pattern.ts. Pure.
 */
import { compileSafePattern } from './safe-pattern.js';
import { PRODUCTIVITY_CLASSES, type ProductivityRule, type RuleSetVersion } from './productivity-types.js';

export type RuleProblem = { path: string; message: string };

export const MAX_RULES = 500;
export const MAX_VERSIONS = 50;
const MAX_APP = 200;
const MAX_NOTE = 200;
/** `example.com` or `*.example.com`: lowercase labels, as hosts compare */
const HOST = /^(\*\.)?[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$/;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function matchProblems(m: unknown, at: string): RuleProblem[] {
  if (!isObj(m)) return [{ path: at, message: 'a rule says what it matches' }];
  const keys = Object.keys(m).sort().join(',');
  switch (m.by) {
    case 'app':
      if (keys !== 'app,by') return [{ path: at, message: 'an app rule has exactly by and app' }];
      return typeof m.app === 'string' && m.app.trim().length > 0 && m.app.length <= MAX_APP
        ? []
        : [{ path: `${at}.app`, message: `an app name is 1 to ${MAX_APP} characters` }];
    case 'host':
      if (keys !== 'by,host') return [{ path: at, message: 'a host rule has exactly by and host' }];
      return typeof m.host === 'string' && m.host.length <= 253 && HOST.test(m.host)
        ? []
        : [
            {
              path: `${at}.host`,
              message: `'${String(m.host)}' is not a host: use lowercase example.com or *.example.com`,
            },
          ];
    case 'title':
    case 'app-pattern': {
      if (keys !== 'by,pattern') return [{ path: at, message: `a ${m.by} rule has exactly by and pattern` }];
      const c = compileSafePattern(m.pattern);
      return c.ok ? [] : [{ path: `${at}.pattern`, message: c.reason }];
    }
    default:
      return [
        { path: `${at}.by`, message: `a rule matches by app, host, title or app-pattern, not '${String(m.by)}'` },
      ];
  }
}

export function validateRule(r: unknown, at = ''): RuleProblem[] {
  const p = (f: string) => (at ? `${at}.${f}` : f);
  if (!isObj(r)) return [{ path: at, message: 'a rule is an object' }];
  const out: RuleProblem[] = [];
  for (const k of Object.keys(r))
    if (!['id', 'match', 'class', 'note'].includes(k)) out.push({ path: p(k), message: `unknown field '${k}'` });
  if (typeof r.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(r.id))
    out.push({ path: p('id'), message: 'a rule id is 1 to 64 letters, digits, - or _' });
  if (!(PRODUCTIVITY_CLASSES as readonly unknown[]).includes(r.class))
    out.push({ path: p('class'), message: 'the class is productive, neutral or unproductive' });
  if (r.note !== undefined && (typeof r.note !== 'string' || r.note.length > MAX_NOTE))
    out.push({ path: p('note'), message: `a note is at most ${MAX_NOTE} characters` });
  out.push(...matchProblems(r.match, p('match')));
  return out;
}

export function validateRuleSetVersion(v: unknown): RuleProblem[] {
  if (!isObj(v)) return [{ path: '', message: 'a rule set version is an object' }];
  const out: RuleProblem[] = [];
  for (const k of Object.keys(v))
    if (k !== 'effectiveFrom' && k !== 'rules') out.push({ path: k, message: `unknown field '${k}'` });
  if (!Number.isSafeInteger(v.effectiveFrom) || (v.effectiveFrom as number) < 0)
    out.push({ path: 'effectiveFrom', message: 'effective-from is a time in ms (0: all history)' });
  if (!Array.isArray(v.rules) || v.rules.length > MAX_RULES) {
    out.push({ path: 'rules', message: `a set holds 0 to ${MAX_RULES} rules` });
    return out;
  }
  const ids = new Set<string>();
  v.rules.forEach((r: unknown, i) => {
    out.push(...validateRule(r, `rules.${i}`));
    const id = (r as Partial<ProductivityRule> | null)?.id;
    if (typeof id === 'string') {
      if (ids.has(id)) out.push({ path: `rules.${i}.id`, message: `rule id '${id}' is used twice` });
      ids.add(id);
    }
  });
  return out;
}

/** Problems of a whole history: each version, and the versions in strictly ascending effective-from order. */
export function versionsProblem(versions: unknown): string | undefined {
  if (!Array.isArray(versions) || versions.length === 0 || versions.length > MAX_VERSIONS)
    return `a rule set holds 1 to ${MAX_VERSIONS} versions`;
  for (const [i, v] of versions.entries()) {
    const problems = validateRuleSetVersion(v);
    if (problems.length > 0) return `version ${i}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`;
  }
  const froms = versions.map((v: RuleSetVersion) => v.effectiveFrom);
  if (froms.some((f, i) => i > 0 && f <= froms[i - 1]!))
    return 'versions must be in ascending effective-from order, one per time';
  return undefined;
}

/** Adds a version: it replaces every version from its time on (0 replaces the whole history). */
export function withRuleSetVersion(previous: readonly RuleSetVersion[], version: RuleSetVersion): RuleSetVersion[] {
  return [...previous.filter((v) => v.effectiveFrom < version.effectiveFrom), version].slice(-MAX_VERSIONS);
}
