// A `data.aws_iam_policy_document` read at apply time, from the plan alone: `change.after` holds every
// value Terraform already knows, element by element; `configuration` holds the references the
// unknown elements come from.

import { asExpression, isObject, isUnknown, type ConfigExpression, type ModelValue, type Resource } from '../model';
import type { JsonObject } from '../plan/types';
import { absoluteReference, orderedReferences, resolveText } from './configuration';
import type { Context, Scope } from './context';
import { isDocumentText } from './documents';
import { DEFAULT_VERSION, type ConditionInput, type DocumentInput, type PrincipalInput, type StatementInput } from './policy-document';
import { collect, isPending, mergePending, pending, type Collected, type Pending } from './value';

type Expressions = Record<string, unknown>;

const expressionsAt = (value: unknown): Expressions[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is Expressions => isObject(v)) : undefined;

/**
 * Strings of a list whose unknown elements are named by the references of its configuration
 * expression: each reference that resolves through a value unknown in the plan is taken for one
 * unknown element, in order. When the counts differ the plan cannot tell them apart.
 */
function planStrings(
  ctx: Context,
  scope: Scope,
  value: ModelValue | undefined,
  expression: ConfigExpression | undefined,
  what: string,
  nameable: boolean,
  accept: (value: string) => boolean = () => true,
): (string | null)[] | Pending {
  const references = orderedReferences(expression?.references ?? []).map((r) => absoluteReference(scope, r));
  if (value === undefined || value === null) return [];
  if (isUnknown(value)) return pending(`${what} is known only after apply`, references);
  if (!Array.isArray(value)) return pending(`${what} is not a list`);
  const unknown = value.filter(isUnknown).length;
  if (unknown === 0) return value.map((v) => (v === null ? null : String(v)));
  if (!nameable || !expression) return pending(`${what} has elements known only after apply`, references);
  const candidates: string[] = [];
  for (const reference of orderedReferences(expression.references ?? [])) {
    const { value: resolved, unknown: passedUnknown } = ctx.tracking(() => resolveText(ctx, scope, reference));
    if (passedUnknown && typeof resolved === 'string' && accept(resolved)) candidates.push(resolved);
  }
  if (candidates.length !== unknown) {
    return pending(`the plan does not tell which value each unknown element of ${what} is; the Terraform source is needed`, references);
  }
  let next = 0;
  return value.map((v) => (isUnknown(v) ? candidates[next++]! : v === null ? null : String(v)));
}

function planScalar(value: ModelValue | undefined, fallback: string, what: string, references: readonly string[]): string | Pending {
  if (value === undefined || value === null) return fallback;
  if (isUnknown(value)) return pending(`${what} is known only after apply`, references);
  return String(value);
}

const hasUnknown = (value: ModelValue | undefined): boolean =>
  isUnknown(value) || (Array.isArray(value) ? value.some(hasUnknown) : isObject(value) ? Object.values(value as Record<string, ModelValue>).some(hasUnknown) : false);

/**
 * Principals and conditions are sets of blocks: the plan orders them its own way, so a planned block
 * with unknown elements is paired with the configured block whose constants match it.
 */
function pairBlock(planned: Record<string, ModelValue>, configured: readonly Expressions[], keys: readonly string[], listKey: string): ConfigExpression | undefined {
  const matches = configured.filter((block) => {
    if (!('references' in (asExpression(block[listKey] as JsonObject) ?? {}))) return false;
    return keys.every((k) => {
      const constant = asExpression(block[k] as JsonObject)?.constant_value;
      return constant === undefined || constant === planned[k];
    });
  });
  return matches.length === 1 ? asExpression(matches[0]![listKey] as JsonObject) : undefined;
}

