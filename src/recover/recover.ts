// The recovery of one plan: policy documents the plan knows only after apply, rebuilt as text with
// symbolic values, and the source location of every address.

import type { SourceLocation } from '../finding';
import { asExpression, isObject, isUnknown, Unknown, type Model, type ModelValue, type Resource } from '../model';
import type { JsonObject } from '../plan/types';
import { DOCUMENT_ATTRIBUTES, normalizerFor, POLICY_DOCUMENT } from './attributes';
import { Context, type Scope } from './context';
import { documentOrigin, isDocumentText, rebuildDocument } from './documents';
import { evaluate } from './expressions';
import { Locator } from './locations';
import { absoluteReference, configExpression, NOT_EVALUATED, orderedReferences, resolveText } from './configuration';
import { instanceScope } from './references';
import type { Body, DocumentOrigin, Expr, PreparedSources, RecoveredDocument, SymbolInfo } from './types';
import { isPending, Pending, pending, symbolsIn, type Val } from './value';

export interface Recovery {
  /** The `.tf` file and line of the block behind a plan address; undefined without source. */
  location(address: string): SourceLocation | undefined;
  /**
   * The policy document an attribute will hold, when the plan knows it only after apply: rebuilt text
   * with `${tf:…}` symbolic values, or an `Unknown` naming what it waits on. Undefined when there is
   * nothing to recover: the value is known, unset (the AWS default applies), or not a policy.
   * `attribute` is a path such as `policy`, `content`, `json` or `inline_policy[0].policy`.
   */
  document(resource: Resource, attribute: string): RecoveredDocument | Unknown | undefined;
}

function parsePath(attribute: string): (string | number)[] {
  return [...attribute.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function valueAt(values: ModelValue, path: readonly (string | number)[]): ModelValue | undefined {
  let node: ModelValue | undefined = values;
  for (const step of path) {
    if (isUnknown(node)) return node;
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isObject(node) && typeof step === 'string') node = (node as Record<string, ModelValue>)[step];
    else return undefined;
  }
  return node;
}

/** The configuration expression at a path of nested blocks (`inline_policy[0].policy`). */
function configuredAt(expressions: JsonObject, path: readonly (string | number)[]): unknown {
  let node: unknown = expressions;
  for (const step of path) {
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = isObject(node) ? (node as Record<string, unknown>)[step] : undefined;
  }
  return node;
}

/** The source expression at a path of nested static blocks. */
function sourceAt(body: Body | undefined, path: readonly (string | number)[]): Expr | undefined {
  let current = body;
  for (let i = 0; current && i < path.length; i += 1) {
    const step = path[i]!;
    const next = path[i + 1];
    if (typeof step !== 'string') return undefined;
    if (typeof next === 'number') {
      const nested = current.blocks.filter((b) => b.type === step);
      if (nested.some((b) => b.kind === 'dynamic')) return undefined;
      const block = nested[next];
      current = block?.kind === 'static' ? block.body : undefined;
      i += 1;
    } else if (i === path.length - 1) {
      return current.attributes[step];
    } else return undefined;
  }
  return undefined;
}

function symbolsInValue(value: unknown): string[] {
  if (typeof value === 'string') return symbolsIn(value);
  if (Array.isArray(value)) return value.flatMap(symbolsInValue);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [...symbolsIn(k), ...symbolsInValue(v)]);
  return [];
}

class PlanRecovery implements Recovery {
  private readonly ctx: Context;
  private readonly locator: Locator;

  constructor(model: Model, sources: PreparedSources | undefined) {
    this.ctx = new Context(model, sources);
    this.locator = new Locator(sources);
  }

  location(address: string): SourceLocation | undefined {
    return this.locator.location(address);
  }

