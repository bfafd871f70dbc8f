// IAM wildcards: `*` is any run of characters (possibly empty), `?` exactly one. Policy variables
// `${*}` and `${?}` stand for the literal characters; substitution marks them with LITERAL_STAR and
// LITERAL_QUESTION so that the matcher treats them as plain text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
//
// Patterns and values come from policy documents and request contexts an attacker may write, so the
// matcher never backtracks: the pattern is split at its `*`s, the first piece must start the value,
// the last must end it, and every piece between is placed at its leftmost occurrence after the one
// before (leftmost is always safe: a later placement leaves less room for the rest). Pieces without
// `?` are found with Knuth–Morris–Pratt, pieces with `?` with a bit-parallel Shift-And, so the time is
// linear in the value (times one step per 32 characters of a piece that holds `?`). Characters are
// code points, and ignoring case compares them as a `u`-flag regular expression with `i` does (simple
// case folding), as the regular expressions used before did. The common case, no `?` and no
// surrogates (and only ASCII when ignoring case), uses the engine's own string search instead, which
// is linear too and several times faster than walking code points.

export const LITERAL_STAR = '\u0000';
export const LITERAL_QUESTION = '\u0001';

/** Stands for `?` in a compiled piece. */
const ANY = -1;

interface Piece {
  chars: number[];
  hasAny: boolean;
}

interface Compiled {
  pieces: Piece[];
  /** Some piece holds `?`. */
  hasAny: boolean;
  /** Whether the text pieces below may be searched as UTF-16 text: no surrogates, and ASCII when ignoring case. */
  hasSurrogate: boolean;
  ascii: boolean;
  /** The pieces as text, and lower-cased (used only when pattern and value are ASCII). */
  texts: string[];
  lowered: string[];
}

const SURROGATE = /[\uD800-\uDFFF]/;
const ASCII = /^[\u0000-\u007F]*$/;

const compiled = new Map<string, Compiled>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.codePointAt(i) as number;
    out.push(c);
    if (c > 0xffff) i += 1;
  }
  return out;
}

