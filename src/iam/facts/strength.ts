// Which conditions really restrict who can call: a positive operator with fixed values on a key AWS sets
// from the caller's identity or network. Wildcards, …IfExists, ForAllValues, negated operators (in an
// Allow), Null, caller-controlled keys (encryption context, principal tags) and kms:ViaService restrict
// nothing. Follows S3 "The meaning of public" and IAM Access Analyzer's key list.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html
import { arnAccount, isSymbolic } from '../match/arn';
import { hasWildcard } from '../match/glob';
import type { ConditionClause, Statement } from '../policy/types';
import { parseIpRange } from '../policy/values';

export type ConditionStrength = 'none' | 'restricting' | 'non-restricting';

const ARN_KEYS = new Set(['aws:principalarn', 'aws:sourcearn', 'aws:sourcevpcarn']);
const PLAIN_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalaccount',
  'kms:calleraccount',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:vpceaccount',
  'aws:vpceorgid',
]);
const PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths', 'aws:vpceorgpaths']);

export function isRestrictingKey(keyLower: string): boolean {
  return ARN_KEYS.has(keyLower) || PLAIN_KEYS.has(keyLower) || PATH_KEYS.has(keyLower) || keyLower === 'aws:userid' || keyLower === 'aws:sourceip';
}

/** Variables that stand for a fixed value of the resource itself. */
const FIXED_VARIABLES = /^\$\{aws:(resourceaccount|resourceorgid|resourceorgpaths)\}$/i;

/** Does this value pin the key to something an outsider cannot have (a fixed account, org, endpoint)? */
export function fixedValue(keyLower: string, c: ConditionClause, v: string): boolean {
  if (isSymbolic(v)) return true;
  const vars = v.match(/\$\{[^}]*\}/g) ?? [];
  if (vars.some((x) => !FIXED_VARIABLES.test(x) && !x.startsWith('${tf:'))) return false;
  if (keyLower === 'aws:sourceip') {
    const r = parseIpRange(v);
    return r !== null && r.prefix >= (r.version === 4 ? 8 : 32);
  }
  const wild = c.comparison === 'like' && hasWildcard(v);
  if (!wild) return true;
  if (ARN_KEYS.has(keyLower)) {
    const account = arnAccount(v);
    return account !== null && account !== '' && !hasWildcard(account);
  }
  if (keyLower === 'aws:userid') {
    const colon = v.indexOf(':');
    return colon > 0 && !hasWildcard(v.slice(0, colon));
  }
  if (PATH_KEYS.has(keyLower)) {
    const first = v.split('/')[0] ?? '';
    return first.startsWith('o-') && !hasWildcard(first);
  }
  return false;
}

export function clauseRestricts(c: ConditionClause): boolean {
  if (!isRestrictingKey(c.keyLower)) return false;
  if (c.negated || c.ifExists || c.set === 'ForAllValues' || c.family === 'Null' || c.values.length === 0) return false;
  return c.values.every((v) => fixedValue(c.keyLower, c, v));
}

export interface StatementStrength {
  strength: ConditionStrength;
  /** Keys as written, sorted, of the clauses that restrict. */
  restrictingKeys: string[];
}

export function statementStrength(st: Statement): StatementStrength {
  if (st.conditions.length === 0) return { strength: 'none', restrictingKeys: [] };
  const keys = [...new Set(st.conditions.filter(clauseRestricts).map((c) => c.key))].sort();
  return { strength: keys.length > 0 ? 'restricting' : 'non-restricting', restrictingKeys: keys };
}

const ORDER: Record<ConditionStrength, number> = { none: 0, 'non-restricting': 1, restricting: 2 };

/** The weakest of several grants: one unconditioned path makes the whole access unconditioned. */
export function weakest(list: readonly ConditionStrength[]): ConditionStrength {
  let out: ConditionStrength = 'restricting';
  for (const s of list) if (ORDER[s] < ORDER[out]) out = s;
  return list.length === 0 ? 'none' : out;
}
