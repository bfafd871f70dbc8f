// The shape of a key policy: the document and its context with every identifier (account id, role and
// user names and paths, endpoint, VPC and organization ids, key ids, regions…) replaced by a placeholder
// in order of first appearance (rename.ts). Estates build thousands of key policies from a few
// templates; their facts are computed once per shape and instantiated by putting the identifiers back.
//
// Why that gives the same answers. Renaming is a bijection σ on tokens (rename.ts), applied to every
// string of the values (principals, resources, condition values, key ARN and account, organization).
// The analysis touches those strings only by equality, case-insensitive equality, glob and ARN
// matching, splitting at `:`/`/`, concatenation with constants, a few regular expressions (12-digit
// account, `o-…` organization, IAM ARN, service name, unique id), IP, number and date parsing, and
// sorting. Each commutes with σ under the conditions checked here, else `canonicalShape` returns null
// and the caller analyses the document directly:
// - constants of the analysis are never renamed (rename.ts RESERVED and prefixes; test/iam/shape.test.ts
//   scans the sources for literals), and placeholders keep every class a regular expression tests
//   (12 digits stay 12 digits, `o-…` stays `o-…`, names never look like accounts, services or ids);
// - glob matching: a literal run next to a wildcard ("fragment") must not occur inside any renamed token
//   or placeholder, so a match aligns renamed tokens whole, on both sides; `?` is not supported;
// - case: no two renamed tokens, nor a renamed token and a kept one, are equal ignoring case; tokens
//   of names that may be read as service names, or lower-cased into ids, are lower case;
// - `\d{12}` scans (named accounts) may see runs inside renamed tokens only if the analysis invents no
//   account that could equal one; no non-ASCII text, no policy variables or symbols;
// - keys compared as numbers, dates or IP addresses carry no renamed tokens (numbers and dates: nor may
//   they be keys AWS sets from the caller);
// - sorting: outputs are sorted again after instantiation (instantiate.ts); the two decisions inside
//   the analysis that depend on the sorted order of renamed strings (which named identity of an account
//   is tried first, which of several endpoints a mistake names) are reported by the analyzer, and then
//   the facts carry over only to documents whose identifiers sort the same way (key-policy.ts).
// The context is reduced to what the document can see: no organization without a condition on it, no
// key ARN without a Resource other than "*" or aws:RequestedRegion (its account kept).
// The differential test (test/iam/differential.test.ts) compares both paths on estates, the whole
// facts table and random policies.
import { arnAccount, splitArn } from '../match/arn';
import { hasWildcard } from '../match/glob';
import { classifyPrincipal } from '../policy/principal';
import type { ConditionClause, PolicyDocument, PrincipalValue, Statement } from '../policy/types';
import type { FactsContext } from './analyzer';
import { Renamer, SERVICE_NAME_END, Unshapeable } from './rename';

export interface Shape {
  /** Equal keys: equal documents and contexts after renaming, so equal facts up to renaming. */
  key: string;
  /** Placeholder → identifier. */
  inverse: ReadonlyMap<string, string>;
  /** The key ARN, when the document cannot see it: the shape's facts were computed without it. */
  keyArn: string | null;
  /** The renamed document and context, built on demand (only a new shape needs them). */
  build(): { doc: PolicyDocument; ctx: FactsContext };
}

/** Keys whose values are parsed as IP addresses somewhere in the analysis. */
const IP_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);
/** Request keys the analysis sets from the caller and the key: their values carry identifiers. */
const DERIVED_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'kms:calleraccount', 'aws:userid', 'aws:username', 'aws:principalservicename', 'aws:resourceaccount', 'aws:resourceorgid', 'aws:principalorgid', 'aws:requestedregion']);

/**
 * Keys whose values are compared as numbers, dates or IP addresses: renaming does not commute with
 * those, so none of their values may carry identifiers (and, for numbers and dates, not the caller's).
 */
function parsedKeys(doc: PolicyDocument): Set<string> | null {
  let out: Set<string> | null = null;
  for (const st of doc.statements) {
    for (const c of st.conditions) {
      if (c.family === 'Numeric' || c.family === 'Date') {
        if (DERIVED_KEYS.has(c.keyLower)) throw new Unshapeable();
        (out ??= new Set()).add(c.keyLower);
      } else if (c.family === 'IpAddress' || IP_KEYS.has(c.keyLower)) (out ??= new Set()).add(c.keyLower);
    }
  }
  return out;
}

