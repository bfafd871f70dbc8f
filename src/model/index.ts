// The model stage: a loaded plan or state document becomes resources by full address with tri-state
// values, plan actions, sensitivity masks and their configuration blocks.

import type { Json, JsonObject, PlanDocument, ResourceChange, ValuesResource } from '../plan/types';
import { configAddress, formatKey, parseModuleAddress, parseResourceAddress } from './address';
import { PROVIDER_DEFAULTS } from './defaults';
import { expressionAt, findModule, indexConfiguration, significantReferences, type ConfigModule } from './config';
import type { Action, Model, Origin, Resource } from './types';
import {
  collectLeaves,
  collectSensitive,
  formatPath,
  isObject,
  overlayUnknown,
  Unknown,
  whollyUnknown,
  type ModelObject,
  type PathStep,
} from './value';

export type { Action, Model, Origin, Resource } from './types';
export * from './value';
export * from './address';
export * from './config';

/** Summarises `change.actions`; HashiCorp's advice is to test membership, which `actions` keeps for rules. */
export function summariseActions(actions: readonly string[]): Action {
  const has = (a: string) => actions.includes(a);
  if (has('delete') && has('create')) return 'replace';
  if (has('create') && has('forget')) return 'replace';
  if (has('delete')) return 'delete';
  if (has('forget')) return 'forget';
  if (has('create')) return 'create';
  if (has('update')) return 'update';
  if (has('read')) return 'read';
  return 'no-op';
}

const asObject = (value: Json | undefined): JsonObject | null => (isObject(value) ? (value as JsonObject) : null);

/** The configuration, with the module of each module instance address looked up once. */
class Configuration {
  private readonly modules = new Map<string, { modulePath: readonly string[]; module: ConfigModule | undefined }>();

  constructor(readonly root: ConfigModule) {}

  /** The module call path of an instance and the configuration block that declares it. */
  locate(moduleAddress: string, mode: 'managed' | 'data', type: string, name: string) {
    let found = this.modules.get(moduleAddress);
    if (found === undefined) {
      const modulePath = (parseModuleAddress(moduleAddress) ?? []).map((s) => s.call);
      found = { modulePath, module: findModule(this.root, modulePath) };
      this.modules.set(moduleAddress, found);
    }
    return { modulePath: found.modulePath, block: found.module?.resources.get(configAddress(mode, type, name)) };
  }
}

/** One frozen copy of each `change.actions` list: a large plan repeats a handful of them thousands of times. */
class ActionLists {
  private readonly lists = new Map<string, readonly string[]>();

  of(raw: unknown): readonly string[] {
    const actions = Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : [];
    const key = JSON.stringify(actions);
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(actions);
    this.lists.set(key, list);
    return list;
  }
}

function fromChange(entry: ResourceChange, origin: Origin, configuration: Configuration, actionLists: ActionLists, deferredReason?: string): Resource {
  const moduleAddress = entry.module_address ?? '';
  const { modulePath, block } = configuration.locate(moduleAddress, entry.mode, entry.type, entry.name);
  const { change } = entry;
  const actions = actionLists.of(change.actions);
  const action = summariseActions(actions);
  const before = asObject(change.before);
  const unknownAt = (path: readonly PathStep[]) =>
    new Unknown(
      formatPath(path),
      block ? significantReferences(expressionAt(block.expressions, path)?.references ?? []) : [],
      deferredReason ? `Terraform deferred ${entry.address} to a later plan (${deferredReason})` : undefined,
      entry.address,
    );
  const gone = action === 'delete' || action === 'forget';
  const overlaid = gone ? (before ?? {}) : overlayUnknown(change.after ?? undefined, change.after_unknown ?? undefined, unknownAt);
  const values: ModelObject = isObject(overlaid)
    ? (overlaid as ModelObject)
    : overlaid instanceof Unknown
      ? whollyUnknown((attribute) => unknownAt([attribute]))
      : {};
  if (!gone && block && !(overlaid instanceof Unknown)) fillProviderDefaults(entry.type, values, block.expressions);
  return {
    address: entry.address,
    module: moduleAddress,
    mode: entry.mode,
    type: entry.type,
    name: entry.name,
    ...(entry.index !== undefined ? { index: entry.index } : {}),
    action,
    actions,
    origin,
    ...(entry.deposed ? { deposed: entry.deposed } : {}),
    values,
    before,
    afterSensitive: change.after_sensitive ?? false,
    beforeSensitive: change.before_sensitive ?? false,
    ...(block ? { config: block } : {}),
    modulePath,
    ...(deferredReason ? { deferredReason } : {}),
  };
}

function fillProviderDefaults(type: string, values: ModelObject, expressions: JsonObject): void {
  for (const [attribute, fallback] of Object.entries(PROVIDER_DEFAULTS[type] ?? {})) {
    if (values[attribute] instanceof Unknown && !(attribute in expressions)) values[attribute] = fallback;
  }
}

/**
 * Terraform 0.12 wrote resources of child modules in the values representation with module-relative
 * addresses and without their instance key; later versions write the full instance address.
 */
