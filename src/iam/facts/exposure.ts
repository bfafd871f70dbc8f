// Exposure beyond the key's account: public (any principal of any account), every identity of the key
// account through "*", and access per other account or organization.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html
import { parseCaller } from '../evaluate/caller';
import type { KeyPolicyAnalyzer } from './analyzer';
import { allows, classesOf, collect, grantPaths, sortActions, sortStrings } from './principals';
import { weakest } from './strength';
import type { AnyPrincipalInKeyAccount, CrossAccountAccess, PublicExposure } from './types';

export function publicExposure(a: KeyPolicyAnalyzer): PublicExposure {
  const c = collect(a, a.outsiders(), allows(a), true);
  const statements = sortStrings([...c.byStatement.keys()].map((s) => s.ref));
  const status: PublicExposure['status'] = c.decided ? 'public' : c.undecidable ? 'undecidable' : 'not-public';
  return {
    status,
    public: status !== 'not-public',
    actions: sortActions(c.actions),
    actionClasses: classesOf(c.actions),
    statements,
    viaCreateGrant: c.actions.has('kms:CreateGrant'),
  };
}

export function anyInKeyAccount(a: KeyPolicyAnalyzer): AnyPrincipalInKeyAccount {
  const subjects = [`arn:aws:iam::${a.keyAccount}:role/kmsgate-fresh-role`, `arn:aws:iam::${a.keyAccount}:user/kmsgate-fresh-user`]
    .map((t) => parseCaller(t))
    .filter((x) => x !== null)
    .map((x) => a.subject(x, 'internal'));
  const direct = allows(a).filter((st) => st.principal !== null && (st.principal.negated || st.principal.values.some((v) => v.type === 'any')));
  const c = collect(a, subjects, direct, false);
  return { actions: sortActions(c.actions), actionClasses: classesOf(c.actions), statements: sortStrings([...c.byStatement.keys()].map((s) => s.ref)), putKeyPolicy: c.actions.has('kms:PutKeyPolicy') };
}

const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'kms:calleraccount']);

export function crossAccount(a: KeyPolicyAnalyzer, pub: PublicExposure): CrossAccountAccess[] {
  const accounts = new Set<string>();
  const orgs = new Set<string>();
  for (const st of a.statements) {
    for (const v of st.principal?.values ?? []) if (v.account) accounts.add(v.account);
    for (const c of st.conditions) {
      for (const v of c.values) {
        if (ACCOUNT_KEYS.has(c.keyLower) && /^\d{12}$/.test(v)) accounts.add(v);
        if (c.keyLower === 'aws:principalarn') {
          const m = /^arn:[^:]*:(?:iam|sts)::(\d{12}):/.exec(v);
          if (m?.[1]) accounts.add(m[1]);
        }
        if (c.keyLower === 'aws:principalorgid' && !c.negated && /^o-[a-z0-9]+$/.test(v)) orgs.add(v);
      }
    }
  }
  accounts.delete(a.keyAccount);
  accounts.delete(a.freshAccount);
  const out: CrossAccountAccess[] = [];
  const entry = (account: string, organization: string | null, c: ReturnType<typeof collect>) => {
    if (c.actions.size === 0) return;
    const grants = grantPaths(c);
    out.push({
      account,
      organization,
      actions: sortActions(c.actions),
      actionClasses: classesOf(c.actions),
      statements: sortStrings(grants.map((g) => g.statement)),
      throughDelegation: c.viaAccount,
      conditions: weakest(grants.map((g) => g.conditions)),
      undecidable: c.undecidable,
    });
  };
  for (const x of [...accounts].sort()) entry(x, null, collect(a, a.accountSubjects(x), allows(a), true));
  for (const o of [...orgs].sort()) {
    const outsiders = a.outsiders().map((s) => {
      const base = new Map(s.base);
      base.set('aws:principalorgid', [o]);
      return { ...s, base, scope: 'named' as const };
    });
    entry('*', o, collect(a, outsiders, allows(a), true));
  }
  if (pub.public) {
    out.push({ account: '*', organization: null, actions: pub.actions, actionClasses: pub.actionClasses, statements: pub.statements, throughDelegation: false, conditions: 'non-restricting', undecidable: pub.status === 'undecidable' });
  }
  return out;
}

