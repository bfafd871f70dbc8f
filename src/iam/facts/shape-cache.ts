// Facts per shape (shape.ts): the analysis of the first document of a shape, reused for every other
// document of the shape with its identifiers put back (instantiate.ts), unless its answers depended on
// how identifiers sort and this document's identifiers sort another way.
import type { PolicyDocument } from '../policy/types';
import { analyse, type Analysis } from './analysis';
import type { FactsContext } from './analyzer';
import { accountOfText, namedIdentities } from './callers';
import { compileInstantiation, type Instantiate } from './instantiate';
import { restore } from './rename';
import { canonicalShape, type Shape } from './shape';
import type { KeyPolicyFacts } from './types';
import { vpceEndpoints } from './vpce';

interface Cached extends Analysis {
  /** Built on the first document that reuses the facts. */
  instantiate: Instantiate | null;
}

const shapeCache = new Map<string, Cached>();

/** How `keyPolicyFacts` gets the facts of a document: from its shape, or by analysing it directly and why. */
export type FactsPath = 'shape' | 'unshapeable' | 'order-sensitive';

function shapeAnalysis(doc: PolicyDocument, ctx: FactsContext): { shape: Shape; analysis: Cached } | null {
  const shape = canonicalShape(doc, ctx);
  if (!shape) return null;
  let analysis = shapeCache.get(shape.key);
  if (!analysis) {
    const shaped = shape.build();
    analysis = { ...analyse(shaped.doc, shaped.ctx), instantiate: null };
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

/** How many shapes have been analysed since the cache was last cleared. */
export function shapeCount(): number {
  return shapeCache.size;
}

/**
 * Analyse once per shape and put the identifiers back; analyse directly what has no shape. `shaped`:
 * the facts came from a shape, and asking again instantiates it again.
 */
export function factsByShape(doc: PolicyDocument, ctx: FactsContext): { facts: KeyPolicyFacts; shaped: boolean } {
  const s = shapeAnalysis(doc, ctx);
  if (s && carriesOver(s.analysis, doc, s.shape.inverse)) {
    const a = s.analysis;
    a.instantiate ??= compileInstantiation(a.facts, new Set(s.shape.inverse.keys()));
    return { facts: a.instantiate(s.shape.inverse, s.shape.keyArn), shaped: true };
  }
  return { facts: analyse(doc, ctx).facts, shaped: false };
}