/** The pattern's pieces between `*`s; a pattern without `*` is one piece. */
function compile(pattern: string): Compiled {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const pieces: Piece[] = [{ chars: [], hasAny: false }];
  for (const c of codePoints(pattern)) {
    const piece = pieces[pieces.length - 1] as Piece;
    if (c === 0x2a) pieces.push({ chars: [], hasAny: false });
    else if (c === 0x3f) {
      piece.chars.push(ANY);
      piece.hasAny = true;
    } else if (c === 0) piece.chars.push(0x2a);
    else if (c === 1) piece.chars.push(0x3f);
    else piece.chars.push(c);
  }
  const texts = pieces.map((piece) => piece.chars.map((c) => String.fromCodePoint(c === ANY ? 0x3f : c)).join(''));
  const result = {
    pieces,
    hasAny: pieces.some((piece) => piece.hasAny),
    hasSurrogate: SURROGATE.test(pattern),
    ascii: ASCII.test(pattern),
    texts,
    lowered: texts.map((t) => t.toLowerCase()),
  };
  if (compiled.size > 20_000) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

type Same = (a: number, b: number) => boolean;

const exactly: Same = (a, b) => a === b;

const folded = new Map<number, boolean>();

/** Whether two code points are equal under simple case folding, as `/^a$/iu.test(b)` decides. */
const ignoringCase: Same = (a, b) => {
  if (a === b) return true;
  if (a < 0x80 && b < 0x80) return (a | 0x20) === (b | 0x20) && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7a;
  const key = a * 0x110000 + b;
  let same = folded.get(key);
  if (same === undefined) {
    same = new RegExp(`^\\u{${a.toString(16)}}$`, 'iu').test(String.fromCodePoint(b));
    if (folded.size > 20_000) folded.clear();
    folded.set(key, same);
  }
  return same;
};

/** Whether `piece` matches `value` at `at`, character by character. */
function matchesAt(piece: number[], value: number[], at: number, same: Same): boolean {
  for (let j = 0; j < piece.length; j += 1) {
    const p = piece[j] as number;
    if (p !== ANY && !same(p, value[at + j] as number)) return false;
  }
  return true;
}

/** The leftmost start in [from, to) where `piece` fits entirely before `to`, or -1. */
function leftmost(piece: Piece, value: number[], from: number, to: number, same: Same): number {
  if (piece.chars.length === 0) return from;
  return piece.hasAny ? shiftAnd(piece.chars, value, from, to, same) : knuthMorrisPratt(piece.chars, value, from, to, same);
}

function knuthMorrisPratt(piece: number[], value: number[], from: number, to: number, same: Same): number {
  const length = piece.length;
  const border = new Int32Array(length);
  for (let j = 1, k = 0; j < length; j += 1) {
    while (k > 0 && !same(piece[j] as number, piece[k] as number)) k = border[k - 1] as number;
    if (same(piece[j] as number, piece[k] as number)) k += 1;
    border[j] = k;
  }
  for (let i = from, q = 0; i < to; i += 1) {
    const c = value[i] as number;
    while (q > 0 && !same(piece[q] as number, c)) q = border[q - 1] as number;
    if (same(piece[q] as number, c)) q += 1;
    if (q === length) return i - length + 1;
  }
  return -1;
}

/** Shift-And over 32-bit words: bit j of the state says the piece's first j + 1 characters end here. */
function shiftAnd(piece: number[], value: number[], from: number, to: number, same: Same): number {
  const words = Math.ceil(piece.length / 32);
  const anyMask = new Uint32Array(words);
  const byChar = new Map<number, Uint32Array>();
  piece.forEach((p, j) => {
    if (p === ANY) {
      anyMask[j >>> 5] = ((anyMask[j >>> 5] as number) | (1 << (j & 31))) >>> 0;
      return;
    }
    let mask = byChar.get(p);
    if (!mask) byChar.set(p, (mask = new Uint32Array(words)));
    mask[j >>> 5] = ((mask[j >>> 5] as number) | (1 << (j & 31))) >>> 0;
  });
  const masks = new Map<number, Uint32Array>();
  const maskOf = (c: number): Uint32Array => {
    let mask = masks.get(c);
    if (mask) return mask;
    mask = Uint32Array.from(anyMask);
    for (const [p, positions] of byChar) {
      if (!same(p, c)) continue;
      for (let w = 0; w < words; w += 1) mask[w] = ((mask[w] as number) | (positions[w] as number)) >>> 0;
    }
    masks.set(c, mask);
    return mask;
  };
  const last = piece.length - 1;
  const state = new Uint32Array(words);
  for (let i = from; i < to; i += 1) {
    const mask = maskOf(value[i] as number);
    let carry = 1;
    for (let w = 0; w < words; w += 1) {
      const word = state[w] as number;
      state[w] = (((word << 1) | carry) & (mask[w] as number)) >>> 0;
      carry = word >>> 31;
    }
    if (((state[last >>> 5] as number) >>> (last & 31)) & 1) return i - last;
  }
  return -1;
}

/** A pattern with `*` and without `?`, as text pieces (at least two), against the value. */
function matchTexts(texts: string[], value: string): boolean {
  const first = texts[0] as string;
  const final = texts[texts.length - 1] as string;
  const end = value.length - final.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(final)) return false;
  let at = first.length;
  for (let i = 1; i < texts.length - 1; i += 1) {
    const piece = texts[i] as string;
    const found = value.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

function wildcardMatch(pattern: string, text: string, caseInsensitive: boolean): boolean {
  const { pieces, hasAny, hasSurrogate, ascii, texts, lowered } = compile(pattern);
  if (!hasAny && !hasSurrogate) {
    if (!caseInsensitive && !SURROGATE.test(text)) return matchTexts(texts, text);
    if (caseInsensitive && ascii && ASCII.test(text)) return matchTexts(lowered, text.toLowerCase());
  }
  const same = caseInsensitive ? ignoringCase : exactly;
  const value = codePoints(text);
  const first = pieces[0] as Piece;
  if (pieces.length === 1) return value.length === first.chars.length && matchesAt(first.chars, value, 0, same);
  const final = pieces[pieces.length - 1] as Piece;
  const end = value.length - final.chars.length;
  if (end < first.chars.length) return false;
  if (!matchesAt(first.chars, value, 0, same) || !matchesAt(final.chars, value, end, same)) return false;
  let at = first.chars.length;
  for (let i = 1; i < pieces.length - 1; i += 1) {
    const piece = pieces[i] as Piece;
    const found = leftmost(piece, value, at, end, same);
    if (found < 0) return false;
    at = found + piece.chars.length;
  }
  return true;
}

export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  if (!hasWildcard(pattern)) {
    const literal = pattern.includes(LITERAL_STAR) || pattern.includes(LITERAL_QUESTION) ? unmark(pattern) : pattern;
    return caseInsensitive ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return wildcardMatch(pattern, value, caseInsensitive);
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
