// Resolves configuration references (`aws_kms_key.k.arn`, `module.kms.key_id`, `var.key_id`) from a
// resource instance to the resource instances they name, walking module calls and outputs and
// choosing the right module instance and count/for_each key.

import {
  configAddress,
  findModule,
  parseModuleAddress,
  parseTraversal,
  significantReferences,
  asExpression,
  type ConfigModule,
  type InstanceKey,
  type Model,
  type ModuleStep,
  type Resource,
  type Step,
} from '../model';

/** Canonical text of a module instance path, for map keys (the plan's own strings vary in quoting). */
const moduleKey = (steps: readonly ModuleStep[]): string =>
  JSON.stringify(steps.map((s) => [s.call, s.key ?? null]));

/** Instances of one block or one module call; grouped by instance key when first asked. */
export class Keyed<T> {
  readonly all: T[] = [];
  private grouped: Map<InstanceKey | undefined, T[]> | undefined;

  constructor(private readonly keyOf: (item: T) => InstanceKey | undefined) {}

  withKey(key: InstanceKey | '*' | undefined): readonly T[] {
    if (this.grouped === undefined) {
      this.grouped = new Map();
      for (const item of this.all) {
        const k = this.keyOf(item);
        const same = this.grouped.get(k);
        if (same) same.push(item);
        else this.grouped.set(k, [item]);
      }
    }
    return this.grouped.get(key) ?? [];
  }
}

const resourceKey = (resource: Resource) => resource.index;
const moduleInstanceKey = (steps: ModuleStep[]) => steps[steps.length - 1]?.key;

function addKeyed<T>(map: Map<string, Keyed<T>>, id: string, item: T, keyOf: (item: T) => InstanceKey | undefined): void {
  let keyed = map.get(id);
  if (keyed === undefined) {
    keyed = new Keyed(keyOf);
    map.set(id, keyed);
  }
  keyed.all.push(item);
}

export interface InstanceIndex {
  /** (module instance, module-relative address) → instances. */
  instances: Map<string, Keyed<Resource>>;
  /** module instance → call name → the child module instances of that call. */
  children: Map<string, Map<string, Keyed<ModuleStep[]>>>;
  moduleSteps: Map<Resource, ModuleStep[]>;
}

/** Every lookup the resolver makes is by key: one pass over the model, nothing scanned per reference. */
export function indexInstances(model: Model): InstanceIndex {
  const instances = new Map<string, Keyed<Resource>>();
  const children = new Map<string, Map<string, Keyed<ModuleStep[]>>>();
  const moduleSteps = new Map<Resource, ModuleStep[]>();
  const modules = new Map<string, { steps: ModuleStep[]; key: string }>();
  const knownModules = new Set<string>();
  for (const resource of model.resources) {
    if (resource.deposed) continue;
    let module = modules.get(resource.module);
    if (module === undefined) {
      const steps = parseModuleAddress(resource.module) ?? [];
      module = { steps, key: moduleKey(steps) };
      modules.set(resource.module, module);
      for (let depth = 1; depth <= steps.length; depth += 1) {
        const prefix = steps.slice(0, depth);
        const id = moduleKey(prefix);
        if (knownModules.has(id)) continue;
        knownModules.add(id);
        const parent = moduleKey(prefix.slice(0, -1));
        const calls = children.get(parent) ?? new Map<string, Keyed<ModuleStep[]>>();
        children.set(parent, calls);
        addKeyed(calls, prefix[prefix.length - 1]!.call, prefix, moduleInstanceKey);
      }
    }
    moduleSteps.set(resource, module.steps);
    addKeyed(instances, `${module.key}|${configAddress(resource.mode, resource.type, resource.name)}`, resource, resourceKey);
  }
  return { instances, children, moduleSteps };
}

export interface Resolution {
  targets: Resource[];
  /** References that could not be followed (locals, function results, missing blocks). */
  unresolved: string[];
}

interface Scope {
  module: ModuleStep[];
  config: ConfigModule;
  /** The instance key that `each.key` / `count.index` stand for here. */
  key?: InstanceKey | '*';
}

const MAX_DEPTH = 32;

export class ReferenceResolver {
  constructor(
    private readonly model: Model,
    private readonly index: InstanceIndex,
  ) {}

  /** Resolves the references of an expression written in the block of `from`. */
  resolve(from: Resource, references: readonly string[]): Resolution {
    const steps = this.index.moduleSteps.get(from) ?? parseModuleAddress(from.module) ?? [];
    const config = findModule(this.model.configuration, steps.map((s) => s.call));
    const out: Resolution = { targets: [], unresolved: [] };
    if (!config) {
      out.unresolved.push(...significantReferences(references));
      return out;
    }
    const scope: Scope = { module: steps, config, ...(from.index !== undefined ? { key: from.index } : {}) };
    this.resolveAll(references, scope, out, 0);
    out.targets = [...new Set(out.targets)];
    return out;
  }

