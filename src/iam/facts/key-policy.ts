// Facts about one key policy, decided by evaluation over the finite abstraction, not by string tests.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
import { splitArn } from '../match/arn';
import { parsePolicy } from '../policy/parse';
import type { PolicyDocument } from '../policy/types';
import { KeyPolicyAnalyzer, type FactsContext } from './analyzer';
import { accountOfText, namedIdentities } from './callers';
import { escalation, iamDelegation, withoutEffect } from './delegation';
import { entitiesOf } from './entities';
import { anyInKeyAccount, crossAccount, publicExposure } from './exposure';
import { instantiate } from './instantiate';
import { principalFact } from './principals';
import { canonicalShape, restore, type Shape } from './shape';
import type { KeyPolicyFacts, PrincipalFact } from './types';
import { vpceEndpoints, vpceRestriction } from './vpce';

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
  /** The facts may depend on how named identities sort: carry over only when they sort alike. */
  named: readonly string[] | null;
  /** Likewise for the endpoints of VPC-endpoint Denies. */
  endpoints: readonly string[] | null;
  /** Never carry over. */
  unique: boolean;
}

const shapeCache = new Map<string, Analysis>();

/** How `keyPolicyFacts` gets the facts of a document: from its shape, or by analysing it directly and why. */
export type FactsPath = 'shape' | 'unshapeable' | 'order-sensitive';

function shapeAnalysis(doc: PolicyDocument, ctx: FactsContext): { shape: Shape; analysis: Analysis } | null {
  const shape = canonicalShape(doc, ctx);
  if (!shape) return null;
  let analysis = shapeCache.get(shape.key);
  if (!analysis) {
    const shaped = shape.build();
    analysis = analyse(shaped.doc, shaped.ctx);
    if (shapeCache.size >= 5_000) shapeCache.clear();
    shapeCache.set(shape.key, analysis);
  }
  return { shape, analysis };
}

/** The identities of each account in sorted order, as the shape's list puts them back. */
function byAccount(list: readonly string[]): Map<string | null, string[]> {
  const out = new Map<string | null, string[]>();
  for (const t of list) {
    const account = accountOfText(t);
    const group = out.get(account);
    if (group) group.push(t);
    else out.set(account, [t]);
  }
  return out;
}

function sameOrder(shaped: readonly string[], own: readonly string[], inverse: ReadonlyMap<string, string>, perAccount: boolean): boolean {
  if (shaped.length !== own.length) return false;
  const restored = shaped.map((t) => restore(t, inverse));
  if (!perAccount) return restored.every((t, i) => t === own[i]);
  const mine = byAccount(own);
  for (const [account, group] of byAccount(restored)) {
    const other = mine.get(account);
    if (!other || other.length !== group.length || group.some((t, i) => t !== other[i])) return false;
  }
  return true;
}

/** Do the shape's facts carry over to this document? */
function carriesOver(a: Analysis, doc: PolicyDocument, inverse: ReadonlyMap<string, string>): boolean {
  if (a.unique) return false;
  // Only the order within one account matters: each account's callers are tried in their own list.
  if (a.named && !sameOrder(a.named, namedIdentities(doc.statements), inverse, true)) return false;
  return !a.endpoints || sameOrder(a.endpoints, vpceEndpoints(doc.statements), inverse, false);
}

export function factsPath(doc: PolicyDocument, ctx: FactsContext = {}): FactsPath {
  const s = shapeAnalysis(doc, ctx);
  return s === null ? 'unshapeable' : carriesOver(s.analysis, doc, s.shape.inverse) ? 'shape' : 'order-sensitive';
}

/** Forget the facts of every shape (a new estate, or a measurement that must start cold). */
export function clearShapeCache(): void {
  shapeCache.clear();
}

/** Analyse once per shape and put the identifiers back; analyse directly what has no shape. */
function factsByShape(doc: PolicyDocument, ctx: FactsContext): KeyPolicyFacts {
  const s = shapeAnalysis(doc, ctx);
  if (s && carriesOver(s.analysis, doc, s.shape.inverse)) return instantiate(s.analysis.facts, s.shape.inverse);
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
  return {
    facts,
    named: a.namedOrderMatters ? a.namedIdentities() : null,
    endpoints: a.endpointOrderMatters ? vpceEndpoints(doc.statements) : null,
    unique: a.orderProbeUndecidable,
  };
}
