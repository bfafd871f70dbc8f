// Facts about one key policy, decided by evaluation over the finite abstraction, not by string tests.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
import { splitArn } from '../match/arn';
import { parsePolicy } from '../policy/parse';
import type { PolicyDocument } from '../policy/types';
import { KeyPolicyAnalyzer, type FactsContext } from './analyzer';
import { escalation, iamDelegation, withoutEffect } from './delegation';
import { entitiesOf } from './entities';
import { anyInKeyAccount, crossAccount, publicExposure } from './exposure';
import { instantiate } from './instantiate';
import { principalFact } from './principals';
import { canonicalShape } from './shape';
import type { KeyPolicyFacts, PrincipalFact } from './types';
import { vpceRestriction } from './vpce';

const factsCache = new WeakMap<PolicyDocument, Map<string, KeyPolicyFacts>>();

/** Facts about a key policy. `policy` is a normalized document or the policy's JSON text. */
export function keyPolicyFacts(policy: PolicyDocument | string, ctx: FactsContext = {}): KeyPolicyFacts {
  let doc: PolicyDocument;
  if (typeof policy === 'string') {
    const parsed = parsePolicy(policy, 'key');
    if (!parsed.document) throw new Error('keyPolicyFacts needs a readable policy document; check parsePolicy diagnostics first');
    doc = parsed.document;
  } else doc = policy;
  const ctxKey = factsCacheKey(doc, ctx);
  let perDoc = factsCache.get(doc);
  const hit = perDoc?.get(ctxKey);
  if (hit) return hit.keyArn === (ctx.keyArn ?? null) ? hit : { ...hit, keyArn: ctx.keyArn ?? null };
  const facts = factsByShape(doc, ctx);
  if (!perDoc) {
    perDoc = new Map();
    factsCache.set(doc, perDoc);
  }
  perDoc.set(ctxKey, facts);
  return facts;
}

/**
 * Keys of one module usually share one policy text with "Resource": "*": then the facts depend on the
 * key's account, not on its ARN, and one computation serves them all.
 */
function factsCacheKey(doc: PolicyDocument, ctx: FactsContext): string {
  const arnMatters = doc.statements.some((st) => st.resource?.patterns.some((p) => p !== '*'));
  const regionMatters = doc.statements.some((st) => st.conditions.some((c) => c.keyLower === 'aws:requestedregion' || c.values.some((v) => /\$\{aws:requestedregion/i.test(v))));
  const arn = ctx.keyArn ?? null;
  const parts = arn ? splitArn(arn) : null;
  return JSON.stringify([
    arn === null ? 0 : 1,
    arnMatters ? arn : null,
    regionMatters ? (parts?.[3] ?? null) : null,
    ctx.keyAccount ?? parts?.[4] ?? null,
    ctx.organizationId ?? null,
    ctx.keyUsage ?? null,
    ctx.symbols ?? null,
  ]);
}

/** Facts by analysis of this document alone, without any cache: the reference the shape cache must match. */
export function directKeyPolicyFacts(doc: PolicyDocument, ctx: FactsContext = {}): KeyPolicyFacts {
  return analyse(doc, ctx).facts;
}

interface Analysis {
  facts: KeyPolicyFacts;
  orderSensitive: boolean;
}

const shapeCache = new Map<string, Analysis>();

/** Analyse once per shape and put the identifiers back; analyse directly what has no shape. */
function factsByShape(doc: PolicyDocument, ctx: FactsContext): KeyPolicyFacts {
  const shape = canonicalShape(doc, ctx);
  if (shape) {
    let hit = shapeCache.get(shape.key);
    if (!hit) {
      const shaped = shape.build();
      hit = analyse(shaped.doc, shaped.ctx);
      if (shapeCache.size >= 5_000) shapeCache.clear();
      shapeCache.set(shape.key, hit);
    }
    if (!hit.orderSensitive) return instantiate(hit.facts, shape.inverse);
  }
  return analyse(doc, ctx).facts;
}

function analyse(doc: PolicyDocument, ctx: FactsContext): Analysis {
  const a = new KeyPolicyAnalyzer(doc, ctx);
  const entities = entitiesOf(a);
  const principals = entities
    .map((e) => principalFact(a, e))
    .filter((f): f is PrincipalFact => f !== null)
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const pub = publicExposure(a);
  const notes: string[] = [];
  if (!a.keyAccountKnown) notes.push('the key account is unknown: same-account and cross-account are not told apart');
  if (!a.keyArn) notes.push('the key ARN is unknown: Allow statements naming a specific key are taken to apply, Deny statements naming one are not');
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
  return { facts, orderSensitive: a.orderSensitive };
}
