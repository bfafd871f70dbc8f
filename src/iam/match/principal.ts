// Principal and NotPrincipal against a caller.
// Principal: a listed account matches every identity of that account; a role matches all its sessions;
// a session ARN only that session; "*" everyone.
// NotPrincipal: a caller is left out only when every identity it has is listed (the documented example:
// NotPrincipal [user/Bob, account 444455556666] denies everyone except Bob).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
import type { Caller } from '../evaluate/caller';
import type { PrincipalElement, PrincipalValue } from '../policy/types';

const ci = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

function symbolicMatches(v: PrincipalValue, c: Caller): boolean {
  return c.kind === 'symbolic' && v.raw === c.text;
}

/** Does this Principal value name the caller (or the caller's account)? */
export function principalValueMatches(v: PrincipalValue, c: Caller): boolean {
  if (c.kind === 'anonymous') return v.type === 'any';
  switch (v.type) {
    case 'any':
      return true;
    case 'account':
      return c.kind !== 'service' && c.account !== null && c.account === v.account;
    case 'user':
      return c.kind === 'user' && c.account === v.account && ci(c.name, v.name);
    case 'role':
      return c.kind === 'role-session' && c.account === v.account && ci(c.name, v.name);
    case 'assumed-role':
      return c.kind === 'role-session' && c.account === v.account && ci(c.name, v.name) && c.session === v.session;
    case 'federated-user':
      return c.kind === 'federated-user' && c.account === v.account && c.name === v.name;
    case 'service':
      return c.kind === 'service' && c.name !== null && c.name.toLowerCase() === v.name;
    case 'symbolic':
      return symbolicMatches(v, c);
    case 'unique-id':
      return c.kind === 'symbolic' && c.text === v.raw;
    case 'federated':
    case 'canonical-user':
      return false;
  }
}

/** How a matching Principal element reaches the caller: by naming it, or only through its account. */
export type PrincipalMatch = 'direct' | 'account' | null;

export function principalElementMatch(el: PrincipalElement, c: Caller): PrincipalMatch {
  if (el.negated) return notPrincipalExempts(el.values, c) ? null : 'direct';
  let viaAccount = false;
  for (const v of el.values) {
    if (!principalValueMatches(v, c)) continue;
    if (v.type === 'account') viaAccount = true;
    else return 'direct';
  }
  return viaAccount ? 'account' : null;
}

type Identity = { kind: 'account' | 'user' | 'role' | 'session' | 'federated-user' | 'service' | 'symbolic' };

function identitiesOf(c: Caller): Identity[] {
  switch (c.kind) {
    case 'root':
      return [{ kind: 'account' }];
    case 'user':
      return [{ kind: 'account' }, { kind: 'user' }];
    case 'role-session':
      return [{ kind: 'account' }, { kind: 'role' }, { kind: 'session' }];
    case 'federated-user':
      return [{ kind: 'account' }, { kind: 'federated-user' }];
    case 'service':
      return [{ kind: 'service' }];
    case 'symbolic':
      return c.account ? [{ kind: 'account' }, { kind: 'symbolic' }] : [{ kind: 'symbolic' }];
    case 'anonymous':
      return [];
  }
}

function identityListed(id: Identity, values: readonly PrincipalValue[], c: Caller): boolean {
  return values.some((v) => {
    if (v.type === 'any') return true;
    switch (id.kind) {
      case 'account':
        return v.type === 'account' && v.account === c.account;
      case 'user':
        return v.type === 'user' && principalValueMatches(v, c);
      case 'role':
        return v.type === 'role' && principalValueMatches(v, c);
      case 'session':
        return v.type === 'assumed-role' && principalValueMatches(v, c);
      case 'federated-user':
        return v.type === 'federated-user' && principalValueMatches(v, c);
      case 'service':
        return v.type === 'service' && principalValueMatches(v, c);
      case 'symbolic':
        return v.type === 'symbolic' && principalValueMatches(v, c);
    }
  });
}

/** NotPrincipal leaves the caller out only when each of its identities is listed. */
export function notPrincipalExempts(values: readonly PrincipalValue[], c: Caller): boolean {
  const ids = identitiesOf(c);
  if (ids.length === 0) return values.some((v) => v.type === 'any');
  return ids.every((id) => identityListed(id, values, c));
}