function planBlocks<T>(
  ctx: Context,
  scope: Scope,
  value: ModelValue | undefined,
  configured: Expressions[] | undefined,
  keys: readonly string[],
  listKey: string,
  what: string,
  build: (block: Record<string, ModelValue>, list: string[]) => Collected<T>,
): T[] | Pending {
  if (value === undefined || value === null) return [];
  if (isUnknown(value) || !Array.isArray(value)) return pending(`${what} blocks are known only after apply`);
  return collect(
    value.map((block): Collected<T> => {
      if (!isObject(block)) return pending(`${what} is not a block`);
      const object = block as Record<string, ModelValue>;
      const scalarsUnknown = keys.some((k) => isUnknown(object[k]));
      if (scalarsUnknown) return pending(`${what} ${keys.join('/')} known only after apply`);
      const expression = hasUnknown(object[listKey]) ? pairBlock(object, configured ?? [], keys, listKey) : undefined;
      const list = planStrings(ctx, scope, object[listKey], expression, `${what}.${listKey}`, true);
      if (isPending(list)) return list;
      return build(object, list.map((s) => s ?? ''));
    }),
  );
}

function planStatement(ctx: Context, scope: Scope, planned: Record<string, ModelValue>, configured: Expressions | undefined): StatementInput | Pending {
  const expression = (name: string) => asExpression(configured?.[name] as JsonObject | undefined);
  const list = (name: string, nameable: boolean) => {
    const out = planStrings(ctx, scope, planned[name], expression(name), name, nameable);
    return isPending(out) ? out : [...new Set(out.map((s) => s ?? ''))];
  };
  const principals = (name: string) =>
    planBlocks<PrincipalInput>(ctx, scope, planned[name], expressionsAt(configured?.[name]), ['type'], 'identifiers', name, (block, identifiers) => ({
      type: String(block['type'] ?? ''),
      identifiers: [...new Set(identifiers)],
    }));
  const parts = {
    sid: planScalar(planned['sid'], '', 'sid', []),
    effect: planScalar(planned['effect'], 'Allow', 'effect', []),
    actions: list('actions', false),
    notActions: list('not_actions', false),
    resources: list('resources', true),
    notResources: list('not_resources', true),
    principals: principals('principals'),
    notPrincipals: principals('not_principals'),
    conditions: planBlocks<ConditionInput>(
      ctx,
      scope,
      planned['condition'],
      expressionsAt(configured?.['condition']),
      ['test', 'variable'],
      'values',
      'condition',
      (block, values) => ({ test: String(block['test'] ?? ''), variable: String(block['variable'] ?? ''), values }),
    ),
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as StatementInput);
}

export function planDocument(ctx: Context, resource: Resource, scope: Scope): DocumentInput | Pending {
  const values = resource.values;
  const expressions = resource.config?.expressions ?? {};
  const statementsPlanned = values['statement'];
  const configuredStatements = expressionsAt(expressions['statement']);
  let statements: StatementInput[] | Pending;
  if (statementsPlanned === undefined || statementsPlanned === null) statements = [];
  else if (isUnknown(statementsPlanned) || !Array.isArray(statementsPlanned)) statements = pending('the statements are known only after apply');
  else {
    // `dynamic` blocks are missing from the configuration view: pair statements only when none is.
    const aligned = configuredStatements?.length === statementsPlanned.length ? configuredStatements : undefined;
    statements = collect(
      statementsPlanned.map((s, i) =>
        isObject(s) ? planStatement(ctx, scope, s as Record<string, ModelValue>, aligned?.[i]) : pending('a statement is not a block'),
      ),
    );
    if (isPending(statements) && !aligned) {
      statements = pending('statements written with dynamic blocks hold values known only after apply, and the plan shows no configuration for dynamic blocks; the Terraform source is needed', statements.waitsOn);
    }
  }
  // An element written with jsonencode() shows only its references: only whole documents stand for one.
  const documents = (name: string) =>
    planStrings(ctx, scope, values[name], asExpression(expressions[name] as JsonObject | undefined), name, true, isDocumentText);
  const parts = {
    version: planScalar(values['version'], DEFAULT_VERSION, 'version', []),
    policyId: planScalar(values['policy_id'], '', 'policy_id', []),
    statements,
    sources: documents('source_policy_documents'),
    overrides: documents('override_policy_documents'),
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as DocumentInput);
}
