/**
 * Regular expressions from rule sets run on every app span of every view, in
 * the admin core and on the employee's agent, so one pattern must not be able
 * to hang either. JavaScript's engine backtracks and has no time limit, so the
 * guard is on the pattern's shape, before it is ever compiled:
 *
 * - at most MAX_PATTERN characters, compiled with the `u` flag (strict syntax)
 *   and `i` (case-insensitive, as app names are);
 * - no backreferences and no lookaround (their cost is not bounded by shape);
 * - no quantified group that itself contains a quantifier or an alternation:
 *   `(a+)+`, `(a|aa)*`, `(\w+\s?)*` are the shapes that backtrack
 *   exponentially; a quantifier of a single atom or class (`\w+`, `[a-z]*`)
 *   is linear per start position;
 * - counted repetition at most {MAX_REPEAT}.
 *
 * Inputs are cut to MAX_MATCH_INPUT characters before matching, so the
 * polynomial worst case of what remains (`a*a*a*b`) stays small.
 */

export const MAX_PATTERN = 200;
export const MAX_REPEAT = 100;
export const MAX_MATCH_INPUT = 512;

export type PatternCheck = { ok: true; regex: RegExp } | { ok: false; reason: string };

interface Frame {
  quantified: boolean;
  alternation: boolean;
}

/** Index after a `{n}`, `{n,}` or `{n,m}` at `i`, its largest count, or null when it is not one. */
function countedAt(p: string, i: number): { end: number; max: number } | null {
  const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(p.slice(i));
  if (!m) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity;
  return { end: i + m[0].length, max };
}

/** Checks the shape (see the header), then compiles; never throws. */
export function compileSafePattern(pattern: unknown): PatternCheck {
  if (typeof pattern !== 'string' || pattern.length === 0)
    return { ok: false, reason: 'a pattern is a non-empty text' };
  if (pattern.length > MAX_PATTERN)
    return { ok: false, reason: `a pattern is at most ${MAX_PATTERN} characters (this one has ${pattern.length})` };
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  let closed: Frame | null = null; // the group just closed, when the next token may quantify it
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    const quantifier = c === '*' || c === '+' || c === '?' || c === '{';
    if (quantifier) {
      let end = i + 1;
      let max = c === '?' ? 1 : Infinity;
      if (c === '{') {
        const counted = countedAt(pattern, i);
        if (!counted) return { ok: false, reason: `'{' at ${i} is not a counted repetition {n,m}` };
        if (counted.max !== Infinity && counted.max > MAX_REPEAT)
          return { ok: false, reason: `repetition counts are at most ${MAX_REPEAT}` };
        end = counted.end;
        max = counted.max;
      }
      if (pattern[end] === '?') end += 1; // lazy: same cost
      if (closed && max > 1 && (closed.quantified || closed.alternation))
        return {
          ok: false,
          reason: `a repeated group may not contain a repetition or '|' (at ${i}): such patterns can take exponential time`,
        };
      if (max > 1) top.quantified = true;
      closed = null;
      i = end;
      continue;
    }
    closed = null;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return { ok: false, reason: 'backreferences are not allowed in patterns' };
      // \p{…} and \u{…} are one atom: their braces are not a repetition
      const braced = /^[pPu]\{[^}]*\}/.exec(pattern.slice(i + 1));
      i += braced ? 1 + braced[0].length : 2;
      continue;
    }
    if (c === '[') {
      // a class is one atom; skip to its closing bracket (escapes inside count as one)
      let j = i + 1;
      if (pattern[j] === '^') j += 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === '(') {
      if (/^\(\?(=|!|<=|<!)/.test(pattern.slice(i)))
        return { ok: false, reason: 'lookahead and lookbehind are not allowed in patterns' };
      stack.push({ quantified: false, alternation: false });
      i += pattern.startsWith('(?:', i) ? 3 : 1;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return { ok: false, reason: `unbalanced ')' at ${i}` };
      const f = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      // what is inside a group is inside its parent too
      parent.quantified ||= f.quantified;
      parent.alternation ||= f.alternation;
      closed = f;
      i += 1;
      continue;
    }
    if (c === '|') top.alternation = true;
    i += 1;
  }
  try {
    return { ok: true, regex: new RegExp(pattern, 'iu') };
  } catch (err) {
    return { ok: false, reason: `not a valid regular expression: ${(err as Error).message}` };
  }
}
