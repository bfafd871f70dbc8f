// State shared while rebuilding values for one plan: the model's instances by module instance, the
// prepared source by module, the accounts, the symbols handed out, caches and the recursion guard.

import {
  configAddress,
  findModule,
  formatKey,
  formatModuleAddress,
  parseModuleAddress,
  type ConfigModule,
  type InstanceKey,
  type Model,
  type ModuleStep,
  type Resource,
} from '../model';
import { pathKey } from './directories';
import { AccountContext } from './symbols';
import type { DocumentOrigin, PreparedSources, SourceBlock, SourceModule, SymbolInfo } from './types';
import { pending, symbolText, type Val } from './value';

/** Where an expression is evaluated: a module instance, and the key of the instance being built. */
export interface Scope {
  module: readonly ModuleStep[];
  /** `each.key` / `each.value` (the value is computed only when asked). */
  each?: { key: InstanceKey; value: () => Val };
  /** `count.index`. */
  count?: number;
  /** Names bound by `for` expressions and `dynamic` block iterators. */
  bound: ReadonlyMap<string, Val>;
}

const moduleKey = (steps: readonly ModuleStep[]): string => JSON.stringify(steps.map((s) => [s.call, s.key ?? null]));

export const MAX_DEPTH = 64;
const MAX_NESTING = 256;

export class Context {
  readonly accounts: AccountContext;
  /** Every symbolic value handed out, by reference. */
  readonly symbols = new Map<string, SymbolInfo>();
  /** Whether each rebuilt policy document came from the source or from the plan's configuration. */
  readonly origins = new Map<string, DocumentOrigin>();
  /** Rebuilt documents and local values, with whether they passed through a value unknown in the plan. */
  readonly cache = new Map<string, { value: Val; unknown: boolean }>();
  private readonly instances = new Map<string, Resource[]>();
  /** Module instances that hold resources in the plan, by the instance that calls them. */
  private readonly modules = new Map<string, ModuleStep[][]>();
  private readonly sources = new Map<string, SourceModule>();
  private readonly active = new Set<string>();
  private unknownSeen = false;
  private depth = 0;

  constructor(
    readonly model: Model,
    readonly prepared: PreparedSources | undefined,
  ) {
    const seenModules = new Set<string>();
    for (const resource of model.resources) {
      if (resource.deposed) continue;
      const steps = parseModuleAddress(resource.module) ?? [];
      const key = `${moduleKey(steps)}|${configAddress(resource.mode, resource.type, resource.name)}`;
      const list = this.instances.get(key);
      if (list) list.push(resource);
      else this.instances.set(key, [resource]);
      for (let depth = 1; depth <= steps.length; depth += 1) {
        const instance = steps.slice(0, depth);
        if (seenModules.has(moduleKey(instance))) continue;
        seenModules.add(moduleKey(instance));
        const parent = moduleKey(steps.slice(0, depth - 1));
        this.modules.set(parent, [...(this.modules.get(parent) ?? []), instance]);
      }
    }
    for (const module of prepared?.modules ?? []) this.sources.set(pathKey(module.path), module);
    this.accounts = new AccountContext(model, prepared?.providerAccounts ?? []);
  }

  instancesOf(module: readonly ModuleStep[], address: string): readonly Resource[] {
    return this.instances.get(`${moduleKey(module)}|${address}`) ?? [];
  }

  /** The instances of a module call in a module instance, as far as the plan's resources show them. */
  moduleInstances(module: readonly ModuleStep[], call: string): readonly (readonly ModuleStep[])[] {
    return (this.modules.get(moduleKey(module)) ?? []).filter((m) => m[m.length - 1]?.call === call);
  }

  configModule(module: readonly ModuleStep[]): ConfigModule | undefined {
    return findModule(this.model.configuration, module.map((s) => s.call));
  }

  sourceModule(module: readonly ModuleStep[]): SourceModule | undefined {
    return this.sources.get(pathKey(module.map((s) => s.call)));
  }

  sourceBlock(resource: Resource): SourceBlock | undefined {
    const module = parseModuleAddress(resource.module) ?? [];
    return this.sourceModule(module)?.blocks[configAddress(resource.mode, resource.type, resource.name)];
  }

  /** A symbolic value for a reference, remembered with what it stands for. */
  symbol(reference: string, info: SymbolInfo): string {
    this.symbols.set(reference, info);
    return symbolText(reference);
  }

  /** Notes that the value being resolved passed through a value the plan knows only after apply. */
  markUnknown(): void {
    this.unknownSeen = true;
  }

  /** Runs `fn` and tells whether it passed through a value unknown in the plan. */
  tracking(fn: () => Val): { value: Val; unknown: boolean } {
    const outer = this.unknownSeen;
    this.unknownSeen = false;
    try {
      const value = fn();
      return { value, unknown: this.unknownSeen };
    } finally {
      this.unknownSeen = outer || this.unknownSeen;
    }
  }

  /** Runs a nested resolution; a source that nests without end (cycles through variables) is Pending, not a crash. */
  nested(fn: () => Val): Val {
    if (this.depth >= MAX_NESTING) return pending('references nest too deep (a cycle?)');
    this.depth += 1;
    try {
      return fn();
    } finally {
      this.depth -= 1;
    }
  }

  /** Computes a value once; a value that refers back to itself (or nests too deep) is Pending. */
  cached(key: string, fn: () => Val): Val {
    const hit = this.cache.get(key);
    if (hit) {
      if (hit.unknown) this.markUnknown();
      return hit.value;
    }
    if (this.active.has(key) || this.active.size > MAX_DEPTH) return pending(`${key} refers to itself`);
    this.active.add(key);
    try {
      const result = this.tracking(fn);
      this.cache.set(key, result);
      return result.value;
    } finally {
      this.active.delete(key);
    }
  }
}

/** The full address of a resource instance in a module instance. */
export function instanceAddress(module: readonly ModuleStep[], address: string, key: InstanceKey | undefined): string {
  const prefix = formatModuleAddress(module);
  return `${prefix ? `${prefix}.` : ''}${address}${key === undefined ? '' : formatKey(key)}`;
}

export const emptyScope = (module: readonly ModuleStep[]): Scope => ({ module, bound: new Map() });
