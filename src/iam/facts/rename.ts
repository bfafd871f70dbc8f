// Renaming identifiers for shape.ts: what a token is (maximal run of [A-Za-z0-9+=,@_-]; `.`, `:`, `/`,
// `*` and the rest separate tokens), which tokens are renamed (accounts, organization ids, names) and
// which are kept (the analysis's own words, short or digit-only tokens, AWS-owned names), the renaming
// itself with the checks it needs per token, and the way back.

/**
 * Tokens of the analysis's own constants (string literals, regular expressions): never renamed, so that
 * renaming fixes every constant. test/iam/shape.test.ts scans the sources and fails on a missing one.
 */
const RESERVED = new Set([
  // ARN and principal structure, principal types, Bool and Null values, the IPs the search invents.
  'arn', 'iam', 'sts', 'kms', 'key', 'root', 'user', 'role', 'assumed-role', 'federated-user', 'com',
  'account', 'assumedrole', 'federateduser', 'anonymous', 'true', 'false', 'db8', 'ffff',
  // Policy variables the analysis reads (documents with variables have no shape anyway).
  'requestedregion', 'resourceaccount', 'resourceorgid', 'resourceorgpaths',
  // Tags of the analysis's own unions and outputs.
  'absent', 'allow', 'always', 'any', 'binary', 'bool', 'canonical-user', 'canonicaluser', 'comparison', 'conditionaldenies',
  'cryptographic', 'date', 'denies-own-endpoint', 'deny', 'direct', 'equals', 'equalsignorecase', 'federated', 'field',
  'forallvalues', 'foranyvalue', 'forvalues-on-single-valued', 'free', 'gte', 'internal', 'invalid-principal', 'ipaddress',
  'kind', 'like', 'lte', 'missing-key-not-denied', 'named', 'never', 'non-restricting', 'none', 'not-all-principals',
  'not-public', 'null', 'numeric', 'order-sensitive', 'outsider', 'outsiders', 'partial-wildcard', 'public',
  'restricting', 'role-session', 'root-user', 'service', 'session', 'shape', 'sometimes', 'status', 'string',
  'symbolic', 'type', 'undecidable', 'unique-id', 'unshapeable', 'yes',
]);
/** Accounts the analysis invents (fresh outsiders, the default key account, the fresh ARN). */
const RESERVED_ACCOUNTS = new Set(['000000000000', '000000000001', '888888888888', '999999999996', '999999999997', '999999999998', '999999999999']);

const ORGANIZATION = /^o-[a-z0-9]+$/;
const PARTITION_LIKE = /^aws(-[a-z0-9]+)*$/i;
const UNIQUE_ID_LIKE = /^a(ida|roa|ipa|gpa|npa|nva|sca)/i;

/** How a token is treated: kept (`kept-cased`: and may equal a renamed one ignoring case), or renamed to a placeholder of its class. */
export type Kind = 'kept' | 'kept-cased' | 'account' | 'organization' | 'name';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function classify(token: string): Kind {
  const n = token.length;
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLetter(c)) letters++;
  }
  if (n === 12 && digits === 12) return RESERVED_ACCOUNTS.has(token) ? 'kept' : 'account';
  if (n < 3 || letters === 0) return 'kept';
  const lower = token.toLowerCase();
  if (RESERVED.has(lower) || lower.includes('kmsgate') || lower.includes('amazonaws') || lower.startsWith('awsservicerolefor')) return 'kept';
  if (PARTITION_LIKE.test(token) || UNIQUE_ID_LIKE.test(token)) return 'kept';
  // `o-…` is an organization id to the analysis: only well-formed ones are renamed, to `o-…` ids.
  if (lower.startsWith('o-')) return ORGANIZATION.test(token) ? 'organization' : 'kept-cased';
  return 'name';
}

/** How renaming treats a token: exported for the test that scans the analysis's constants. */
export function tokenKind(token: string): Kind {
  return classify(token);
}

/**
 * Kept tokens, shared between documents: they recur (`arn`, `aws`, `role`, `amazonaws`), while renamed
 * ones are mostly unique to a document and cheaper to classify again than to keep in a large table.
 */
const kept = new Set<string>();

function kindOf(token: string): Kind {
  if (kept.has(token)) return 'kept';
  const k = classify(token);
  if (k === 'kept') {
    if (kept.size >= 5_000) kept.clear();
    kept.add(token);
  }
  return k;
}

/** Characters of IAM names but `.`: tokens are maximal runs of them (so regions in service names are tokens). */
function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 61 || c === 44 || c === 64 || c === 95 || c === 45;
}

/** Renamed tokens that keep a service-name pattern (`[a-z0-9][a-z0-9.-]*.amazonaws.com`) true or false alike. */
const SERVICE_SAFE = /^[a-z0-9][a-z0-9-]*$/;
/** The kept tokens a service name ends with: without them the pattern is false before and after renaming. */
export const SERVICE_NAME_END = /\.amazonaws\.com(\.cn)?$/;

const STAR = 42;

function letterCode(n: number): string {
  let s = '';
  let x = n;
  do {
    s = String.fromCharCode(97 + (x % 26)) + s;
    x = Math.floor(x / 26);
  } while (x > 0);
  return s;
}

/** The n-th placeholder of each class, made once: `zqa`…, `o-zqa`…, `000000000100`… */
const placeholders: Record<'account' | 'organization' | 'name', string[]> = { account: [], organization: [], name: [] };

function placeholder(kind: 'account' | 'organization' | 'name', n: number): string {
  const list = placeholders[kind];
  let p = list[n];
  if (p === undefined) {
    p = kind === 'account' ? String(100 + n).padStart(12, '0') : kind === 'organization' ? `o-zq${letterCode(n)}` : `zq${letterCode(n)}`;
    list[n] = p;
  }
  return p;
}

