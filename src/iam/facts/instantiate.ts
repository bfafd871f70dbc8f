// Facts of a shape, made the facts of one document: identifiers put back into the fields that hold
// values (principal ids and accounts, accounts, organizations, endpoints, the endpoint named in a
// mistake), and the lists sorted by those fields sorted again, the way the analysis sorts them.
// Everything else (actions, statement refs, keys, classes) does not depend on identifiers and is shared.
// The value fields are split once per shape into text and placeholders, so each document only joins;
// objects are written out field by field (in the analysis's key order: the facts are serialized) so
// that the compiler checks none is forgotten.
import { UNKNOWN_ARN_NOTE } from './notes';
import { splitPlaceholders } from './rename';
import type { CrossAccountAccess, EscalationPrincipal, KeyPolicyFacts, PrincipalFact, VpceExemption, VpceMistake } from './types';

/** A string of the shape's facts: as is, or text and placeholders alternating (text first and last). */
type Text = string | readonly string[];
type Inverse = ReadonlyMap<string, string>;

const byString = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

function put(t: Text, inverse: Inverse): string {
  if (typeof t === 'string') return t;
  let out = t[0] ?? '';
  for (let i = 1; i < t.length; i += 2) {
    const p = t[i] ?? '';
    out += (inverse.get(p) ?? p) + (t[i + 1] ?? '');
  }
  return out;
}

const putNullable = (t: Text | null, inverse: Inverse): string | null => (t === null ? null : put(t, inverse));

/** Stable sort (ties keep the analysis's order, as in the analysis), skipped when there is nothing to order. */
function sorted<T>(list: T[], compare: (x: T, y: T) => number): T[] {
  return list.length > 1 ? list.sort(compare) : list;
}

/**
 * Builds the facts of one document of the shape from its placeholder → identifier map, and its key ARN
 * when the shape's facts were computed without one (shape.ts: the document cannot see it).
 */
export type Instantiate = (inverse: Inverse, keyArn: string | null) => KeyPolicyFacts;

function principal(p: PrincipalFact, id: string, account: string | null): PrincipalFact {
  if (id === p.id && account === p.account) return p;
  return {
    id,
    type: p.type,
    account,
    isKeyAccountRoot: p.isKeyAccountRoot,
    sameAccount: p.sameAccount,
    throughDelegation: p.throughDelegation,
    actions: p.actions,
    actionClasses: p.actionClasses,
    beyondUserActions: p.beyondUserActions,
    viaWildcard: p.viaWildcard,
    conditions: p.conditions,
    restrictingKeys: p.restrictingKeys,
    statements: p.statements,
    grants: p.grants,
    conditionalDenies: p.conditionalDenies,
    undecidable: p.undecidable,
  };
}

function crossAccountEntry(c: CrossAccountAccess, account: string, organization: string | null): CrossAccountAccess {
  return { account, organization, actions: c.actions, actionClasses: c.actionClasses, statements: c.statements, throughDelegation: c.throughDelegation, conditions: c.conditions, undecidable: c.undecidable };
}

function escalationEntry(e: EscalationPrincipal, principalId: string): EscalationPrincipal {
  return { principal: principalId, type: e.type, conditions: e.conditions, statements: e.statements };
}

function grantEntry(e: KeyPolicyFacts['escalation']['createGrant'][number], principalId: string): KeyPolicyFacts['escalation']['createGrant'][number] {
  return { principal: principalId, type: e.type, conditions: e.conditions, statements: e.statements, grantIsForAWSResource: e.grantIsForAWSResource };
}

/** Accounts sorted, then organizations sorted, then the public entry: the order crossAccount() adds them. */
const rank = (c: CrossAccountAccess) => (c.organization !== null ? 1 : c.account === '*' ? 2 : 0);
const crossOrder = (x: CrossAccountAccess, y: CrossAccountAccess) => rank(x) - rank(y) || (rank(x) === 0 ? byString(x.account, y.account) : byString(x.organization ?? '', y.organization ?? ''));
const byId = (x: PrincipalFact, y: PrincipalFact) => byString(x.id, y.id);
const byPrincipal = (x: EscalationPrincipal, y: EscalationPrincipal) => byString(x.principal, y.principal);