  document(resource: Resource, attribute: string): RecoveredDocument | Unknown | undefined {
    const path = parsePath(attribute);
    if (!isUnknown(valueAt(resource.values, path))) return undefined;
    const isDocument = resource.mode === 'data' && resource.type === POLICY_DOCUMENT && attribute in DOCUMENT_ATTRIBUTES;
    const normalize = normalizerFor(resource.type, attribute);
    if (!isDocument && !normalize) return undefined;
    const configured = resource.config ? configuredAt(resource.config.expressions, path) : undefined;
    // Unset (or set to null), the attribute takes AWS's default: nothing to rebuild.
    const unset = configured === undefined || (isObject(configured) && 'constant_value' in configured && configured['constant_value'] === null);
    if (!isDocument && resource.config && unset) return undefined;
    const { value, origin } = isDocument ? this.rebuildDocument(resource, attribute) : this.rebuildAttribute(resource, path, configured);
    if (isPending(value)) return this.unknown(resource, attribute, value, configured);
    if (typeof value !== 'string') {
      return this.unknown(resource, attribute, pending('the rebuilt value is not a string'), configured);
    }
    const text = normalize ? normalize(value) : value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    // Symbols are read from the decoded strings: in the text, a for_each key's quotes are escaped.
    const symbols: Record<string, SymbolInfo> = {};
    for (const reference of [...new Set(parsed === undefined ? symbolsIn(text) : symbolsInValue(parsed))].sort()) {
      symbols[reference] = this.ctx.symbols.get(reference) ?? { type: 'value' };
    }
    return { text, value: parsed, symbols, origin };
  }

  private rebuildDocument(resource: Resource, attribute: string): { value: Val; origin: DocumentOrigin } {
    const value = rebuildDocument(this.ctx, resource, attribute === 'minified_json');
    return { value, origin: documentOrigin(this.ctx, resource) };
  }

  private rebuildAttribute(resource: Resource, path: readonly (string | number)[], configured: unknown): { value: Val; origin: DocumentOrigin } {
    const scope = instanceScope(this.ctx, resource);
    const expr = sourceAt(this.ctx.sourceBlock(resource)?.body, path);
    let fromSource: Val | undefined;
    if (expr) {
      fromSource = evaluate(this.ctx, scope, expr);
      if (!isPending(fromSource)) return { value: fromSource, origin: 'source' };
    }
    const expression = asExpression(configured as JsonObject | undefined);
    const references = orderedReferences(expression?.references ?? []);
    // The configuration view cannot tell `policy = data.x.json` from `policy = jsonencode({… one
    // reference …})`: only a single reference that leads to a whole document is taken as the policy.
    const keyed = (expression?.references ?? []).some((r) => /^(each|count)\./.test(r));
    if (expression && references.length === 1 && !keyed) {
      const { value: fromPlan, unknown } = this.ctx.tracking(() => configExpression(this.ctx, scope, expression));
      // A document the plan already knows (a data source read while planning) is the plan's own text.
      if (isDocumentText(fromPlan)) return { value: fromPlan, origin: unknown ? 'configuration' : 'plan' };
      if (isPending(fromPlan) && !fromSource) return { value: fromPlan, origin: 'configuration' };
    }
    if (fromSource) return { value: fromSource, origin: 'source' };
    const where = !this.ctx.prepared
      ? 'no Terraform source was read (--source-dir)'
      : 'its block is not in the Terraform source that was read (a remote module, or another revision)';
    const keyedReferences = (expression?.references ?? []).filter(
      (r, _, all) => /^each\.value\./.test(r) && !all.some((o) => o !== r && o.startsWith(`${r}.`)),
    );
    const waitsOn = [...references, ...keyedReferences].flatMap((r) => this.blockers(scope, r));
    return { value: pending(`the plan shows only the references of this expression, and ${where}`, waitsOn), origin: 'configuration' };
  }

  /**
   * What a reference really waits on: the values known only after apply it leads to
   * (`var.role_arn` in a module → `aws_iam_role.admin.arn`); nothing when the plan knows its value.
   */
  private blockers(scope: Scope, reference: string): string[] {
    const { value, unknown } = this.ctx.tracking(() => resolveText(this.ctx, scope, reference));
    if (value === NOT_EVALUATED) return [];
    if (isPending(value)) return value.waitsOn.length > 0 ? [...value.waitsOn] : [absoluteReference(scope, reference)];
    const symbols = symbolsInValue(value);
    if (symbols.length > 0) return symbols;
    return unknown ? [absoluteReference(scope, reference)] : [];
  }

  private unknown(resource: Resource, attribute: string, reason: Pending, configured: unknown): Unknown {
    let waitsOn = reason.waitsOn;
    if (waitsOn.length === 0) {
      const scope = instanceScope(this.ctx, resource);
      const references = asExpression(configured as JsonObject | undefined)?.references ?? [];
      waitsOn = orderedReferences(references).map((r) => absoluteReference(scope, r));
    }
    return new Unknown(attribute, [...new Set(waitsOn)].sort(), reason.reason, resource.address);
  }
}

export function recover(model: Model, sources?: PreparedSources): Recovery {
  return new PlanRecovery(model, sources);
}

