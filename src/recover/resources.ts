// References to resource instances: the plan's value when Terraform knows it, a symbolic value when
// it is a single string known only after apply (a role's ARN as the role's full ARN when name, path
// and account are known), a rebuilt document for a policy document read at apply time.

import { configAddress, isObject, isUnknown, type ModelValue, type Resource } from '../model';
import { isRelevantType } from '../plan/relevant';
import { DOCUMENT_ATTRIBUTES, POLICY_DOCUMENT } from './attributes';
import { instanceAddress, type Context, type Scope } from './context';
import { rebuildDocument } from './documents';
import { traverse } from './references';
import { isScalarAttribute } from './symbols';
import type { TraversalStep } from './types';
import { pending, type Val, type ValObject } from './value';

export function resourceReference(ctx: Context, scope: Scope, mode: 'managed' | 'data', steps: readonly TraversalStep[]): Val {
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