export function compileInstantiation(f: KeyPolicyFacts, placeholders: ReadonlySet<string>): Instantiate {
  const text = (s: string): Text => splitPlaceholders(s, placeholders);
  const nullable = (s: string | null): Text | null => (s === null ? null : text(s));
  const principals = f.principals.map((p) => ({ p, id: text(p.id), account: nullable(p.account) }));
  const putKeyPolicy = f.escalation.putKeyPolicy.map((e) => ({ e, principal: text(e.principal) }));
  const createGrant = f.escalation.createGrant.map((e) => ({ e, principal: text(e.principal) }));
  const crossAccount = f.crossAccount.map((c) => ({ c, account: text(c.account), organization: nullable(c.organization) }));
  const v = f.vpceRestriction;
  const endpoints = v.endpoints.map(text);
  const vpcs = v.vpcs.map(text);
  const exemptions = v.exemptions.map((e) => ({ e, values: e.values.map(text) }));
  const mistakes = v.mistakes.map((m) => ({ m, message: text(m.message) }));
  const keyAccount = nullable(f.keyAccount);
  const keyArn = nullable(f.keyArn);
  const d = f.iamDelegation;
  const delegationAccount = nullable(d.account);

  // Known ARN: the analysis does not add its note about an unknown one (key-policy.ts).
  const notesWithArn = f.notes.filter((n) => n !== UNKNOWN_ARN_NOTE);

  return (inverse, knownArn) => {
    const pkp = sorted(
      putKeyPolicy.map(({ e, principal: t }) => escalationEntry(e, put(t, inverse))),
      byPrincipal,
    );
    return {
      keyAccount: putNullable(keyAccount, inverse),
      keyArn: knownArn ?? putNullable(keyArn, inverse),
      keyUsage: f.keyUsage,
      principals: sorted(
        principals.map(({ p, id, account }) => principal(p, put(id, inverse), putNullable(account, inverse))),
        byId,
      ),
      public: f.public,
      anyPrincipalInKeyAccount: f.anyPrincipalInKeyAccount,
      crossAccount: sorted(
        crossAccount.map(({ c, account, organization }) => crossAccountEntry(c, put(account, inverse), putNullable(organization, inverse))),
        crossOrder,
      ),
      iamDelegation: {
        account: putNullable(delegationAccount, inverse),
        present: d.present,
        principalTypeAccount: d.principalTypeAccount,
        rootUserOnly: d.rootUserOnly,
        delegatesToAnyIdentity: d.delegatesToAnyIdentity,
        delegatedActions: d.delegatedActions,
        actions: d.actions,
        statements: d.statements,
      },
      escalation: {
        putKeyPolicy: pkp,
        createGrant: sorted(
          createGrant.map(({ e, principal: t }) => grantEntry(e, put(t, inverse))),
          byPrincipal,
        ),
      },
      lockout: { locked: f.lockout.locked, canChangePolicy: pkp.map((p) => p.principal) },
      vpceRestriction: {
        present: v.present,
        statements: v.statements,
        endpoints: sorted(
          endpoints.map((t) => put(t, inverse)),
          byString,
        ),
        vpcs: sorted(
          vpcs.map((t) => put(t, inverse)),
          byString,
        ),
        coveredActions: v.coveredActions,
        uncoveredCryptographicActions: v.uncoveredCryptographicActions,
        coversRequestsWithoutEndpoint: v.coversRequestsWithoutEndpoint,
        exemptions: exemptions.map(({ e, values }): VpceExemption => ({ statement: e.statement, key: e.key, operator: e.operator, values: values.map((t) => put(t, inverse)) })),
        mistakes: mistakes.map(({ m, message }): VpceMistake => ({ code: m.code, statement: m.statement, message: put(message, inverse) })),
      },
      statementsWithoutEffect: f.statementsWithoutEffect,
      undecidable: f.undecidable,
      notes: knownArn === null ? f.notes : notesWithArn,
    };
  };
}
