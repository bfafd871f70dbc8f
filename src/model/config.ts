// The plan's `configuration` section as a module tree: the static blocks with their unevaluated
// expressions, which is how relations are found when ids are known only after apply
// (plan-format.md §8). Addresses inside a module are module-relative and carry no instance keys.

import type { Json, JsonObject } from '../plan/types';
import { configAddress } from './address';
import { isObject } from './value';

export interface ConfigExpression {
  constant_value?: Json;
  references?: readonly string[];
}

export interface ConfigBlock {
  /** Module-relative address, e.g. `aws_kms_key.k` or `data.aws_iam_policy_document.d`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  expressions: JsonObject;
  hasCount: boolean;
  hasForEach: boolean;
}

export interface ModuleCall {
  name: string;
  source: string;
  expressions: JsonObject;
  hasCount: boolean;
  hasForEach: boolean;
  module: ConfigModule;
}

export interface ConfigModule {
  /** Call names from the root module down; [] for the root. */
  path: readonly string[];
  resources: ReadonlyMap<string, ConfigBlock>;
  calls: ReadonlyMap<string, ModuleCall>;
  outputs: ReadonlyMap<string, ConfigExpression>;
  variables: ReadonlyMap<string, { sensitive: boolean; default?: Json }>;
}

const objectOr = (value: Json | undefined): JsonObject => (isObject(value) ? (value as JsonObject) : {});

export function asExpression(value: Json | undefined): ConfigExpression | undefined {
  if (!isObject(value)) return undefined;
  const object = value as JsonObject;
  const references = Array.isArray(object['references'])
    ? object['references'].filter((r): r is string => typeof r === 'string')
    : undefined;
  return {
    ...('constant_value' in object ? { constant_value: object['constant_value'] ?? null } : {}),
    ...(references ? { references } : {}),
  };
}

function readModule(raw: JsonObject, path: readonly string[]): ConfigModule {
  const resources = new Map<string, ConfigBlock>();
  const list = raw['resources'];
  for (const entry of Array.isArray(list) ? list : []) {
    if (!isObject(entry)) continue;
    const block = entry as JsonObject;
    const { type, name } = block;
    if (typeof type !== 'string' || typeof name !== 'string') continue;
    const mode = block['mode'] === 'data' ? 'data' : 'managed';
    const address = configAddress(mode, type, name);
    resources.set(address, {
      address,
      mode,
      type,
      name,
      expressions: objectOr(block['expressions']),
      hasCount: 'count_expression' in block,
      hasForEach: 'for_each_expression' in block,
    });
  }
  const calls = new Map<string, ModuleCall>();
  for (const [name, value] of Object.entries(objectOr(raw['module_calls']))) {
    if (!isObject(value)) continue;
    const call = value as JsonObject;
    calls.set(name, {
      name,
      source: typeof call['source'] === 'string' ? call['source'] : '',
      expressions: objectOr(call['expressions']),
      hasCount: 'count_expression' in call,
      hasForEach: 'for_each_expression' in call,
      module: readModule(objectOr(call['module']), [...path, name]),
    });
  }
  const outputs = new Map<string, ConfigExpression>();
  for (const [name, value] of Object.entries(objectOr(raw['outputs']))) {
    const expression = asExpression(objectOr(value)['expression']);
    if (expression) outputs.set(name, expression);
  }
  const variables = new Map<string, { sensitive: boolean; default?: Json }>();
  for (const [name, value] of Object.entries(objectOr(raw['variables']))) {
    const variable = objectOr(value);
    variables.set(name, {
      sensitive: variable['sensitive'] === true,
      ...('default' in variable ? { default: variable['default'] ?? null } : {}),
    });
  }
  return { path, resources, calls, outputs, variables };
}

export function indexConfiguration(configuration: JsonObject | undefined): ConfigModule {
  return readModule(objectOr(configuration?.['root_module']), []);
}

export function findModule(root: ConfigModule, callPath: readonly string[]): ConfigModule | undefined {
  let module: ConfigModule | undefined = root;
  for (const name of callPath) module = module?.calls.get(name)?.module;
  return module;
}

/** The expression at a path inside a block's expressions (nested blocks are arrays of expression maps). */
export function expressionAt(expressions: JsonObject, path: readonly (string | number)[]): ConfigExpression | undefined {
  let node: Json | undefined = expressions;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(node)) break;
      node = node[step];
    } else if (isObject(node)) {
      const object = node as JsonObject;
      if (!(step in object) && ('references' in object || 'constant_value' in object)) break;
      node = object[step];
    } else if (Array.isArray(node) && node.length === 1) {
      node = objectOr(node[0])[step];
    } else {
      return undefined;
    }
  }
  return asExpression(node ?? undefined);
}

/** Terraform lists every traversal prefix of a reference; keep only the longest of each. */
export function significantReferences(references: readonly string[]): string[] {
  const interesting = references.filter(
    (r) => !r.startsWith('each.') && !r.startsWith('count.') && !r.startsWith('path.') && r !== 'self',
  );
  return [...new Set(interesting)]
    .filter((r) => !interesting.some((other) => other !== r && (other.startsWith(`${r}.`) || other.startsWith(`${r}[`))))
    .sort();
}