function renamedPrincipal(r: Renamer, v: PrincipalValue): PrincipalValue {
  const raw = r.rename(v.raw);
  if (raw === v.raw) return v;
  const c = classifyPrincipal(raw, v.field);
  // Renaming keeps the class of every principal (header); anything else is a bug.
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
function shapeKey(r: Renamer, doc: PolicyDocument, ctx: FactsContext, parsed: ReadonlySet<string> | null): string {
  // Fields in a fixed order, lists preceded by their length, joined by a character no field holds.
  // Indexed loops: this runs once per document and should allocate nothing but the key.
  const verbatim = (x: string): string => {
    if (x.includes('\u0001') || x.includes('\u0002')) throw new Unshapeable();
    return x;
  };
  const renamed = (x: string | null | undefined): string => (x === null || x === undefined ? '\u0002' : r.rename(x));
  const statements = doc.statements;
  // Sized in advance: the list is filled, never grown.
  let size = 6;
  for (let s = 0; s < statements.length; s++) {
    const st = statements[s] as Statement;
    size += 5 + st.action.patterns.length + (st.principal ? 2 + 2 * st.principal.values.length : 0) + (st.resource ? 2 + st.resource.patterns.length : 0);
    for (let j = 0; j < st.conditions.length; j++) size += 4 + (st.conditions[j] as ConditionClause).values.length;
  }
  const k: (string | number | boolean)[] = new Array<string | number | boolean>(size);
  let n = 0;
  k[n++] = doc.kind;
  k[n++] = doc.variablesEnabled;
  k[n++] = renamed(ctx.keyArn);
  k[n++] = renamed(ctx.keyAccount);
  k[n++] = renamed(ctx.organizationId);
  k[n++] = ctx.keyUsage === null || ctx.keyUsage === undefined ? '\u0002' : verbatim(ctx.keyUsage);
  for (let s = 0; s < statements.length; s++) {
    const st = statements[s] as Statement;
    k[n++] = 'S';
    k[n++] = verbatim(st.ref);
    k[n++] = st.effect;
    if (st.principal) {
      const values = st.principal.values;
      k[n++] = st.principal.negated ? 'NP' : 'P';
      k[n++] = values.length;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as PrincipalValue;
        // Service principals are lower-cased into ids and read as service names: lower-case tokens only.
        if (v.field !== 'AWS' && v.field !== '*') r.serviceLike = true;
        const raw = r.rename(v.raw);
        r.serviceLike = false;
        if (raw !== v.raw && v.field !== 'AWS' && v.field !== 'Service') throw new Unshapeable();
        k[n++] = v.field;
        k[n++] = raw;
      }
    }
    const actions = st.action.patterns;
    k[n++] = st.action.negated ? 'NA' : 'A';
    k[n++] = actions.length;
    for (let i = 0; i < actions.length; i++) k[n++] = verbatim(actions[i] as string);
    if (st.resource) {
      const patterns = st.resource.patterns;
      k[n++] = st.resource.negated ? 'NR' : 'R';
      k[n++] = patterns.length;
      for (let i = 0; i < patterns.length; i++) k[n++] = r.rename(patterns[i] as string);
    }
    const conditions = st.conditions;
    for (let j = 0; j < conditions.length; j++) {
      const c = conditions[j] as ConditionClause;
      const values = c.values;
      k[n++] = 'C';
      k[n++] = verbatim(c.operator);
      k[n++] = verbatim(c.key);
      k[n++] = values.length;
      let changed = false;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as string;
        // aws:PrincipalArn values become callers, and a caller may be a service name (never with a `:`).
        r.serviceLike = c.keyLower === 'aws:principalarn' && !v.includes(':') && SERVICE_NAME_END.test(v);
        const out = r.rename(v);
        if (out !== v) changed = true;
        k[n++] = out;
      }
      r.serviceLike = false;
      if (changed && parsed?.has(c.keyLower)) throw new Unshapeable();
    }
  }
  k.length = n;
  return k.join('\u0001');
}

/**
 * The organization only reaches the analysis as aws:ResourceOrgID and (same-account callers)
 * aws:PrincipalOrgID: without a condition on either, it cannot change a fact.
 */
function readsOrganization(doc: PolicyDocument): boolean {
  return doc.statements.some((st) => st.conditions.some((c) => c.keyLower === 'aws:principalorgid' || c.keyLower === 'aws:resourceorgid'));
}

/**
 * The key ARN reaches the analysis through Resource patterns other than "*", and as aws:RequestedRegion.
 * Without either it only supplies the key's account, and the facts' `keyArn` and note about it.
 */
function readsKeyArn(doc: PolicyDocument): boolean {
  return doc.statements.some((st) => (st.resource?.patterns.some((p) => p !== '*') ?? false) || st.conditions.some((c) => c.keyLower === 'aws:requestedregion'));
}

/**
 * The context the facts depend on: without the organization or the key ARN when the document cannot see
 * them (symbols too: documents that could name one have no shape). `keyArn`: the one left out.
 */
function relevantContext(doc: PolicyDocument, ctx: FactsContext): { ctx: FactsContext; keyArn: string | null } {
  const organizationId = readsOrganization(doc) ? (ctx.organizationId ?? null) : null;
  const keyArn = ctx.keyArn ?? null;
  const keyUsage = ctx.keyUsage ?? null;
  if (!keyArn || readsKeyArn(doc)) return { ctx: { keyArn, keyAccount: ctx.keyAccount ?? null, organizationId, keyUsage }, keyArn: null };
  // The analyzer takes the account from ctx.keyAccount, else from the key ARN.
  return { ctx: { keyArn: null, keyAccount: ctx.keyAccount ?? arnAccount(keyArn), organizationId, keyUsage }, keyArn };
}

/** The shape of a document and context, or null when renaming could change an answer. */
export function canonicalShape(doc: PolicyDocument, givenCtx: FactsContext): Shape | null {
  const { ctx, keyArn } = relevantContext(doc, givenCtx);
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
  return { key, inverse: r.inverse, keyArn, build };
}

