// Resolves a reference written in a module instance (`var.x`, `local.y`, `module.m["k"].out`,
// `aws_iam_role.r.arn`, `each.value`) to a value: the plan's value when Terraform knows it, a symbolic
// value when it is a single string known only after apply, or Pending. Variables, locals and outputs
// come from the HCL source when it was prepared, else from the plan's `configuration`, where an
// expression that is one reference stands for that reference.

import { asExpression, parseModuleAddress, type ConfigExpression, type InstanceKey, type ModuleStep, type Resource } from '../model';
import { configExpression } from './configuration';
import { emptyScope, type Context, type Scope } from './context';
import { evaluate } from './expressions';
import { resourceReference } from './resources';
import type { TraversalStep } from './types';
import { isPending, isValObject, pending, type Val, type ValObject } from './value';

const RESERVED = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self', 'data']);

export function resolve(ctx: Context, scope: Scope, root: string, steps: readonly TraversalStep[]): Val {
  return ctx.nested(() => resolveNested(ctx, scope, root, steps));
}

function resolveNested(ctx: Context, scope: Scope, root: string, steps: readonly TraversalStep[]): Val {
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
    if (!variableConfig && !ctx.sourceModule(module)?.variables[name]) return pending(`var.${name} is not declared`);
    return variableConfig && 'default' in variableConfig ? (variableConfig.default ?? null) : null;
  };
  if (!last) return name in ctx.model.variables ? (ctx.model.variables[name] ?? null) : fallback();
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
  const instances = ctx.moduleInstances(scope.module, call.name);
  // The plan omits `count`/`for_each` written as a function call: instance keys tell too.
  const keyed = call.hasCount || call.hasForEach || instances.some((m) => m[m.length - 1]?.key !== undefined);
  const keyStep = after[0] && 'key' in after[0] ? after[0] : undefined;
  if (keyed && !keyStep) {
    // `module.m` as a whole: its instances by key, each an object of its outputs.
    const objects = instances.map((m) => [m[m.length - 1]?.key, moduleObject(ctx, m)] as const);
    const collection: Val = objects.every(([k]) => typeof k === 'number')
      ? [...objects].sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
      : Object.fromEntries(objects.map(([k, v]) => [String(k), v]));
    return traverse(collection, after);
  }
  const key = keyStep && keyStep.key !== '*' ? keyStep.key : undefined;
  const child = [...scope.module, { call: call.name, ...(key !== undefined ? { key } : {}) }];
  return traverse(moduleObject(ctx, child), keyStep ? after.slice(1) : after);
}

/** A module instance as an object of its outputs (from the source, else the plan's configuration). */
function moduleObject(ctx: Context, module: readonly ModuleStep[]): ValObject {
  const scope = moduleScope(ctx, module);
  const source = ctx.sourceModule(module)?.outputs ?? {};
  const configured = ctx.configModule(module)?.outputs ?? new Map<string, ConfigExpression>();
  const out: Record<string, Val> = {};
  for (const name of new Set([...Object.keys(source), ...configured.keys()])) {
    const written = source[name]?.body?.attributes['value'];
    const expression = configured.get(name);
    out[name] = written ? evaluate(ctx, scope, written) : expression ? configExpression(ctx, scope, expression) : pending(`output ${name} needs the Terraform source`);
  }
  return out;
}

