// Defence in depth: whatever a message quotes, no value the plan marks sensitive survives it, nor any
// piece of one that a message could quote on its own. A sensitive key policy is one JSON string, but
// findings quote its principals, its Sids and the accounts of its ARNs: those pieces are secret too.

// Values shorter than this are too common to scrub out of running text; whole values are compared exactly.
const MIN_REDACTED_LENGTH = 4;

export const REDACTED = '(sensitive)';

// Pieces of a sensitive policy document that are IAM grammar, not secrets; scrubbing them would blank
// every message that names an action.
const GRAMMAR = /^(?:Allow|Deny|2012-10-17|2008-10-17|true|false|[A-Za-z0-9-]+:[A-Za-z0-9*?]*)$/;
// arn:partition:service:region:account:resource
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
const ACCOUNT_OF_ARN = /^arn:[^:]*:[^:]*:[^:]*:([0-9]{12}):/;
const WORD = /[A-Za-z0-9]/;

interface Bucket {
  /** The lengths of the terms in the bucket, longest first. */
  lengths: number[];
  /** Term → whether it is a piece (matched only as a whole word: a Sid `Root` must not blank `EnableRootAccess`). */
  terms: Map<string, boolean>;
}

interface Terms {
  /** Whole values and pieces, compared with the entire text. */
  exact: ReadonlySet<string>;
  /** Terms of at least MIN_REDACTED_LENGTH characters, by their first MIN_REDACTED_LENGTH characters. */
  byPrefix: ReadonlyMap<string, Bucket>;
  /** The first two character codes of those terms, as one number: most positions of a text start none. */
  starts: ReadonlySet<number>;
}

const pairAt = (text: string, at: number): number => text.charCodeAt(at) * 0x10000 + text.charCodeAt(at + 1);

const memo = new WeakMap<ReadonlySet<string>, Terms>();

/** The pieces of a value a message may quote alone: an ARN's account; a JSON document's strings and numbers. */
function piecesOf(value: string, into: Set<string>): void {
  const account = ACCOUNT_OF_ARN.exec(value)?.[1];
  if (account) into.add(account);
  const start = value.trimStart()[0];
  if (start !== '{' && start !== '[') return;
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    return;
  }
  // Iterative: a string may hold JSON nested deeper than the call stack.
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      if (GRAMMAR.test(node)) continue;
      into.add(node);
      piecesOf(node, into);
    } else if (typeof node === 'number') into.add(String(node));
    else if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) pending.push(child);
  }
}

function termsOf(sensitive: ReadonlySet<string>): Terms {
  const hit = memo.get(sensitive);
  if (hit) return hit;
  const pieces = new Set<string>();
  for (const value of sensitive) piecesOf(value, pieces);
  const exact = new Set([...sensitive, ...pieces]);
  exact.delete('');
  const byPrefix = new Map<string, Bucket>();
  const starts = new Set<number>();
  for (const term of exact) {
    if (term.length < MIN_REDACTED_LENGTH) continue;
    starts.add(pairAt(term, 0));
    const prefix = term.slice(0, MIN_REDACTED_LENGTH);
    const bucket = byPrefix.get(prefix) ?? { lengths: [], terms: new Map<string, boolean>() };
    bucket.terms.set(term, !sensitive.has(term));
    if (!bucket.lengths.includes(term.length)) bucket.lengths.push(term.length);
    byPrefix.set(prefix, bucket);
  }
  for (const bucket of byPrefix.values()) bucket.lengths.sort((a, b) => b - a);
  const terms: Terms = { exact, byPrefix, starts };
  memo.set(sensitive, terms);
  return terms;
}

/** The length of the longest term at `at` that reaches past `end`, or 0. */
function longestAt(text: string, at: number, end: number, bucket: Bucket): number {
  for (const length of bucket.lengths) {
    if (at + length <= end) return 0;
    if (at + length > text.length) continue;
    const piece = bucket.terms.get(text.slice(at, at + length));
    if (piece === undefined) continue;
    if (piece && (WORD.test(text.charAt(at - 1)) || WORD.test(text.charAt(at + length)))) continue;
    return length;
  }
  return 0;
}

/**
 * The text with every stretch covered by a sensitive term replaced. Overlapping and touching terms
 * merge into one stretch, so no piece of a longer secret is left beside the replacement of a shorter
 * one. One pass over the text: terms are looked up by the characters at each position.
 */
export function redact(text: string, sensitive: ReadonlySet<string>): string {
  if (sensitive.size === 0) return text;
  const terms = termsOf(sensitive);
  if (terms.exact.has(text)) return REDACTED;
  let out = '';
  let copied = 0;
  let start = -1;
  let end = -1;
  for (let at = 0; at + MIN_REDACTED_LENGTH <= text.length; at += 1) {
    if (!terms.starts.has(pairAt(text, at))) continue;
    const bucket = terms.byPrefix.get(text.slice(at, at + MIN_REDACTED_LENGTH));
    const length = bucket === undefined ? 0 : longestAt(text, at, end, bucket);
    if (length === 0) continue;
    if (start >= 0 && at <= end) {
      end = at + length;
      continue;
    }
    if (start >= 0) {
      out += text.slice(copied, start) + REDACTED;
      copied = end;
    }
    start = at;
    end = at + length;
  }
  if (start < 0) return text;
  return out + text.slice(copied, start) + REDACTED + text.slice(end);
}

/** Every string inside a JSON-like value redacted; numbers that are sensitive as text become REDACTED. */
export function redactDeep<T>(value: T, sensitive: ReadonlySet<string>): T {
  if (sensitive.size === 0) return value;
  const clean = (node: unknown): unknown => {
    if (typeof node === 'string') return redact(node, sensitive);
    if (typeof node === 'number') return termsOf(sensitive).exact.has(String(node)) ? REDACTED : node;
    if (Array.isArray(node)) return node.map(clean);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, clean(v)]));
    return node;
  };
  return clean(value) as T;
}
