// What the scan of a document found, before it is checked and typed as a PlanDocument.

import type { DeferredChange, InventoryEntry, Json, ResourceChange, ValuesResource } from './types';
import type { KeyId } from './keys';

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface Listed<T> {
  entries: T[];
  inventory: InventoryEntry[];
}

/** A `values` representation: its root module's resources flattened (pre-order) and its outputs. */
export interface ValuesResult {
  root?: Listed<ValuesResource> | null;
  outputs?: Json;
}

/** What the scan found. `undefined`: the key was absent; `null`: present with a null value. */
export interface Extracted {
  topLevel?: JsonKind;
  /** Top-level keys among KEY_NAMES that were present. */
  keys: Set<KeyId>;
  /** Top-level scalars and small sections, parsed: format_version, variables, configuration, … */
  fields: Map<KeyId, Json>;
  resourceChanges?: Listed<ResourceChange> | null;
  resourceDrift?: Listed<ResourceChange> | null;
  deferredChanges?: Listed<DeferredChange> | null;
  plannedValues?: ValuesResult | null;
  priorState?: ValuesResult | null;
  values?: ValuesResult | null;
}
