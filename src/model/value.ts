// Unknown is a value. An attribute in the model is known (a JSON value), absent (null), or an
// `Unknown` that says which attribute is undecided and what it waits on. `Unknown` keeps its data in
// private fields so that a JSONPath walk sees no properties inside it and stops there.

import type { Json } from '../plan/types';

export class Unknown {
  readonly #attribute: string;
  readonly #waitsOn: readonly string[];
  readonly #reason: string | undefined;
  readonly #resource: string | undefined;

  constructor(attribute: string, waitsOn: readonly string[], reason?: string, resource?: string) {
    this.#attribute = attribute;
    this.#waitsOn = waitsOn;
    this.#reason = reason;
    this.#resource = resource;
  }

  /** The address of the resource the value belongs to, when known. */
  get resource(): string | undefined {
    return this.#resource;
  }

  /** Why the value cannot be known when it is not a value Terraform computes at apply time. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** The attribute path inside the resource, e.g. `policy` or `statement[0].resources`. */
  get attribute(): string {
    return this.#attribute;
  }

  /** Configuration references the value depends on, e.g. `aws_iam_role.ci.arn`. */
  get waitsOn(): readonly string[] {
    return this.#waitsOn;
  }

  toJSON(): string {
    return '(known after apply)';
  }
}

export type ModelValue = null | boolean | number | string | Unknown | ModelValue[] | ModelObject;
export interface ModelObject {
  [key: string]: ModelValue;
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

export type PathStep = string | number;

export function formatPath(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out;
}

/**
 * Rebuilds a planned value from `after` and its `after_unknown` mask (plan-format.md §5.2): `true` in
 * the mask marks an unknown; `after` omits unknown object attributes and holds `null` in place of
 * unknown list elements. When the mask adds nothing to `after` (most resources of a plan, whose
 * values are all known), `after` itself is the value: nothing is copied, so it must not be changed.
 */
export function overlayUnknown(after: Json | undefined, mask: Json | undefined, unknownAt: (path: readonly PathStep[]) => Unknown): ModelValue {
  if (!addsToAfter(after, mask)) return after ?? null;
  return overlay(after, mask, unknownAt, []);
}

/** Whether overlaying `mask` gives something else than `after`: an unknown, or a key `after` lacks. */
function addsToAfter(after: Json | undefined, mask: Json | undefined): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) {
    if (after === undefined) return true;
    if (!Array.isArray(after)) return false;
    for (let i = 0; i < after.length; i++) if (addsToAfter(after[i], mask[i])) return true;
    return false;
  }
  if (!isObject(mask) || Array.isArray(after)) return false;
  if (after === undefined) return true;
  if (!isObject(after)) return false;
  const maskObject = mask as Record<string, Json>;
  const source = after as Record<string, Json>;
  for (const key in maskObject) {
    const member = maskObject[key];
    if (key in source ? addsToAfter(source[key], member) : member !== false) return true;
  }
  return false;
}

/** `path` is the position of `after`, used as a stack: each level pushes its step and pops it. */
function overlay(after: Json | undefined, mask: Json | undefined, unknownAt: (path: readonly PathStep[]) => Unknown, path: PathStep[]): ModelValue {
  if (mask === true) return unknownAt([...path]);
  if (Array.isArray(after)) {
    const elementMasks = Array.isArray(mask) ? mask : [];
    const out: ModelValue[] = [];
    for (let i = 0; i < after.length; i++) {
      path.push(i);
      out.push(overlay(after[i], elementMasks[i], unknownAt, path));
      path.pop();
    }
    return out;
  }
  if (isObject(after) || (after === undefined && isObject(mask))) {
    const source = (after ?? {}) as Record<string, Json>;
    const maskObject = isObject(mask) ? (mask as Record<string, Json>) : {};
    const out: ModelObject = {};
    for (const key of Object.keys(source)) {
      path.push(key);
      out[key] = overlay(source[key], maskObject[key], unknownAt, path);
      path.pop();
    }
    for (const key of Object.keys(maskObject)) {
      if (!(key in source) && maskObject[key] !== false) {
        path.push(key);
        out[key] = overlay(undefined, maskObject[key], unknownAt, path);
        path.pop();
      }
    }
    return out;
  }
  if (after === undefined && Array.isArray(mask)) {
    const out: ModelValue[] = [];
    for (let i = 0; i < mask.length; i++) {
      path.push(i);
      out.push(overlay(undefined, mask[i], unknownAt, path));
      path.pop();
    }
    return out;
  }
  return after ?? null;
}

/**
 * The values of a resource Terraform knows nothing about yet (`after_unknown: true`, e.g. a deferred
 * instance): every attribute reads as unknown, named after the attribute asked for.
 */
export function whollyUnknown(make: (attribute: string) => Unknown): ModelObject {
  const cache = new Map<string, Unknown>();
  const get = (key: string) => {
    let value = cache.get(key);
    if (!value) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
  return new Proxy({} as ModelObject, {
    get: (_target, key) => (typeof key === 'string' ? get(key) : undefined),
    has: (_target, key) => typeof key === 'string',
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' ? { value: get(key), writable: false, enumerable: false, configurable: true } : undefined,
  });
}

/** Is the value at `path` (or a value containing it) marked sensitive by a `*_sensitive` mask? */
export function isSensitiveAt(mask: Json | undefined, path: readonly PathStep[]): boolean {
  let node: Json | undefined = mask;
  for (const step of path) {
    if (node === true) return true;
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isObject(node) && typeof step === 'string') node = (node as Record<string, Json>)[step];
    else return false;
  }
  return node === true;
}

/** Every string (and number, as text) under a sensitive mark: what must never reach a report. */
export function collectSensitive(value: Json | undefined, mask: Json | undefined, into: Set<string>): void {
  if (mask === true) {
    collectLeaves(value, into);
    return;
  }
  if (Array.isArray(value) && Array.isArray(mask)) {
    value.forEach((element, i) => collectSensitive(element, mask[i], into));
  } else if (isObject(value) && isObject(mask)) {
    const object = value as Record<string, Json>;
    const maskObject = mask as Record<string, Json>;
    for (const key of Object.keys(maskObject)) collectSensitive(object[key], maskObject[key], into);
  }
}

export function collectLeaves(value: Json | undefined, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (typeof value === 'number') into.add(String(value));
  else if (Array.isArray(value)) value.forEach((element) => collectLeaves(element, into));
  else if (isObject(value)) Object.values(value as Record<string, Json>).forEach((v) => collectLeaves(v, into));
}
