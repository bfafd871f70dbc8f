// Shape checks for the resources that are parsed (relevant types only): the fields the contract in
// types.ts promises are there with the right JSON types. The objects are returned as parsed, so
// fields Terraform adds later travel along verbatim.

import type { DeferredChange, Json, JsonObject, ResourceChange, ValuesResource } from './types';
import { shapeError } from './messages';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON path of the value checked, built only for an error message. */
export type Where = () => string;

class Checker {
  constructor(
    private readonly file: string,
    private readonly where: Where,
  ) {}

  fail(key: string, problem: string): never {
    throw shapeError(this.file, key === '' ? this.where() : `${this.where()}.${key}`, problem);
  }

  object(value: Json | undefined, key: string): JsonObject {
    if (!isObject(value)) this.fail(key, value === undefined ? 'missing object' : 'expected an object');
    return value;
  }

  string(object: JsonObject, key: string, optional = false): void {
    const value = object[key];
    if (typeof value === 'string' || (optional && value === undefined)) return;
    this.fail(key, value === undefined ? 'missing string' : 'expected a string');
  }

  mode(object: JsonObject): void {
    const mode = object.mode;
    if (mode !== 'managed' && mode !== 'data') this.fail('mode', `expected "managed" or "data", found ${JSON.stringify(mode ?? null)}`);
  }

  index(object: JsonObject): void {
    const index = object.index;
    if (index !== undefined && typeof index !== 'string' && typeof index !== 'number') this.fail('index', 'expected a string or a number');
  }

  resource(object: JsonObject): void {
    this.string(object, 'address');
    this.mode(object);
    this.string(object, 'type');
    this.string(object, 'name');
    this.index(object);
    this.string(object, 'provider_name', true);
  }
}

export function asResourceChange(file: string, where: Where, value: Json): ResourceChange {
  const check = new Checker(file, where);
  const object = check.object(value, '');
  check.resource(object);
  for (const key of ['previous_address', 'module_address', 'deposed', 'action_reason']) check.string(object, key, true);
  if (object.index_unknown !== undefined && typeof object.index_unknown !== 'boolean') check.fail('index_unknown', 'expected a boolean');
  const change = check.object(object.change, 'change');
  const actions = change.actions;
  if (!Array.isArray(actions) || !actions.every((action) => typeof action === 'string')) check.fail('change.actions', 'expected an array of strings');
  return object as unknown as ResourceChange;
}

/** A values-representation resource; `module_address` is filled in when its module closes. */
export function asValuesResource(file: string, where: Where, value: Json): ValuesResource {
  const check = new Checker(file, where);
  const object = check.object(value, '');
  check.resource(object);
  check.string(object, 'deposed_key', true);
  if (object.values !== undefined) check.object(object.values, 'values');
  const resource = object as unknown as ValuesResource;
  resource.module_address = '';
  return resource;
}

export function asDeferredChange(file: string, where: Where, value: Json): DeferredChange {
  const check = new Checker(file, where);
  const object = check.object(value, '');
  check.string(object, 'reason');
  asResourceChange(file, () => `${where()}.resource_change`, object.resource_change ?? null);
  return object as unknown as DeferredChange;
}
