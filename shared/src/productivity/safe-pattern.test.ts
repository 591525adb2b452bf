import { describe, expect, it } from 'vitest';
import { compileSafePattern, MAX_PATTERN } from './safe-pattern.js';

describe('compileSafePattern: only shapes that cannot backtrack exponentially', () => {
  it.each([
    ['^vim\\b', 'vim main.ts'],
    ['pull request #\\d+', 'Pull Request #12 – review'],
    ['(jira|confluence)', 'ACME Confluence'],
    ['[a-z]+\\.ts$', 'editing app.ts'],
    ['(?:standup)?\\s*notes', 'standup notes'],
    ['x{2,5}', 'xxx'],
    ['(ab)?c', 'abc'],
  ])('accepts %s (matches %s, case-insensitive)', (pattern, input) => {
    const c = compileSafePattern(pattern);
    expect(c.ok && c.regex.test(input)).toBe(true);
  });

  it.each([
    ['(a+)+$', /exponential/],
    ['(a|aa)*b', /exponential/],
    ['(\\w+\\s?)*$', /exponential/],
    ['((ab)*c)+', /exponential/],
    ['(x+){2,}', /exponential/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['foo(?=bar)', /lookahead/],
    ['(?<!x)y', /lookahead/],
    ['a{1,1000}', /at most 100/],
    ['a{', /counted repetition/],
    ['(abc', /not a valid regular expression/],
    ['abc)', /unbalanced/],
    ['\\p{Nope}', /not a valid regular expression/],
    ['', /non-empty/],
    ['a'.repeat(MAX_PATTERN + 1), /at most 200 characters/],
  ])('refuses %s', (pattern, reason) => {
    const c = compileSafePattern(pattern);
    expect(c.ok ? 'accepted' : c.reason).toMatch(reason);
  });

  it('a refused shape really is slow, an accepted near-twin is not', () => {
    // the guard is not theoretical: the refused (a+)+$ takes exponential time on 20 a's and a b;
    // its accepted rewrite a+$ answers at once on a 512-character input
    const evil = 'a'.repeat(20) + 'b';
    const t0 = performance.now();
    expect(new RegExp('(a+)+$').test(evil)).toBe(false);
    const slow = performance.now() - t0;
    const ok = compileSafePattern('a+$');
    if (!ok.ok) throw new Error(ok.reason);
    const t1 = performance.now();
    expect(ok.regex.test('a'.repeat(511) + 'b')).toBe(false);
    const fast = performance.now() - t1;
    expect(slow).toBeGreaterThan(fast * 10);
  });
});
