// What the load stage hands to the model stage: the parts of a `terraform show -json` document that
// KMS governance needs, verbatim (Terraform's own field names), with resources of other types left
// unparsed. See ../../../shared/notes/plan-format.md for the format itself.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** A resource in the values representation (`planned_values`, `prior_state`, a state's `values`). */
export interface ValuesResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  values?: JsonObject;
  sensitive_values?: Json;
  deposed_key?: string;
  /** The absolute module instance address of the `child_modules` entry it came from; '' for the root module. */
  module_address: string;
}

export interface Change {
  actions: string[];
  before?: Json;
  after?: Json;
  after_unknown?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
  replace_paths?: Json;
  importing?: Json;
}

/** An entry of `resource_changes`, `resource_drift` or `deferred_changes[].resource_change`. */
export interface ResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  index_unknown?: boolean;
  deposed?: string;
  provider_name?: string;
  change: Change;
  action_reason?: string;
}

export interface DeferredChange {
  reason: string;
  resource_change: ResourceChange;
}

export type InventorySection = 'resource_changes' | 'resource_drift' | 'deferred_changes' | 'prior_state' | 'values';

/**
 * Every resource the document lists, relevant or not, in the sections the loader reads (not
 * `planned_values`, which it skips): for counting and cross-checks.
 */
export interface InventoryEntry {
  section: InventorySection;
  address: string;
  type: string;
  mode: string;
  /** `change.actions`, for `resource_changes`, `resource_drift` and `deferred_changes` entries. */
  actions?: readonly string[];
}

export interface PlanDocument {
  /** The file as it was named on the command line. */
  file: string;
  kind: 'plan' | 'state';
  formatVersion: string;
  terraformVersion?: string;
  /** `variables` of a plan: name → `{ value }`. */
  variables: Readonly<Record<string, { value?: Json }>>;
  /**
   * Entries of relevant types only (see `isRelevantType`), in document order. Planned values are
   * read here (`change.after`, `after_unknown`, `after_sensitive`): `planned_values` repeats them
   * and is not loaded.
   */
  resourceChanges: readonly ResourceChange[];
  resourceDrift: readonly ResourceChange[];
  deferredChanges: readonly DeferredChange[];
  /**
   * `prior_state.values` resources of relevant types, flattened, that no change entry repeats: data
   * sources read while planning, and managed resources that neither `resource_changes` nor
   * `deferred_changes` lists as a current object (all of them in a plan without changes). An address
   * is compared where it is absolute: in the root module, or starting with `module.` (Terraform 0.12
   * wrote child modules' addresses relative; those are kept). Deposed objects are left out.
   */
  priorState: readonly ValuesResource[];
  /** A state document's `values` resources of relevant types, flattened. */
  stateValues: readonly ValuesResource[];
  /** Root outputs of `planned_values.outputs` / state `values.outputs` (for sensitivity). */
  outputs: Readonly<Record<string, { sensitive?: boolean; value?: Json }>>;
  /** The whole `configuration` section, when present. */
  configuration?: JsonObject;
  errored?: boolean;
  complete?: boolean;
  applyable?: boolean;
  inventory: readonly InventoryEntry[];
}
