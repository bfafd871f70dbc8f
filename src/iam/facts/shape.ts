// The shape of a key policy: the document and its context with every identifier (account id, role and
// user names and paths, endpoint, VPC and organization ids, key ids, regions…) replaced by a placeholder
// in order of first appearance. Estates build thousands of key policies from a few templates; their
// facts are computed once per shape and instantiated by putting the identifiers back.
//
// Why that gives the same answers. Take "tokens" to be the maximal runs of the characters IAM names use
// ([A-Za-z0-9+=,.@_-]); every other character (`:`, `/`, `*`, spaces…) separates them. Renaming is a
// bijection σ on tokens, applied to every string of the values (principals, resources, condition
// values, key ARN and account, organization). The analysis touches those strings only by equality,
// case-insensitive equality, glob and ARN matching, splitting at `:`/`/`, concatenation with constants,
// a few regular expressions (12-digit account, `o-…` organization, IAM ARN, service name, unique id),
// IP parsing, and sorting. Each commutes with σ under the conditions `canonicalShape` checks, else it
// returns null and the caller analyses the document directly:
// - constants of the analysis are never renamed (RESERVED, reserved prefixes; test/iam/shape.test.ts
//   scans the sources for string literals), and placeholders keep every class a regular expression tests
//   (12 digits stay 12 digits, `o-…` stays `o-…`, names never look like accounts, services or ids);
// - glob matching: a literal run next to a wildcard ("fragment") must not occur inside any renamed token
//   or placeholder, so a match aligns renamed tokens whole, on both sides; `?` is not supported;
// - case: no two renamed tokens, nor a renamed token and a kept one, are equal ignoring case;
// - `\d{12}` scans see only whole 12-digit tokens; no non-ASCII text, no policy variables or symbols;
// - keys compared as numbers, dates or IP addresses carry no renamed tokens (numbers and dates: nor may
//   they be keys AWS sets from the caller); Service principals (lower-cased into ids) neither;
// - sorting: outputs are sorted again after instantiation; the two decisions inside the analysis that
//   depend on the sorted order of renamed strings (which named identity of an account is tried first,
//   which of several endpoints a mistake names) are reported by the analyzer as `orderSensitive`, and
//   such shapes are analysed directly.
// The differential test (test/iam/differential.test.ts) compares both paths on estates, the whole
// facts table and random policies.
import { splitArn } from '../match/arn';
import { hasWildcard } from '../match/glob';
import { classifyPrincipal } from '../policy/principal';
import type { ConditionClause, PolicyDocument, PrincipalValue, Statement } from '../policy/types';
import type { FactsContext } from './analyzer';

export interface Shape {
  /** Equal keys: equal documents and contexts after renaming, so equal facts up to renaming. */
  key: string;
  /** Placeholder → identifier. */
  inverse: ReadonlyMap<string, string>;
  /** The renamed document and context, built on demand (only a new shape needs them). */
  build(): { doc: PolicyDocument; ctx: FactsContext };
}

/** Tokens the analysis itself uses: never renamed (lower case). */
const RESERVED = new Set([
  'arn', 'aws', 'iam', 'sts', 'kms', 'root', 'user', 'role', 'assumed-role', 'federated-user', 'key', 'alias',
  'account', 'assumedrole', 'federateduser', 'anonymous', 'true', 'false', 'tf', 'db8', 'ffff', 'any',
  'service', 'symbolic', 'unique-id', 'federated', 'canonical-user', 'session', 'role-session', 'root-user',
  'absent', 'free', 'outsider', 'outsiders', 'named', 'internal', 'direct', 'always', 'never', 'sometimes',
  'allow', 'deny', 'string', 'numeric', 'date', 'bool', 'binary', 'ipaddress', 'null', 'arn', 'like',
  'equals', 'equalsignorecase', 'forallvalues', 'foranyvalue', 'yes', 'no', 'public', 'not-public',
  'undecidable', 'restricting', 'non-restricting', 'none', 'cryptographic', 'administrative', 'grant', 'read',
  'encrypt_decrypt', 'sign_verify', 'generate_verify_mac', 'key_agreement', 'key_encapsulation',
  'partial-wildcard', 'invalid-principal', 'denies-own-endpoint', 'missing-key-not-denied',
  'not-all-principals', 'forvalues-on-single-valued', 'comparison', 'field', 'kind', 'type', 'status',
  'pattern', 'filler', 'policy', 'test', 'via', 'deny', 'name', 'conditionaldenies', 'useractions',
  'gt', 'gte', 'lt', 'lte', 'canonicaluser', 'com',
]);
/** Accounts the analysis invents (fresh outsiders, the default key account, the fresh ARN). */
const RESERVED_ACCOUNTS = new Set(['000000000000', '000000000001', '888888888888', '999999999996', '999999999997', '999999999998', '999999999999']);

const ORGANIZATION = /^o-[a-z0-9]+$/;
const PARTITION_LIKE = /^aws(-[a-z0-9]+)*$/i;
const UNIQUE_ID_LIKE = /^a(ida|roa|ipa|gpa|npa|nva|sca)/i;
const LONG_DIGITS = /\d{12}/;