  private resolveAll(references: readonly string[], scope: Scope, out: Resolution, depth: number): void {
    const keyed = references.some((r) => r === 'each.key' || r === 'each.value' || r === 'count.index');
    for (const reference of significantReferences(references)) {
      this.resolveOne(reference, keyed, scope, out, depth);
    }
  }

  private resolveOne(reference: string, keyed: boolean, scope: Scope, out: Resolution, depth: number): void {
    const steps = parseTraversal(reference);
    const head = steps?.[0];
    if (!steps || head?.kind !== 'name' || depth > MAX_DEPTH) {
      out.unresolved.push(reference);
      return;
    }
    switch (head.name) {
      case 'var':
        return this.resolveVariable(reference, steps, scope, out, depth);
      case 'module':
        return this.resolveModuleOutput(reference, steps, scope, out, depth);
      case 'local':
      case 'terraform':
        out.unresolved.push(reference);
        return;
      case 'data':
        return this.resolveResource(reference, 'data', steps.slice(1), keyed, scope, out);
      default:
        return this.resolveResource(reference, 'managed', steps, keyed, scope, out);
    }
  }

  private resolveResource(
    reference: string,
    mode: 'managed' | 'data',
    steps: Step[],
    keyed: boolean,
    scope: Scope,
    out: Resolution,
  ): void {
    const [type, name, maybeIndex] = steps;
    if (type?.kind !== 'name' || name?.kind !== 'name') {
      out.unresolved.push(reference);
      return;
    }
    const block = scope.config.resources.get(configAddress(mode, type.name, name.name));
    if (!block) {
      out.unresolved.push(reference);
      return;
    }
    const instances = this.index.instances.get(`${moduleKey(scope.module)}|${configAddress(mode, type.name, name.name)}`);
    let chosen: readonly Resource[] = instances?.all ?? [];
    if (maybeIndex?.kind === 'index' && maybeIndex.key !== '*') {
      chosen = instances?.withKey(maybeIndex.key) ?? [];
    } else if (keyed && scope.key !== undefined && (block.hasCount || block.hasForEach)) {
      const same = instances?.withKey(scope.key) ?? [];
      if (same.length > 0) chosen = same;
    }
    for (const target of chosen) out.targets.push(target);
  }

  private resolveVariable(reference: string, steps: Step[], scope: Scope, out: Resolution, depth: number): void {
    const name = steps[1];
    const call = scope.module[scope.module.length - 1];
    if (name?.kind !== 'name' || !call) {
      // Root variables hold values, not resources: nothing to relate through them.
      out.unresolved.push(reference);
      return;
    }
    const parentSteps = scope.module.slice(0, -1);
    const parent = findModule(this.model.configuration, parentSteps.map((s) => s.call));
    const expression = asExpression(parent?.calls.get(call.call)?.expressions[name.name]);
    if (!parent || !expression?.references) {
      out.unresolved.push(reference);
      return;
    }
    const parentScope: Scope = { module: parentSteps, config: parent, ...(call.key !== undefined ? { key: call.key } : {}) };
    this.resolveAll(expression.references, parentScope, out, depth + 1);
  }

  private resolveModuleOutput(reference: string, steps: Step[], scope: Scope, out: Resolution, depth: number): void {
    const callName = steps[1];
    let rest = steps.slice(2);
    let key: InstanceKey | undefined;
    if (rest[0]?.kind === 'index') {
      const index = rest[0];
      if (index.key !== '*') key = index.key;
      rest = rest.slice(1);
    }
    const outputName = rest[0];
    const call = callName?.kind === 'name' ? scope.config.calls.get(callName.name) : undefined;
    if (!call || outputName?.kind !== 'name') {
      out.unresolved.push(reference);
      return;
    }
    const expression = call.module.outputs.get(outputName.name);
    if (!expression?.references) {
      out.unresolved.push(reference);
      return;
    }
    const calls = this.index.children.get(moduleKey(scope.module))?.get(call.name);
    const instances = (key === undefined ? calls?.all : calls?.withKey(key)) ?? [];
    for (const instance of instances) {
      const last = instance[instance.length - 1];
      const childScope: Scope = {
        module: instance,
        config: call.module,
        ...(last?.key !== undefined ? { key: last.key } : {}),
      };
      this.resolveAll(expression.references, childScope, out, depth + 1);
    }
  }
}
