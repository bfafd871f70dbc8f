// Resolves a reference written in a module instance (`var.x`, `local.y`, `module.m["k"].out`,
// `aws_iam_role.r.arn`, `each.value`) to a value: the plan's value when Terraform knows it, a symbolic
// value when it is a single string known only after apply, or Pending. Variables, locals and outputs
// come from the HCL source when it was prepared, else from the plan's `configuration`, where an
// expression that is one reference stands for that reference.

import type { ConfigExpression } from '../model';
import {
  asExpression,
  configAddress,
  formatModuleAddress,
  isObject,
  isUnknown,
  parseModuleAddress,
  parseTraversal,
  type InstanceKey,
  type ModelValue,
  type ModuleStep,
  type Resource,
} from '../model';
import type { Json } from '../plan/types';
import { isRelevantType } from '../plan/relevant';
import { DOCUMENT_ATTRIBUTES, POLICY_DOCUMENT } from './attributes';
import { emptyScope, instanceAddress, type Context, type Scope } from './context';
import { rebuildDocument } from './documents';
import { evaluate } from './expressions';
import { isScalarAttribute } from './symbols';
import type { TraversalStep } from './types';
import { isPending, isValObject, pending, type Val, type ValObject } from './value';

const RESERVED = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self', 'data']);

export function resolve(ctx: Context, scope: Scope, root: string, steps: readonly TraversalStep[]): Val {
  const bound = scope.bound.get(root);
  if (bound !== undefined && !RESERVED.has(root)) return traverse(bound, steps);
  const first = steps[0];
  const name = first && 'name' in first ? first.name : undefined;
  switch (root) {
    case 'var':
      return name === undefined ? pending('var') : traverse(variable(ctx, scope, name), steps.slice(1));
    case 'local':
      return name === undefined ? pending('local') : traverse(local(ctx, scope, name), steps.slice(1));
    case 'module':
      return moduleOutput(ctx, scope, steps);
    case 'each':
      if (!scope.each) return pending('each is not set here');
      if (name === 'key') return traverse(scope.each.key, steps.slice(1));
      if (name === 'value') return traverse(scope.each.value(), steps.slice(1));
      return pending(`each.${name ?? ''}`);
    case 'count':
      return scope.count === undefined || name !== 'index' ? pending('count.index is not set here') : scope.count;
    case 'path':
    case 'terraform':
    case 'self':
      return pending(`${root} values are not rebuilt`);
    case 'data':
      return resourceReference(ctx, scope, 'data', steps);
    default:
      return resourceReference(ctx, scope, 'managed', [{ name: root }, ...steps]);
  }
}

export function traverse(value: Val, steps: readonly TraversalStep[]): Val {
  let current = value;
  for (const step of steps) {
    if (isPending(current)) return current;
    current = index(current, 'name' in step ? step.name : step.key);
  }
  return current;
}

export function index(collection: Val, key: Val): Val {
  if (isPending(collection)) return collection;
  if (isPending(key)) return key;
  if (Array.isArray(collection)) {
    const list = collection as readonly Val[];
    const i = typeof key === 'number' ? key : typeof key === 'string' && /^[0-9]+$/.test(key) ? Number(key) : NaN;
    return Number.isInteger(i) && i >= 0 && i < list.length ? list[i]! : pending(`index ${String(key)} is out of range`);
  }
  if (isValObject(collection) && (typeof key === 'string' || typeof key === 'number')) {
    const found = collection[String(key)];
    return found === undefined ? pending(`no attribute or key ${String(key)}`) : found;
  }
  return pending(`cannot index ${collection === null ? 'null' : typeof collection} with ${String(key)}`);
}

/** The scope of a module instance: `each`/`count` of its module call. */
export function moduleScope(ctx: Context, module: readonly ModuleStep[]): Scope {
  const last = module[module.length - 1];
  if (!last || last.key === undefined || last.key === '*') return emptyScope(module);
  const parent = module.slice(0, -1);
  const key = last.key;
  if (typeof key === 'number') return { ...emptyScope(module), count: key };
  const forEach = ctx.sourceModule(parent)?.calls[last.call]?.body?.attributes['for_each'];
  const value = () => (forEach ? eachValue(evaluate(ctx, moduleScope(ctx, parent), forEach), key) : pending('each.value needs the Terraform source'));
  return { ...emptyScope(module), each: { key, value } };
}