/** How a token is treated: kept (`kept-cased`: and may equal a renamed one ignoring case), or renamed to a placeholder of its class. */
type Kind = 'kept' | 'kept-cased' | 'account' | 'organization' | 'name';

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

/** Token classes, shared between documents: most tokens (`arn`, `aws`, `role`, paths) recur. */
const kinds = new Map<string, Kind>();

function kindOf(token: string): Kind {
  let k = kinds.get(token);
  if (k === undefined) {
    k = classify(token);
    if (kinds.size >= 50_000) kinds.clear();
    kinds.set(token, k);
  }
  return k;
}

/** Characters of IAM names but `.`: tokens are maximal runs of them (so regions in service names are tokens). */
function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 61 || c === 44 || c === 64 || c === 95 || c === 45;
}

/** Renamed tokens that keep a service-name pattern (`[a-z0-9][a-z0-9.-]*.amazonaws.com`) true or false alike. */
const SERVICE_SAFE = /^[a-z0-9][a-z0-9-]*$/;

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

/** Failure of a side condition: the document is analysed directly. */
class Unshapeable extends Error {}

class Renamer {
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

  rename(s: string): string {
    let out = '';
    let last = 0;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (!isTokenChar(c)) {
        // `?` wildcards, policy variables and symbols (`${…}`) and non-ASCII text are not supported.
        if (c > 126 || c === 63 || c === 36 || c === 123 || c === 125) throw new Unshapeable();
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && isTokenChar(s.charCodeAt(j))) j++;
      const token = i === 0 && j === n ? s : s.slice(i, j);
      const fragment = (i > 0 && s.charCodeAt(i - 1) === STAR) || (j < n && s.charCodeAt(j) === STAR);
      const placeholder = this.token(token, fragment);
      if (placeholder !== null) {
        out += s.slice(last, i) + placeholder;
        last = j;
      }
      i = j;
    }
    return last === 0 ? s : out + s.slice(last);
  }

  private token(token: string, fragment: boolean): string | null {
    if (token.length > 12 && LONG_DIGITS.test(token)) {
      // The analysis collects 12-digit runs of condition values as named accounts, only to avoid them
      // when it invents accounts: harmless if no invented account can be among them.
      for (const a of RESERVED_ACCOUNTS) if (token.includes(a)) throw new Unshapeable();
      this.embeddedDigits = true;
    }
    const hit = this.forward.get(token);
    if (hit !== undefined) {
      if (fragment || (this.serviceLike && !SERVICE_SAFE.test(token))) throw new Unshapeable();
      return hit;
    }
    if (fragment) {
      (this.fragments ??= []).push(token.toLowerCase());
      return null;
    }
    const kind = kindOf(token);
    if (kind === 'kept') return null;
    if (kind === 'kept-cased') {
      const lower = token.toLowerCase();
      if (lower.startsWith('o-zq')) throw new Unshapeable();
      (this.cased ??= []).push(lower);
      return null;
    }
    if (this.serviceLike && !SERVICE_SAFE.test(token)) throw new Unshapeable();
    const lower = token.toLowerCase();
    if (this.renamedLower.has(lower)) throw new Unshapeable();
    this.renamedLower.add(lower);
    let placeholder: string;
    if (kind === 'account') placeholder = String(100 + this.accounts++).padStart(12, '0');
    else if (kind === 'organization') placeholder = `o-zq${letterCode(this.organizations++)}`;
    else placeholder = `zq${letterCode(this.names++)}`;
    this.forward.set(token, placeholder);
    this.inverse.set(placeholder, token);
    return placeholder;
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

/** Keys whose values are parsed as IP addresses somewhere in the analysis. */
const IP_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);
/** Request keys the analysis sets from the caller and the key: their values carry identifiers. */
const DERIVED_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'kms:calleraccount', 'aws:userid', 'aws:username', 'aws:principalservicename', 'aws:resourceaccount', 'aws:resourceorgid', 'aws:principalorgid', 'aws:requestedregion']);

/**
 * Keys whose values are compared as numbers, dates or IP addresses: renaming does not commute with
 * those, so none of their values may carry identifiers (and, for numbers and dates, not the caller's).
 */
function parsedKeys(doc: PolicyDocument): Set<string> {
  const out = new Set<string>();
  for (const st of doc.statements) {
    for (const c of st.conditions) {
      if (c.family === 'Numeric' || c.family === 'Date') {
        if (DERIVED_KEYS.has(c.keyLower)) throw new Unshapeable();
        out.add(c.keyLower);
      } else if (c.family === 'IpAddress' || IP_KEYS.has(c.keyLower)) out.add(c.keyLower);
    }
  }
  return out;
}

function renamedPrincipal(r: Renamer, v: PrincipalValue): PrincipalValue {
  const raw = r.rename(v.raw);
  if (raw === v.raw) return v;
  const c = classifyPrincipal(raw, v.field);
  // Renaming keeps the class of every principal (shape.ts header); anything else is a bug.
  if ('error' in c || c.value.type !== v.type) throw new Error(`renaming changed the class of principal ${v.raw}`);
  return c.value;
}

