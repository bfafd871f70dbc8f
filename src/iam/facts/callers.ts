// Representative callers for the abstraction and the request keys AWS derives from each of them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principal-properties
import { isIamIdentity, parseCaller, principalArn, type Caller, type SymbolTable } from '../evaluate/caller';
import { hasWildcard } from '../match/glob';
import type { PolicyDocument, Statement } from '../policy/types';

/** The context keys AWS sets from who the caller is, for the facts' fixed part of a request. */
export function callerBase(caller: Caller, key: { account: string | null; organizationId: string | null; region: string | null }): Map<string, readonly string[]> {
  const base = new Map<string, readonly string[]>();
  const set = (name: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined) base.set(name, [v]);
  };
  const identity = isIamIdentity(caller);
  if (identity) {
    set('aws:principalarn', principalArn(caller));
    set('aws:principalaccount', caller.account);
    set('kms:calleraccount', caller.account);
  }
  set('aws:principaltype', PRINCIPAL_TYPE[caller.kind]);
  if (caller.kind === 'root') set('aws:userid', caller.account);
  if (caller.kind === 'federated-user') set('aws:userid', `${caller.account}:${caller.name}`);
  if (caller.kind === 'user') set('aws:username', caller.name);
  set('aws:principalisawsservice', caller.kind === 'service' ? 'true' : 'false');
  if (caller.kind === 'service') set('aws:principalservicename', caller.name);
  if (key.account) set('aws:resourceaccount', key.account);
  if (key.organizationId) {
    set('aws:resourceorgid', key.organizationId);
    if (identity && key.account !== null && caller.account === key.account) set('aws:principalorgid', key.organizationId);
  }
  // The KMS API is HTTPS only.
  set('aws:securetransport', 'true');
  set('aws:requestedregion', key.region);
  return base;
}

const PRINCIPAL_TYPE: Partial<Record<Caller['kind'], string>> = { root: 'Account', user: 'User', 'role-session': 'AssumedRole', 'federated-user': 'FederatedUser' };

export function namedAccounts(doc: PolicyDocument): Set<string> {
  const out = new Set<string>();
  for (const st of doc.statements) {
    for (const v of st.principal?.values ?? []) if (v.account) out.add(v.account);
    for (const c of st.conditions) for (const v of c.values) for (const m of v.matchAll(/\d{12}/g)) out.add(m[0]);
  }
  return out;
}

export function accountOfText(t: string): string | null {
  return /::(\d{12}):/.exec(t)?.[1] ?? null;
}

export function uniqueCallers(texts: readonly string[], symbols: SymbolTable): Caller[] {
  const seen = new Set<string>();
  const out: Caller[] = [];
  for (const t of texts) {
    if (seen.has(t)) continue;
    seen.add(t);
    const c = parseCaller(t, new Map(), symbols);
    if (c) out.push(c);
  }
  return out;
}

/** The account of the policy's account-root statement, when exactly one account is named that way. */
export function singleRootAccount(doc: PolicyDocument): string | null {
  const accounts = new Set<string>();
  for (const st of doc.statements) {
    if (st.effect !== 'Allow' || st.principal?.negated) continue;
    for (const v of st.principal?.values ?? []) if (v.type === 'account' && v.account) accounts.add(v.account);
  }
  return accounts.size === 1 ? ([...accounts][0] ?? null) : null;
}

/** IAM identities the policy names, in principals or in aws:PrincipalArn values, sorted. */
export function namedIdentities(statements: readonly Statement[]): string[] {
  const out = new Set<string>();
  for (const st of statements) {
    for (const v of st.principal?.values ?? []) if (['user', 'role', 'assumed-role', 'federated-user'].includes(v.type)) out.add(v.raw);
    for (const c of st.conditions) if (c.keyLower === 'aws:principalarn') for (const v of c.values) if (!hasWildcard(v) && !v.includes('${')) out.add(v);
  }
  return [...out].sort();
}