/** The scope a resource instance's arguments are evaluated in. */
export function instanceScope(ctx: Context, resource: Resource): Scope {
  const base = moduleScope(ctx, parseModuleAddress(resource.module) ?? []);
  const key = resource.index;
  if (key === undefined) return { ...base, each: undefined, count: undefined };
  // count keys are numbers, for_each keys strings.
  if (typeof key === 'number') return { ...base, each: undefined, count: key };
  const forEach = ctx.sourceBlock(resource)?.body?.attributes['for_each'];
  const value = () => (forEach ? eachValue(evaluate(ctx, base, forEach), key) : pending('each.value needs the Terraform source'));
  return { ...base, count: undefined, each: { key, value } };
}

/** `for_each` takes a map (each.value is the element) or a set of strings (each.value is the key). */
function eachValue(collection: Val, key: InstanceKey): Val {
  if (isPending(collection)) return collection;
  if (Array.isArray(collection)) return key;
  return index(collection, key);
}

function variable(ctx: Context, scope: Scope, name: string): Val {
  const module = scope.module;
  const last = module[module.length - 1];
  const declared = ctx.sourceModule(module)?.variables[name]?.body?.attributes['default'];
  const fallback = (): Val => {
    if (declared) return evaluate(ctx, moduleScope(ctx, module), declared);
    const variableConfig = ctx.configModule(module)?.variables.get(name);
    return variableConfig && 'default' in variableConfig ? fromJson(variableConfig.default ?? null) : null;
  };
  if (!last) return name in ctx.model.variables ? fromJson(ctx.model.variables[name] ?? null) : fallback();
  const parent = module.slice(0, -1);
  const parentScope = moduleScope(ctx, module.slice(0, -1));
  const sourceCall = ctx.sourceModule(parent)?.calls[last.call]?.body;
  if (sourceCall) {
    const argument = sourceCall.attributes[name];
    return argument ? evaluate(ctx, { ...parentScope, ...withCallKey(ctx, module) }, argument) : fallback();
  }
  const argument = asExpression(ctx.configModule(parent)?.calls.get(last.call)?.expressions[name]);
  return argument ? configExpression(ctx, { ...parentScope, ...withCallKey(ctx, module) }, argument) : fallback();
}

/** A module call's arguments see the `each`/`count` of the instance being built. */
function withCallKey(ctx: Context, module: readonly ModuleStep[]): Pick<Scope, 'each' | 'count'> {
  const scope = moduleScope(ctx, module);
  return { each: scope.each, count: scope.count };
}

function local(ctx: Context, scope: Scope, name: string): Val {
  const expr = ctx.sourceModule(scope.module)?.locals?.[name];
  if (!expr) return pending(`local.${name} is only in the Terraform source`, [`local.${name}`]);
  const key = `local:${JSON.stringify(scope.module)}:${name}`;
  return ctx.cached(key, () => evaluate(ctx, moduleScope(ctx, scope.module), expr));
}

function moduleOutput(ctx: Context, scope: Scope, steps: readonly TraversalStep[]): Val {
  const [callStep, ...after] = steps;
  const call = callStep && 'name' in callStep ? ctx.configModule(scope.module)?.calls.get(callStep.name) : undefined;
  if (!call) return pending('no such module call');
  const keyStep = after[0] && 'key' in after[0] ? after[0] : undefined;
  const key = keyStep && keyStep.key !== '*' ? keyStep.key : undefined;
  const [output, ...rest] = keyStep ? after.slice(1) : after;
  if (!output || !('name' in output)) return pending(`module.${call.name} as a whole is not rebuilt`);
  if ((call.hasCount || call.hasForEach) && key === undefined) return pending(`module.${call.name} has instances: name one`);
  const child = [...scope.module, { call: call.name, ...(key !== undefined ? { key } : {}) }];
  const childScope = moduleScope(ctx, child);
  const sourceOutput = ctx.sourceModule(child)?.outputs[output.name]?.body?.attributes['value'];
  if (sourceOutput) return traverse(evaluate(ctx, childScope, sourceOutput), rest);
  const expression = call.module.outputs.get(output.name);
  return expression ? traverse(configExpression(ctx, childScope, expression), rest) : pending(`module.${call.name}.${output.name} is not declared`);
}