function renamedStatement(r: Renamer, st: Statement): Statement {
  const principal = st.principal ? { negated: st.principal.negated, values: st.principal.values.map((v) => renamedPrincipal(r, v)) } : null;
  const resource = st.resource ? { negated: st.resource.negated, patterns: st.resource.patterns.map((p) => r.rename(p)) } : null;
  const conditions = st.conditions.map((c): ConditionClause => {
    const values = c.values.map((v) => r.rename(v));
    return values.every((v, i) => v === c.values[i]) ? c : { ...c, values };
  });
  return { ...st, principal, resource, conditions };
}

/** Account patterns (aws:PrincipalArn, aws:PrincipalAccount, kms:CallerAccount) make the analysis invent matching accounts. */
function accountPatterns(doc: PolicyDocument): boolean {
  for (const st of doc.statements) {
    for (const c of st.conditions) {
      if (c.keyLower === 'aws:principalarn' && c.values.some((v) => hasWildcard(splitArn(v)?.[4] ?? ''))) return true;
      if ((c.keyLower === 'aws:principalaccount' || c.keyLower === 'kms:calleraccount') && c.values.some(hasWildcard)) return true;
    }
  }
  return false;
}

const nullable = (r: Renamer, v: string | null | undefined): string | null => (v === null || v === undefined ? null : r.rename(v));

/**
 * The key lists everything the analysis reads, renamed: the context, and per statement the Sid ref,
 * effect, principals (field and text), actions, resources, and conditions (operator and key as written,
 * values). Markers keep the flat list unambiguous.
 */
function shapeKey(r: Renamer, doc: PolicyDocument, ctx: FactsContext, parsed: ReadonlySet<string>): string {
  const k: (string | boolean | number | null)[] = [doc.kind, doc.variablesEnabled, nullable(r, ctx.keyArn), nullable(r, ctx.keyAccount), nullable(r, ctx.organizationId), ctx.keyUsage ?? null];
  for (const st of doc.statements) {
    k.push('S', st.ref, st.effect);
    if (st.principal) {
      k.push(st.principal.negated ? 'NP' : 'P', st.principal.values.length);
      for (const v of st.principal.values) {
        // Service principals are lower-cased into ids and read as service names: lower-case tokens only.
        if (v.field !== 'AWS' && v.field !== '*') r.serviceLike = true;
        const raw = r.rename(v.raw);
        r.serviceLike = false;
        if (raw !== v.raw && v.field !== 'AWS' && v.field !== 'Service') throw new Unshapeable();
        k.push(v.field, raw);
      }
    }
    k.push(st.action.negated ? 'NA' : 'A', st.action.patterns.length, ...st.action.patterns);
    if (st.resource) {
      k.push(st.resource.negated ? 'NR' : 'R', st.resource.patterns.length);
      for (const p of st.resource.patterns) k.push(r.rename(p));
    }
    for (const c of st.conditions) {
      k.push('C', c.operator, c.key, c.values.length);
      // aws:PrincipalArn values become callers, and a caller may be a service name.
      r.serviceLike = c.keyLower === 'aws:principalarn';
      let changed = false;
      for (const v of c.values) {
        const renamed = r.rename(v);
        if (renamed !== v) changed = true;
        k.push(renamed);
      }
      r.serviceLike = false;
      if (changed && parsed.has(c.keyLower)) throw new Unshapeable();
    }
  }
  return JSON.stringify(k);
}

/** The shape of a document and context, or null when renaming could change an answer. */
export function canonicalShape(doc: PolicyDocument, ctx: FactsContext): Shape | null {
  const r = new Renamer();
  let key: string;
  try {
    key = shapeKey(r, doc, ctx, parsedKeys(doc));
    r.finish();
  } catch (e) {
    if (e instanceof Unshapeable) return null;
    throw e;
  }
  if (r.embeddedDigits && accountPatterns(doc)) return null;
  const build = () => {
    const shaped: FactsContext = { keyArn: nullable(r, ctx.keyArn), keyAccount: nullable(r, ctx.keyAccount), organizationId: nullable(r, ctx.organizationId), keyUsage: ctx.keyUsage ?? null };
    return { doc: { ...doc, statements: doc.statements.map((st) => renamedStatement(r, st)) }, ctx: shaped };
  };
  return { key, inverse: r.inverse, build };
}

/** Puts the identifiers back into a string of the shape's facts. */
export function restore(s: string, inverse: ReadonlyMap<string, string>): string {
  if (inverse.size === 0) return s;
  let out = '';
  let last = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isTokenChar(s.charCodeAt(j))) j++;
    const original = inverse.get(s.slice(i, j));
    if (original !== undefined) {
      out += s.slice(last, i) + original;
      last = j;
    }
    i = j;
  }
  return last === 0 ? s : out + s.slice(last);
}