/**
 * Strings with nothing to rename and nothing to check (every token kept, no wildcard next to a token):
 * shared by all documents, as tokens are classified the same way in every document.
 */
const plain = new Set<string>();

function remember(s: string): void {
  if (plain.size >= 50_000) plain.clear();
  plain.add(s);
}

/** Failure of a side condition: the document is analysed directly. */
export class Unshapeable extends Error {}

export class Renamer {
  readonly forward = new Map<string, string>();
  readonly inverse = new Map<string, string>();
  private fragments: string[] | null = null;
  private cased: string[] | null = null;
  private readonly renamedLower = new Set<string>();
  private names = 0;
  private accounts = 0;
  private organizations = 0;
  /** The string may be read as a service name: renamed tokens must be lower case. */
  serviceLike = false;
  /** A token holds a run of 12 or more digits inside other characters. */
  embeddedDigits = false;
  /** The string being renamed left something for `finish` to check. */
  private noted = false;

  rename(s: string): string {
    if (plain.has(s)) return s;
    this.noted = false;
    let out = '';
    let last = 0;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (!isTokenChar(c)) {
        // `?` wildcards, policy variables and symbols (`${…}`), control characters (the key's
        // separator) and non-ASCII text are not supported.
        if (c > 126 || c < 32 || c === 63 || c === 36 || c === 123 || c === 125) throw new Unshapeable();
        i++;
        continue;
      }
      let run = isDigit(c) ? 1 : 0;
      let longest = run;
      let j = i + 1;
      for (; j < n; j++) {
        const d = s.charCodeAt(j);
        if (!isTokenChar(d)) break;
        run = isDigit(d) ? run + 1 : 0;
        if (run > longest) longest = run;
      }
      const token = i === 0 && j === n ? s : s.slice(i, j);
      const fragment = (i > 0 && s.charCodeAt(i - 1) === STAR) || (j < n && s.charCodeAt(j) === STAR);
      const placeholder = this.token(token, fragment, longest);
      if (placeholder !== null) {
        out += s.slice(last, i) + placeholder;
        last = j;
      }
      i = j;
    }
    if (last === 0) {
      if (!this.noted) remember(s);
      return s;
    }
    return out + s.slice(last);
  }

  /** `digits`: the longest run of digits in the token. */
  private token(token: string, fragment: boolean, digits: number): string | null {
    if (digits >= 12 && token.length > 12) {
      // The analysis collects 12-digit runs of condition values as named accounts, only to avoid them
      // when it invents accounts: harmless if no invented account can be among them.
      for (const a of RESERVED_ACCOUNTS) if (token.includes(a)) throw new Unshapeable();
      this.embeddedDigits = true;
      this.noted = true;
    }
    const hit = this.forward.get(token);
    if (hit !== undefined) {
      if (fragment || (this.serviceLike && !SERVICE_SAFE.test(token))) throw new Unshapeable();
      return hit;
    }
    if (fragment) {
      (this.fragments ??= []).push(token.toLowerCase());
      this.noted = true;
      return null;
    }
    const kind = kindOf(token);
    if (kind === 'kept') return null;
    if (kind === 'kept-cased') {
      const lower = token.toLowerCase();
      if (lower.startsWith('o-zq')) throw new Unshapeable();
      (this.cased ??= []).push(lower);
      this.noted = true;
      return null;
    }
    if (this.serviceLike && !SERVICE_SAFE.test(token)) throw new Unshapeable();
    const lower = token.toLowerCase();
    if (this.renamedLower.has(lower)) throw new Unshapeable();
    this.renamedLower.add(lower);
    const p = placeholder(kind, kind === 'account' ? this.accounts++ : kind === 'organization' ? this.organizations++ : this.names++);
    this.forward.set(token, p);
    this.inverse.set(p, token);
    return p;
  }

  /**
   * The conditions that need the whole document. Case: a kept token equal to a renamed one ignoring
   * case can only be a malformed `o-…` id (every other rule of `classify` ignores case). Fragments: not
   * inside any renamed token or placeholder.
   */
  finish(): void {
    if (this.cased) for (const lower of this.cased) if (this.renamedLower.has(lower)) throw new Unshapeable();
    if (!this.fragments) return;
    for (const f of this.fragments) {
      for (const [token, placeholder] of this.forward) {
        if (token.toLowerCase().includes(f) || placeholder.includes(f)) throw new Unshapeable();
      }
    }
  }
}

/** Calls `at(start, end)` for each token of `s`. */
function eachToken(s: string, at: (start: number, end: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isTokenChar(s.charCodeAt(j))) j++;
    at(i, j);
    i = j;
  }
}

/** Puts the identifiers back into a string of the shape's facts. */
export function restore(s: string, inverse: ReadonlyMap<string, string>): string {
  let out = '';
  let last = 0;
  eachToken(s, (i, j) => {
    const original = inverse.get(s.slice(i, j));
    if (original === undefined) return;
    out += s.slice(last, i) + original;
    last = j;
  });
  return last === 0 ? s : out + s.slice(last);
}

/** The string as is if it holds no placeholder, else text and placeholders alternating, text first and last. */
export function splitPlaceholders(s: string, placeholders: ReadonlySet<string>): string | string[] {
  const parts: string[] = [];
  let last = 0;
  eachToken(s, (i, j) => {
    const token = s.slice(i, j);
    if (!placeholders.has(token)) return;
    parts.push(s.slice(last, i), token);
    last = j;
  });
  if (parts.length === 0) return s;
  parts.push(s.slice(last));
  return parts;
}