function resourceReference(ctx: Context, scope: Scope, mode: 'managed' | 'data', steps: readonly TraversalStep[]): Val {
  const [typeStep, nameStep, ...rest] = steps;
  if (!typeStep || !nameStep || !('name' in typeStep) || !('name' in nameStep)) return pending('not a resource reference');
  const address = configAddress(mode, typeStep.name, nameStep.name);
  const block = ctx.configModule(scope.module)?.resources.get(address);
  if (!block) return pending(`${address} is not declared in this module`);
  const instances = ctx.instancesOf(scope.module, address);
  const keyStep = rest[0];
  if (keyStep && 'key' in keyStep) {
    const found = instances.find((r) => r.index === keyStep.key);
    return attribute(ctx, typeStep.name, instanceAddress(scope.module, address, keyStep.key), found, rest.slice(1));
  }
  // The plan omits `count`/`for_each` written as a function call (`toset([…])`): instance keys tell too.
  if (block.hasCount || block.hasForEach || instances.some((r) => r.index !== undefined)) {
    if (instances.length === 0) return pending(`${address} has no instances in the plan`, [instanceAddress(scope.module, address, undefined)]);
    const values = instances.map((r) => [r.index, attribute(ctx, typeStep.name, r.address, r, [])] as const);
    const collection: Val = values.every(([k]) => typeof k === 'number')
      ? [...values].sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
      : Object.fromEntries(values.map(([k, v]) => [String(k), v]));
    return traverse(collection, rest);
  }
  return attribute(ctx, typeStep.name, instanceAddress(scope.module, address, undefined), instances[0], rest);
}

/** An attribute of a resource instance (the whole instance when `steps` is empty). */
function attribute(ctx: Context, type: string, address: string, resource: Resource | undefined, steps: readonly TraversalStep[]): Val {
  const path = steps.map((s) => ('name' in s ? s.name : s.key));
  if (!resource) {
    // Types the loader does not keep are not in the model; a plain string of theirs is still a
    // specific value, known or not.
    if (isRelevantType(type) || !isScalarPath(path)) return pending(`${address} is not in the plan`, [address]);
    ctx.markUnknown();
    return ctx.symbol(`${address}.${formatSteps(path)}`, { type: 'value', address });
  }
  if (path.length === 0) return instanceValue(ctx, resource);
  const [name] = path;
  if (resource.type === POLICY_DOCUMENT && typeof name === 'string' && name in DOCUMENT_ATTRIBUTES && isUnknown(resource.values[name])) {
    ctx.markUnknown();
    return traverse(rebuildDocument(ctx, resource, name === 'minified_json'), steps.slice(1));
  }
  if (name === 'arn' && path.length === 1 && isUnknown(resource.values['arn'])) {
    const arn = ctx.accounts.iamArn(resource);
    if (arn) {
      ctx.markUnknown();
      return arn;
    }
  }
  let value: ModelValue | undefined = resource.values;
  for (const [i, step] of path.entries()) {
    if (isUnknown(value)) return unknownAt(ctx, resource, address, path);
    if (Array.isArray(value) && typeof step === 'number') value = value[step];
    else if (isObject(value) && typeof step === 'string') value = (value as Record<string, ModelValue>)[step];
    else if (isObject(value) && typeof step === 'number') value = (value as Record<string, ModelValue>)[String(step)];
    else return pending(`${address} has no attribute ${formatSteps(path.slice(0, i + 1))}`);
    if (value === undefined) return pending(`${address} has no attribute ${formatSteps(path.slice(0, i + 1))}`);
  }
  if (isUnknown(value)) return unknownAt(ctx, resource, address, path);
  return fromModel(ctx, resource, address, path, value);
}

function unknownAt(ctx: Context, resource: Resource, address: string, path: readonly (string | number)[]): Val {
  ctx.markUnknown();
  const reference = `${address}.${formatSteps(path)}`;
  if (!isScalarPath(path)) return pending(`${reference} is known only after apply`, [reference]);
  return ctx.symbol(reference, ctx.accounts.info(resource, address, path));
}

