// IAM wildcards: `*` is any run of characters (possibly empty), `?` exactly one. Policy variables
// `${*}` and `${?}` stand for the literal characters; substitution marks them with LITERAL_STAR and
// LITERAL_QUESTION so that the compiled pattern treats them as plain text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String

export const LITERAL_STAR = '\u0000';
export const LITERAL_QUESTION = '\u0001';

const cache = new Map<string, RegExp>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function compile(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = (caseInsensitive ? 'i' : 's') + pattern;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else if (ch === LITERAL_STAR) source += '\\*';
    else if (ch === LITERAL_QUESTION) source += '\\?';
    else source += /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
  }
  const re = new RegExp(source + '$', caseInsensitive ? 'iu' : 'u');
  if (cache.size > 20_000) cache.clear();
  cache.set(cacheKey, re);
  return re;
}

export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  if (!hasWildcard(pattern)) {
    const literal = pattern.includes(LITERAL_STAR) || pattern.includes(LITERAL_QUESTION) ? unmark(pattern) : pattern;
    return caseInsensitive ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return compile(pattern, caseInsensitive).test(value);
}

/** The text a marked pattern stands for when read literally. */
export function unmark(pattern: string): string {
  if (!pattern.includes(LITERAL_STAR) && !pattern.includes(LITERAL_QUESTION)) return pattern;
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

/** A value that matches `pattern`, built by filling each wildcard with `filler`. */
export function instantiate(pattern: string, filler: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += filler;
    else if (ch === '?') out += filler.charAt(0) || 'x';
    else out += ch;
  }
  return unmark(out);
}