export function absoluteAddress(entry: ValuesResource): string {
  let address = entry.address;
  if (entry.module_address !== '' && !address.startsWith(`${entry.module_address}.`)) address = `${entry.module_address}.${address}`;
  if (entry.index !== undefined && parseResourceAddress(address)?.key === undefined) address += formatKey(entry.index);
  return address;
}

const READ: readonly string[] = Object.freeze(['read']);
const NO_OP: readonly string[] = Object.freeze(['no-op']);

function fromValues(entry: ValuesResource, origin: Origin, configuration: Configuration, action: Action): Resource {
  const { modulePath, block } = configuration.locate(entry.module_address, entry.mode, entry.type, entry.name);
  const values = asObject(entry.values) ?? {};
  return {
    address: absoluteAddress(entry),
    module: entry.module_address,
    mode: entry.mode,
    type: entry.type,
    name: entry.name,
    ...(entry.index !== undefined ? { index: entry.index } : {}),
    action,
    actions: action === 'read' ? READ : NO_OP,
    origin,
    ...(entry.deposed_key ? { deposed: entry.deposed_key } : {}),
    values,
    before: origin === 'state' ? values : null,
    afterSensitive: entry.sensitive_values ?? false,
    beforeSensitive: origin === 'state' ? (entry.sensitive_values ?? false) : false,
    ...(block ? { config: block } : {}),
    modulePath,
  };
}

function byAddressThenDeposed(a: Resource, b: Resource): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  const da = a.deposed ?? '';
  const db = b.deposed ?? '';
  return da < db ? -1 : da > db ? 1 : 0;
}

/**
 * Every value the plan marks sensitive. Change entries cover the planned values (`planned_values`
 * repeats `after`, unknowns left out) and the prior values of everything they list; `priorState`
 * holds the rest of the prior state.
 */
function sensitiveValuesOf(plan: PlanDocument, root: ConfigModule): Set<string> {
  const out = new Set<string>();
  const changes = (entries: readonly ResourceChange[]) => {
    for (const { change } of entries) {
      collectSensitive(change.after, change.after_sensitive, out);
      // The loader shares one object between the halves of a change that alters nothing.
      if (change.before !== change.after || change.before_sensitive !== change.after_sensitive) {
        collectSensitive(change.before, change.before_sensitive, out);
      }
    }
  };
  changes(plan.resourceChanges);
  changes(plan.resourceDrift);
  changes(plan.deferredChanges.map((deferred) => deferred.resource_change));
  for (const entries of [plan.priorState, plan.stateValues]) {
    for (const entry of entries) collectSensitive(entry.values, entry.sensitive_values, out);
  }
  for (const [name, variable] of root.variables) {
    if (variable.sensitive) collectLeaves(plan.variables[name]?.value, out);
  }
  for (const output of Object.values(plan.outputs)) {
    if (output.sensitive) collectLeaves(output.value, out);
  }
  return out;
}

export function buildModel(plan: PlanDocument): Model {
  const root = indexConfiguration(plan.configuration);
  const configuration = new Configuration(root);
  const actionLists = new ActionLists();
  const resources: Resource[] = [];
  const seen = new Set<string>();
  const add = (resource: Resource) => {
    resources.push(resource);
    if (!resource.deposed) seen.add(resource.address);
  };
  if (plan.kind === 'state') {
    for (const entry of plan.stateValues) add(fromValues(entry, 'state', configuration, 'no-op'));
  } else {
    for (const entry of plan.resourceChanges) add(fromChange(entry, 'change', configuration, actionLists));
    for (const deferred of plan.deferredChanges) {
      const entry = deferred.resource_change;
      if (!seen.has(entry.address)) add(fromChange(entry, 'deferred', configuration, actionLists, deferred.reason));
    }
    // Data sources read while planning live only in prior_state; so do all resources of a plan that
    // lists no changes (refresh-only plans).
    for (const entry of plan.priorState) {
      if (seen.has(absoluteAddress(entry)) || entry.deposed_key) continue;
      add(fromValues(entry, 'prior_state', configuration, entry.mode === 'data' ? 'read' : 'no-op'));
    }
  }
  resources.sort(byAddressThenDeposed);
  const byType = new Map<string, Resource[]>();
  const byAddress = new Map<string, Resource>();
  for (const resource of resources) {
    const list = byType.get(resource.type);
    if (list) list.push(resource);
    else byType.set(resource.type, [resource]);
    if (!resource.deposed) byAddress.set(resource.address, resource);
  }
  const drift = plan.resourceDrift.map((entry) => fromChange(entry, 'drift', configuration, actionLists)).sort(byAddressThenDeposed);
  const variables: Record<string, Json> = {};
  for (const [name, variable] of Object.entries(plan.variables)) variables[name] = variable.value ?? null;
  return {
    file: plan.file,
    kind: plan.kind,
    formatVersion: plan.formatVersion,
    ...(plan.terraformVersion ? { terraformVersion: plan.terraformVersion } : {}),
    ...(plan.errored !== undefined ? { errored: plan.errored } : {}),
    ...(plan.complete !== undefined ? { complete: plan.complete } : {}),
    resources,
    byType,
    byAddress,
    drift,
    configuration: root,
    hasConfiguration: plan.configuration !== undefined,
    variables,
    sensitiveValues: sensitiveValuesOf(plan, root),
  };
}
