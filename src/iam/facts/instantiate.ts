// Facts of a shape, made the facts of one document: identifiers put back into the fields that hold
// values (principal ids and accounts, accounts, organizations, endpoints, the endpoint named in a
// mistake), and the lists sorted by those fields sorted again, the way the analysis sorts them.
// Everything else (actions, statement refs, keys, classes) does not depend on identifiers and is shared.
import { restore } from './shape';
import type { CrossAccountAccess, EscalationPrincipal, KeyPolicyFacts, PrincipalFact } from './types';

const byString = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function instantiate(f: KeyPolicyFacts, inverse: ReadonlyMap<string, string>): KeyPolicyFacts {
  if (inverse.size === 0) return f;
  const put = (s: string): string => restore(s, inverse);
  const putNullable = (s: string | null): string | null => (s === null ? null : restore(s, inverse));
  // Stable sorts: ties keep the analysis's order, as in the analysis.
  const principals = f.principals
    .map((p): PrincipalFact => {
      const id = put(p.id);
      const account = putNullable(p.account);
      return id === p.id && account === p.account ? p : { ...p, id, account };
    })
    .sort((x, y) => byString(x.id, y.id));
  const escalated = <T extends EscalationPrincipal>(list: readonly T[]): T[] =>
    list.map((e): T => ({ ...e, principal: put(e.principal) })).sort((x, y) => byString(x.principal, y.principal));
  const putKeyPolicy = escalated(f.escalation.putKeyPolicy);
  const crossAccount = f.crossAccount.map((c): CrossAccountAccess => ({ ...c, account: put(c.account), organization: putNullable(c.organization) }));
  const rank = (c: CrossAccountAccess) => (c.organization !== null ? 1 : c.account === '*' ? 2 : 0);
  crossAccount.sort((x, y) => rank(x) - rank(y) || (rank(x) === 0 ? byString(x.account, y.account) : byString(x.organization ?? '', y.organization ?? '')));
  const v = f.vpceRestriction;
  return {
    ...f,
    keyAccount: putNullable(f.keyAccount),
    keyArn: putNullable(f.keyArn),
    principals,
    crossAccount,
    iamDelegation: { ...f.iamDelegation, account: putNullable(f.iamDelegation.account) },
    escalation: { putKeyPolicy, createGrant: escalated(f.escalation.createGrant) },
    lockout: { ...f.lockout, canChangePolicy: putKeyPolicy.map((p) => p.principal) },
    vpceRestriction: {
      ...v,
      endpoints: v.endpoints.map(put).sort(byString),
      vpcs: v.vpcs.map(put).sort(byString),
      exemptions: v.exemptions.map((e) => ({ ...e, values: e.values.map(put) })),
      mistakes: v.mistakes.map((m) => ({ ...m, message: put(m.message) })),
    },
  };
}
