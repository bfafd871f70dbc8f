// A `data.aws_iam_policy_document` read only at apply time, rebuilt as the provider would render it.
// From the source when it was prepared: the blocks as written, `dynamic` blocks expanded. Otherwise
// (or when the source disagrees with the plan, e.g. a source folder of another revision) from the
// plan: `change.after` holds every value Terraform already knows, element by element, and
// `configuration` the references the unknown elements come from.

import { isObject, isUnknown, type ConfigExpression, type ModelValue, type Resource } from '../model';
import { asExpression } from '../model';
import type { JsonObject } from '../plan/types';
import type { Context, Scope } from './context';
import { asText, evaluate } from './expressions';
import {
  DocumentError,
  renderPolicyDocument,
  type ConditionInput,
  type DocumentInput,
  type PrincipalInput,
  type StatementInput,
} from './policy-document';
import { absoluteReference, instanceScope, orderedReferences, resolveText } from './references';
import type { Body, DocumentOrigin } from './types';
import { isPending, isValObject, mergePending, pending, Pending, type Val } from './value';

const DEFAULT_VERSION = '2012-10-17';

export function isDocumentText(value: Val): boolean {
  if (typeof value !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export function rebuildDocument(ctx: Context, resource: Resource, minified: boolean): Val {
  return ctx.cached(`document:${resource.address}:${minified}`, () => {
    const known = resource.values[minified ? 'minified_json' : 'json'];
    if (typeof known === 'string') return known;
    const input = documentInput(ctx, resource);
    if (isPending(input)) return input;
    const text = renderPolicyDocument(input, minified);
    return text instanceof DocumentError ? pending(`the provider would reject the document: ${text.message}`) : text;
  });
}

/** Which way each rebuilt document went, for the origin a caller reports. */
export function documentOrigin(ctx: Context, resource: Resource): DocumentOrigin {
  return ctx.origins.get(resource.address) ?? 'configuration';
}

function documentInput(ctx: Context, resource: Resource): DocumentInput | Pending {
  const scope = instanceScope(ctx, resource);
  const body = ctx.sourceBlock(resource)?.body;
  const fromPlan = () => {
    ctx.origins.set(resource.address, 'configuration');
    return planDocument(ctx, resource, scope);
  };
  if (!body) return fromPlan();
  const fromSource = sourceDocument(ctx, scope, body);
  if (!isPending(fromSource) && agreesWithPlan(resource, fromSource)) {
    ctx.origins.set(resource.address, 'source');
    return fromSource;
  }
  const planned = fromPlan();
  return isPending(planned) && isPending(fromSource) ? mergePending([fromSource, planned]) : planned;
}

type Collected<T> = T | Pending;

function collect<T>(values: readonly Collected<T>[]): T[] | Pending {
  const waiting = values.filter((v): v is Pending => v instanceof Pending);
  return waiting.length > 0 ? mergePending(waiting) : (values as T[]);
}

// ---- from the source ----

function attribute(ctx: Context, scope: Scope, body: Body, name: string): Val {
  const expr = body.attributes[name];
  return expr ? evaluate(ctx, scope, expr) : null;
}

/** Arguments of type list(string)/set(string): elements converted to strings, sets without duplicates. */
function strings(value: Val, set: boolean, what: string): readonly (string | null)[] | Pending {
  if (isPending(value)) return value;
  if (value === null) return [];
  if (!Array.isArray(value)) return pending(`${what} is not a list`);
  const out: (string | null)[] = [];
  for (const item of value as readonly Val[]) {
    if (isPending(item)) return item;
    if (item === null) {
      out.push(null);
      continue;
    }
    const text = asText(item);
    if (text === undefined) return pending(`${what} holds a value that is not a string`);
    if (!set || !out.includes(text)) out.push(text);
  }
  return out;
}

function stringsOnly(value: Val, set: boolean, what: string): string[] | Pending {
  const list = strings(value, set, what);
  if (isPending(list)) return list;
  return list.every((s) => s !== null) ? (list as string[]) : pending(`${what} holds a null`);
}

function scalar(value: Val, fallback: string, what: string): string | Pending {
  if (isPending(value)) return value;
  if (value === null) return fallback;
  return asText(value) ?? pending(`${what} is not a string`);
}

/** The blocks of a type in a body, `dynamic` ones expanded, each with the scope its content sees. */
function expand(ctx: Context, scope: Scope, body: Body, type: string): { scope: Scope; body: Body }[] | Pending {
  const out: { scope: Scope; body: Body }[] = [];
  for (const block of body.blocks) {
    if (block.type !== type) continue;
    if (block.kind === 'static') {
      out.push({ scope, body: block.body });
      continue;
    }
    const collection = evaluate(ctx, scope, block.forEach);
    if (isPending(collection)) return collection;
    let pairs: [Val, Val][];
    if (Array.isArray(collection)) pairs = (collection as readonly Val[]).map((v, i) => [i, v]);
    else if (isValObject(collection)) pairs = Object.keys(collection).sort().map((k) => [k, collection[k]!]);
    else if (collection === null) pairs = [];
    else return pending(`dynamic "${type}" for_each is not a collection`);
    for (const [key, value] of pairs) {
      const bound = new Map(scope.bound);
      bound.set(block.iterator, { key, value });
      out.push({ scope: { ...scope, bound }, body: block.content });
    }
  }
  return out;
}

function sourcePrincipals(ctx: Context, scope: Scope, body: Body, type: string): PrincipalInput[] | Pending {
  const blocks = expand(ctx, scope, body, type);
  if (isPending(blocks)) return blocks;
  return collect(
    blocks.map(({ scope: s, body: b }): Collected<PrincipalInput> => {
      const principalType = scalar(attribute(ctx, s, b, 'type'), '', `${type}.type`);
      const identifiers = stringsOnly(attribute(ctx, s, b, 'identifiers'), true, `${type}.identifiers`);
      const waiting = [principalType, identifiers].filter(isPending);
      if (waiting.length > 0) return mergePending(waiting);
      return { type: principalType as string, identifiers: identifiers as string[] };
    }),
  );
}

function sourceStatement(ctx: Context, scope: Scope, body: Body): StatementInput | Pending {
  const conditionBlocks = expand(ctx, scope, body, 'condition');
  const conditions = isPending(conditionBlocks)
    ? conditionBlocks
    : collect(
        conditionBlocks.map(({ scope: s, body: b }): Collected<ConditionInput> => {
          const test = scalar(attribute(ctx, s, b, 'test'), '', 'condition.test');
          const variable = scalar(attribute(ctx, s, b, 'variable'), '', 'condition.variable');
          const values = stringsOnly(attribute(ctx, s, b, 'values'), false, 'condition.values');
          const waiting = [test, variable, values].filter(isPending);
          if (waiting.length > 0) return mergePending(waiting);
          return { test: test as string, variable: variable as string, values: values as string[] };
        }),
      );
  const parts = {
    sid: scalar(attribute(ctx, scope, body, 'sid'), '', 'sid'),
    effect: scalar(attribute(ctx, scope, body, 'effect'), 'Allow', 'effect'),
    actions: stringsOnly(attribute(ctx, scope, body, 'actions'), true, 'actions'),
    notActions: stringsOnly(attribute(ctx, scope, body, 'not_actions'), true, 'not_actions'),
    resources: stringsOnly(attribute(ctx, scope, body, 'resources'), true, 'resources'),
    notResources: stringsOnly(attribute(ctx, scope, body, 'not_resources'), true, 'not_resources'),
    principals: sourcePrincipals(ctx, scope, body, 'principals'),
    notPrincipals: sourcePrincipals(ctx, scope, body, 'not_principals'),
    conditions,
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as StatementInput);
}

function sourceDocument(ctx: Context, scope: Scope, body: Body): DocumentInput | Pending {
  const blocks = expand(ctx, scope, body, 'statement');
  const statements = isPending(blocks) ? blocks : collect(blocks.map((b) => sourceStatement(ctx, b.scope, b.body)));
  const parts = {
    version: scalar(attribute(ctx, scope, body, 'version'), DEFAULT_VERSION, 'version'),
    policyId: scalar(attribute(ctx, scope, body, 'policy_id'), '', 'policy_id'),
    statements,
    sources: strings(attribute(ctx, scope, body, 'source_policy_documents'), false, 'source_policy_documents'),
    overrides: strings(attribute(ctx, scope, body, 'override_policy_documents'), false, 'override_policy_documents'),
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as DocumentInput);
}

/** A source of another revision than the plan is worse than none: the plan's known values must agree. */
function agreesWithPlan(resource: Resource, input: DocumentInput): boolean {
  const planned = resource.values['statement'];
  if (!Array.isArray(planned)) return true;
  if (planned.length !== input.statements.length) return false;
  return planned.every((statement, i) => {
    const built = input.statements[i]!;
    if (!isObject(statement)) return true;
    const object = statement as Record<string, ModelValue>;
    const sid = object['sid'];
    if (typeof sid === 'string' && sid !== built.sid) return false;
    const actions = object['actions'];
    if (Array.isArray(actions) && actions.every((a) => typeof a === 'string')) {
      const mine = new Set(built.actions);
      if (actions.length !== mine.size || !actions.every((a) => mine.has(a as string))) return false;
    }
    return true;
  });
}

// ---- from the plan ----

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

function planDocument(ctx: Context, resource: Resource, scope: Scope): DocumentInput | Pending {
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