const isScalarPath = (path: readonly (string | number)[]): boolean => {
  const last = [...path].reverse().find((s): s is string => typeof s === 'string');
  return path.length > 0 && typeof path[path.length - 1] === 'string' && last !== undefined && isScalarAttribute(last);
};

export function formatSteps(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out;
}

/** A model value as a Val: nested unknowns become symbols (single strings) or Pending. */
function fromModel(ctx: Context, resource: Resource, address: string, path: readonly (string | number)[], value: ModelValue): Val {
  if (isUnknown(value)) return unknownAt(ctx, resource, address, path);
  if (Array.isArray(value)) return value.map((v, i) => fromModel(ctx, resource, address, [...path, i], v));
  if (isObject(value)) {
    const out: Record<string, Val> = {};
    for (const [k, v] of Object.entries(value as Record<string, ModelValue>)) out[k] = fromModel(ctx, resource, address, [...path, k], v);
    return out;
  }
  return value;
}

/** A whole instance (`for_each = aws_iam_role.r` makes each.value one), attribute by attribute. */
function instanceValue(ctx: Context, resource: Resource): ValObject {
  const out: Record<string, Val> = {};
  for (const name of Object.keys(resource.values)) {
    const isDocument = resource.type === POLICY_DOCUMENT && name in DOCUMENT_ATTRIBUTES;
    out[name] = isDocument && isUnknown(resource.values[name]) ? pending('a whole policy document instance') : attribute(ctx, resource.type, resource.address, resource, [{ name }]);
  }
  return out;
}

export function fromJson(value: Json): Val {
  return value;
}

/** Terraform lists every prefix of a traversal and stops at dynamic indexes; keep each traversal once. */
export function orderedReferences(references: readonly string[]): string[] {
  const interesting = references.filter((r) => !/^(each|count|path|terraform|self)(\.|$)/.test(r));
  const unique = [...new Set(interesting)];
  return unique.filter((r) => !unique.some((other) => other !== r && (other.startsWith(`${r}.`) || other.startsWith(`${r}[`))));
}

/**
 * An expression of constants, `each` and `count` only, which the configuration view does not evaluate:
 * Terraform knows its value at plan time, the plan just does not show it.
 */
export const NOT_EVALUATED = pending('written with functions or templates the plan does not evaluate; the Terraform source is needed');

/**
 * A `configuration` expression: a constant, or — the plan gives no structure — a single reference
 * taken to be the whole expression (`policy = data.aws_iam_policy_document.x.json`, `role = var.arn`).
 */
export function configExpression(ctx: Context, scope: Scope, expression: ConfigExpression): Val {
  if ('constant_value' in expression) return fromJson(expression.constant_value ?? null);
  const references = orderedReferences(expression.references ?? []);
  const only = references[0];
  if (references.length === 0) return NOT_EVALUATED;
  if (references.length !== 1 || !only) {
    return pending(
      'written as an expression of several values; the Terraform source is needed',
      references.map((r) => absoluteReference(scope, r)),
    );
  }
  if ((expression.references ?? []).some((r) => /^(each|count)\./.test(r))) {
    return pending('indexed by each.key or count.index; the Terraform source is needed', [absoluteReference(scope, only)]);
  }
  return resolveText(ctx, scope, only);
}

/** Resolves a reference written as text (`aws_iam_role.r["k"].arn`). */
export function resolveText(ctx: Context, scope: Scope, reference: string): Val {
  const steps = parseTraversal(reference);
  const [head, ...rest] = steps ?? [];
  if (!head || head.kind !== 'name') return pending(`cannot read the reference ${reference}`);
  return resolve(
    ctx,
    scope,
    head.name,
    rest.map((s) => (s.kind === 'name' ? { name: s.name } : { key: s.key === '*' ? '*' : s.key })),
  );
}

/** A reference as written in a module, made absolute for messages (`module.m["a"].aws_iam_role.r.arn`). */
export function absoluteReference(scope: Scope, reference: string): string {
  const prefix = formatModuleAddress(scope.module);
  return prefix ? `${prefix}.${reference}` : reference;
}
