// The principals a key policy names in its Allow statements, each with the representative callers
// ("subjects") whose evaluation stands for it.
import type { SymbolTable } from '../evaluate/caller';
import { parseCaller } from '../evaluate/caller';
import type { PrincipalValue, Statement } from '../policy/types';
import type { KeyPolicyAnalyzer, Subject } from './analyzer';
import type { PrincipalFactType } from './types';

export interface Entity {
  id: string;
  type: PrincipalFactType;
  account: string | null;
  throughDelegation: boolean;
  /** Allow statements that name this principal. */
  naming: Statement[];
  subjects: Subject[];
}

function valueType(v: PrincipalValue, symbols: SymbolTable): PrincipalFactType {
  switch (v.type) {
    case 'any':
      return 'any';
    case 'account':
      return 'account';
    case 'user':
    case 'role':
    case 'assumed-role':
    case 'service':
      return v.type;
    case 'federated-user':
    case 'federated':
    case 'canonical-user':
      return 'federated';
    case 'unique-id':
      return v.raw.startsWith('AIDA') ? 'user' : v.raw.startsWith('AROA') ? 'role' : 'symbolic';
    case 'symbolic': {
      const t = symbols[v.name ?? '']?.type;
      return t === 'role' || t === 'user' || t === 'assumed-role' || t === 'service' || t === 'account' ? t : 'symbolic';
    }
  }
}

function entityKey(v: PrincipalValue): string {
  if (v.type === 'role' || v.type === 'user') return `${v.type}:${v.account}:${(v.name ?? '').toLowerCase()}`;
  return `${v.type}:${v.id}`;
}

export function entitiesOf(a: KeyPolicyAnalyzer): Entity[] {
  const byKey = new Map<string, Entity>();
  const any = (): Entity => {
    let e = byKey.get('any');
    if (!e) {
      const k = a.keyAccount;
      const internal = [`arn:aws:iam::${k}:role/kmsgate-fresh-role`, `arn:aws:iam::${k}:user/kmsgate-fresh-user`]
        .map((t) => parseCaller(t))
        .filter((c) => c !== null)
        .map((c) => a.subject(c, 'internal'));
      e = { id: '*', type: 'any', account: '*', throughDelegation: false, naming: [], subjects: [...internal, ...a.outsiders()] };
      byKey.set('any', e);
    }
    return e;
  };
  for (const st of a.statements) {
    if (st.effect !== 'Allow' || !st.principal) continue;
    if (st.principal.negated) {
      any().naming.push(st);
      continue;
    }
    for (const v of st.principal.values) {
      if (v.type === 'any') {
        const e = any();
        if (!e.naming.includes(st)) e.naming.push(st);
        continue;
      }
      if (v.type === 'federated' || v.type === 'canonical-user') continue;
      const key = entityKey(v);
      let e = byKey.get(key);
      if (!e) {
        e = makeEntity(a, v);
        byKey.set(key, e);
      }
      if (!e.naming.includes(st)) e.naming.push(st);
    }
  }
  return [...byKey.values()];
}

function makeEntity(a: KeyPolicyAnalyzer, v: PrincipalValue): Entity {
  const type = valueType(v, a.symbols);
  if (v.type === 'account' && v.account) {
    return { id: v.id, type, account: v.account, throughDelegation: true, naming: [], subjects: a.accountSubjects(v.account) };
  }
  let text = v.raw;
  if (v.type === 'service') text = v.name ?? v.raw;
  const caller = parseCaller(text, new Map(), a.symbols);
  const symbolAccount = v.type === 'symbolic' ? (a.symbols[v.name ?? '']?.account ?? null) : null;
  return {
    id: v.type === 'service' ? (v.name ?? v.raw) : v.raw,
    type,
    account: v.account ?? symbolAccount,
    throughDelegation: false,
    naming: [],
    subjects: caller ? [a.subject(caller)] : [],
  };
}
