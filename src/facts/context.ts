import { asExpression, isUnknown, significantReferences, Unknown, type Model, type ModelValue, type Resource } from '../model';
import type { Recovery } from '../recover';
import type { Edge, Relations } from '../relate';

/**
 * Principals some facts must be asked about by name: SCP exemptions are judged against the guardians
 * and key owners the organisation declares (shared parameters of the config file).
 */
export interface FactParameters {
  guardianPrincipals: readonly string[];
  keyOwners: readonly string[];
}

export interface FactContext {
  model: Model;
  relations: Relations;
  parameters: FactParameters;
  /** Policy documents known only after apply, rebuilt where the plan or the source allow. */
  recovery: Recovery;
  /** Facts computed once per plan, by name. */
  memo: Map<string, unknown>;
}

export function once<T>(ctx: FactContext, name: string, compute: () => T): T {
  if (!ctx.memo.has(name)) ctx.memo.set(name, compute());
  return ctx.memo.get(name) as T;
}

const NO_EDGE: Edge = { targets: [], status: 'absent', waitsOn: [] };

export function edge(ctx: FactContext, resource: Resource, name: string): Edge {
  return ctx.relations.edges.get(resource.address)?.[name] ?? NO_EDGE;
}

export function related(ctx: FactContext, resource: Resource, name: string): Resource[] {
  return edge(ctx, resource, name)
    .targets.map((address) => ctx.model.byAddress.get(address))
    .filter((r): r is Resource => r !== undefined);
}

/** Was the argument written in the configuration? Undefined when the plan carries no configuration. */
export function isConfigured(resource: Resource, attribute: string): boolean | undefined {
  if (!resource.config) return undefined;
  const expression = asExpression(resource.config.expressions[attribute]);
  if (!expression) return attribute in resource.config.expressions;
  return !('constant_value' in expression && expression.constant_value === null && !expression.references?.length);
}

/** The attribute's value, with the provider default when unset; unknown stays unknown. */
export function valueOr<T extends ModelValue>(resource: Resource, attribute: string, fallback: T): ModelValue {
  const value = resource.values[attribute];
  return value === null || value === undefined ? fallback : value;
}

/** An unknown that stands for a fact derived from an unknown attribute. */
export function unknownFrom(resource: Resource, attribute: string, cause?: ModelValue): Unknown {
  if (isUnknown(cause)) return cause;
  const expression = asExpression(resource.config?.expressions[attribute]);
  return new Unknown(attribute, significantReferences(expression?.references ?? []));
}

export function firstUnknown(...values: readonly ModelValue[]): Unknown | undefined {
  return values.find((v): v is Unknown => isUnknown(v));
}

/** A policy document as text, with the symbols of values known only after apply. */
export interface DocumentText {
  text: string;
  symbols: Readonly<Record<string, { type?: string; account?: string }>>;
}

/**
 * The policy document an attribute holds: its known text, else the recovered one, else what it waits
 * on; null when it is unset.
 */
export function documentText(resource: Resource, attribute: string, value: ModelValue, ctx: FactContext): DocumentText | Unknown | null {
  if (typeof value === 'string') return { text: value, symbols: {} };
  if (!isUnknown(value)) return null;
  const recovered = ctx.recovery.document(resource, attribute);
  if (recovered === undefined) return value;
  if (isUnknown(recovered)) return recovered;
  return { text: recovered.text, symbols: recovered.symbols };
}

/** The account of the plan's caller identity (`data.aws_caller_identity`), when the plan read one. */
export function callerAccount(ctx: FactContext): string | null {
  return once(ctx, 'callerAccount', () => {
    for (const identity of ctx.model.byType.get('aws_caller_identity') ?? []) {
      const id = identity.values['account_id'];
      if (typeof id === 'string' && /^\d{12}$/.test(id)) return id;
    }
    return null;
  });
}

/** aws_kms_key_policy resources of the key's module whose key is known only after apply: each may govern it. */
export function undecidedKeyPolicies(resource: Resource, ctx: FactContext): readonly Resource[] {
  const byModule = once(ctx, 'undecidedKeyPolicies', () => {
    const found = new Map<string, Resource[]>();
    for (const policy of ctx.model.byType.get('aws_kms_key_policy') ?? []) {
      if (edge(ctx, policy, 'key').status !== 'unresolved') continue;
      const list = found.get(policy.module);
      if (list) list.push(policy);
      else found.set(policy.module, [policy]);
    }
    return found;
  });
  return byModule.get(resource.module) ?? [];
}
