// IAM delegation, escalation paths (PutKeyPolicy, CreateGrant) and statements that cannot apply.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
import { parseCaller } from '../evaluate/caller';
import type { KeyPolicyAnalyzer } from './analyzer';
import type { Entity } from './entities';
import { allows, collect, sortActions, sortStrings } from './principals';
import type { ValueClass } from './search';
import { weakest, type ConditionStrength } from './strength';
import type { Escalation, IamDelegation, PrincipalFact } from './types';

export function iamDelegation(a: KeyPolicyAnalyzer): IamDelegation {
  const k = a.keyAccount;
  const statements = allows(a).filter((st) => st.principal && !st.principal.negated && st.principal.values.some((v) => v.type === 'account' && v.account === k));
  const listed = new Set<string>();
  const root = a.subject(parseCaller(k) ?? fail());
  for (const g of a.groups) for (const st of statements) if (a.reaches(st, root, g.representative) !== null) g.actions.forEach((x) => listed.add(x));
  const subjects = a.accountSubjects(k);
  const nonRoot = subjects.filter((s) => s.caller.kind !== 'root');
  const fresh = nonRoot.filter((s) => s.caller.name?.startsWith('kmsgate-fresh'));
  const delegated = collect(a, nonRoot, statements, false);
  const freshGot = collect(a, fresh, statements, false);
  const rootGot = collect(a, subjects.filter((s) => s.caller.kind === 'root'), statements, false);
  const principalTypeAccount = statements.some((st) =>
    st.conditions.some(
      (c) =>
        !c.negated &&
        !c.ifExists &&
        c.set === null &&
        ((c.keyLower === 'aws:principaltype' && c.comparison !== 'like' && c.values.length > 0 && c.values.every((v) => v === 'Account')) ||
          (c.keyLower === 'aws:principalarn' && c.values.length > 0 && c.values.every((v) => v === `arn:aws:iam::${k}:root`))),
    ),
  );
  return {
    account: a.keyAccountKnown ? k : null,
    present: statements.length > 0,
    principalTypeAccount,
    rootUserOnly: statements.length > 0 && rootGot.actions.size > 0 && delegated.actions.size === 0,
    delegatesToAnyIdentity: freshGot.actions.size > 0,
    delegatedActions: sortActions(delegated.actions),
    actions: sortActions(listed),
    statements: sortStrings(statements.map((s) => s.ref)),
  };
}

function fail(): never {
  throw new Error('unreachable: an account id always parses as a caller');
}

export function escalation(a: KeyPolicyAnalyzer, entities: readonly Entity[], facts: readonly PrincipalFact[]): Escalation {
  const out: Escalation = { putKeyPolicy: [], createGrant: [] };
  const notForAws = new Map<string, ValueClass>([['kms:grantisforawsresource', ['false']]]);
  for (const f of facts) {
    const e = entities.find((x) => x.id === f.id);
    const pathsFor = (action: string) => f.grants.filter((g) => g.actions.includes(action));
    const strength = (action: string): ConditionStrength => weakest(pathsFor(action).map((g) => g.conditions));
    if (f.actions.includes('kms:PutKeyPolicy')) {
      out.putKeyPolicy.push({ principal: f.id, type: f.type, conditions: strength('kms:PutKeyPolicy'), statements: sortStrings(pathsFor('kms:PutKeyPolicy').map((g) => g.statement)) });
    }
    if (f.actions.includes('kms:CreateGrant') && e) {
      const c = collect(a, e.subjects, e.naming, false, notForAws);
      out.createGrant.push({
        principal: f.id,
        type: f.type,
        conditions: strength('kms:CreateGrant'),
        statements: sortStrings(pathsFor('kms:CreateGrant').map((g) => g.statement)),
        grantIsForAWSResource: !c.actions.has('kms:CreateGrant'),
      });
    }
  }
  return out;
}

export function withoutEffect(a: KeyPolicyAnalyzer): string[] {
  const out: string[] = [];
  for (const st of a.statements) {
    const noPrincipal = st.principal !== null && !st.principal.negated && st.principal.values.length === 0;
    if (noPrincipal || !a.coversKey(st)) out.push(st.ref);
  }
  return sortStrings(out);
}

