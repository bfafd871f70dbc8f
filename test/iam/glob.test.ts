// The IAM wildcard matcher against the one it replaced, which compiled patterns to regular
// expressions (kept here as the oracle, on inputs too short to make it backtrack for long), and
// against patterns built for backtracking.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LITERAL_QUESTION, LITERAL_STAR, globMatch } from '../../src/iam/match/glob';

/** The matcher as it was: patterns without wildcards compare lower-cased text, the rest compile. */
function oracle(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const literal = pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
    return caseInsensitive ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else if (ch === LITERAL_STAR) source += '\\*';
    else if (ch === LITERAL_QUESTION) source += '\\?';
    else source += /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u').test(value);
}

// Letters that fold together only under Unicode rules (ſ/s, K/k, ς/σ/Σ, ß/ẞ, ͅ/ι/ι), ones that do not
// (İ, ı), an astral character and lone surrogates, the markers of `${*}` and `${?}`, and wildcards.
const ALPHABET = ['a', 'A', 'b', 's', 'S', 'ſ', 'k', 'K', 'K', 'ς', 'σ', 'Σ', 'ß', 'ẞ', 'ͅ', 'ι', 'ι', 'İ', 'i', 'I', 'ı', '😀', '\ud83d', '\ude00', '.', '-', LITERAL_STAR, LITERAL_QUESTION];
const text = (wildcards: boolean, maxLength: number) =>
  fc.array(fc.constantFrom(...ALPHABET, ...(wildcards ? ['*', '?', '*', '?'] : ['*', '?'])), { maxLength }).map((chars) => chars.join(''));

describe('IAM wildcards', () => {
  it('decide as the regular expression did, with and without case', () => {
    fc.assert(
      fc.property(text(true, 10), text(false, 14), fc.boolean(), (pattern, value, caseInsensitive) => {
        expect(globMatch(pattern, value, caseInsensitive)).toBe(oracle(pattern, value, caseInsensitive));
      }),
      { numRuns: 20_000, seed: 7 },
    );
  });

  it('decide long pieces with `?` (more than one 32-bit word) as the regular expression did', () => {
    const ab = (maxLength: number, extra: string[]) => fc.array(fc.constantFrom('a', 'b', 'A', ...extra), { maxLength }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(ab(80, ['?', '?', '*']), ab(100, []), fc.boolean(), (pattern, value, caseInsensitive) => {
        expect(globMatch(pattern, value, caseInsensitive)).toBe(oracle(pattern, value, caseInsensitive));
      }),
      { numRuns: 3_000, seed: 7 },
    );
  });

  const hostile: [string, string, boolean][] = [
    ['*a*a*a*a*a*a*a*a*b', 'a'.repeat(100_000), false],
    ['*a*a*a*a*a*a*a*a*a', 'a'.repeat(100_000), true],
    [`*${'?a'.repeat(300)}*b`, 'a'.repeat(100_000), false],
    [`${'*'.repeat(10_000)}b`, 'a'.repeat(100_000), false],
    [`*${'a'.repeat(5_000)}b*`, 'a'.repeat(100_000), false],
  ];
  for (const [pattern, value, expected] of hostile) {
    it(`${pattern.slice(0, 20)}… over ${value.length} characters in linear time`, () => {
      const start = performance.now();
      expect(globMatch(pattern, value)).toBe(expected);
      expect(globMatch(pattern.toUpperCase(), value, true)).toBe(expected);
      expect(performance.now() - start).toBeLessThan(2_000);
    });
  }
});
