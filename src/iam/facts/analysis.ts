// The direct analysis of one key policy: every fact decided by evaluation over the finite abstraction,
// with what the shape cache needs to know about it (whether some answer depended on how identifiers sort).
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
import type { PolicyDocument } from '../policy/types';
import { KeyPolicyAnalyzer, type FactsContext } from './analyzer';
import { escalation, iamDelegation, withoutEffect } from './delegation';
import { entitiesOf } from './entities';
import { anyInKeyAccount, crossAccount, publicExposure } from './exposure';
import { UNKNOWN_ARN_NOTE } from './notes';
import { principalFact } from './principals';
import type { KeyPolicyFacts, PrincipalFact } from './types';
import { vpceEndpoints, vpceRestriction } from './vpce';

export interface Analysis {
  facts: KeyPolicyFacts;
  /** The facts may depend on how named identities sort (shape-cache.ts): the sorted list, else null. */
  named: readonly string[] | null;
  /** Likewise for the endpoints of VPC-endpoint Denies. */
  endpoints: readonly string[] | null;
  /** Checking the order met an undecidable question: the facts are not to be reused at all. */
  unique: boolean;
}

export function analyse(doc: PolicyDocument, ctx: FactsContext): Analysis {
  const a = new KeyPolicyAnalyzer(doc, ctx);
  const entities = entitiesOf(a);
  const principals = entities
    .map((e) => principalFact(a, e))
    .filter((f): f is PrincipalFact => f !== null)
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const pub = publicExposure(a);
  const notes: string[] = [];
  if (!a.keyAccountKnown) notes.push('the key account is unknown: same-account and cross-account are not told apart');
  if (!a.keyArn) notes.push(UNKNOWN_ARN_NOTE);
  const facts: KeyPolicyFacts = {
    keyAccount: a.keyAccountKnown ? a.keyAccount : null,
    keyArn: a.keyArn,
    keyUsage: a.keyUsage,
    principals,
    public: pub,
    anyPrincipalInKeyAccount: anyInKeyAccount(a),
    crossAccount: crossAccount(a, pub),
    iamDelegation: iamDelegation(a),
    escalation: escalation(a, entities, principals),
    lockout: { locked: false, canChangePolicy: [] },
    vpceRestriction: vpceRestriction(a),
    statementsWithoutEffect: withoutEffect(a),
    undecidable: false,
    notes,
  };
  facts.lockout = { locked: facts.escalation.putKeyPolicy.length === 0, canChangePolicy: facts.escalation.putKeyPolicy.map((p) => p.principal) };
  facts.undecidable = a.undecidable;
  if (a.undecidable) notes.push('some questions exceeded the search budget: those answers assume access (fail closed)');
  return {
    facts,
    named: a.namedOrderMatters ? a.namedIdentities() : null,
    endpoints: a.endpointOrderMatters ? vpceEndpoints(doc.statements) : null,
    unique: a.orderProbeUndecidable,
  };
}
