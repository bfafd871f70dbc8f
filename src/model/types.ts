import type { Json, JsonObject } from '../plan/types';
import type { ConfigBlock, ConfigModule } from './config';
import type { ModelObject } from './value';

/** What the plan does to a resource instance, summarised from `change.actions`. */
export const ACTIONS = ['create', 'update', 'delete', 'replace', 'read', 'no-op', 'forget'] as const;
export type Action = (typeof ACTIONS)[number];

/** Where the instance came from: a planned change, a data source read at plan time, a state document. */
export type Origin = 'change' | 'prior_state' | 'state' | 'deferred' | 'drift';

export interface Resource {
  /** Full instance address, verbatim from the plan. */
  address: string;
  /** Module instance address, '' for the root module. */
  module: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  action: Action;
  /** `change.actions` verbatim (replace order, forget, read…). */
  actions: readonly string[];
  origin: Origin;
  /** Set for a deposed object (an older instance kept by create_before_destroy). */
  deposed?: string;
  /** Planned values: known values, `Unknown` where known only after apply, null where unset. */
  values: ModelObject;
  /** Values before the change; null for creates and data reads. */
  before: JsonObject | null;
  afterSensitive: Json;
  beforeSensitive: Json;
  /** The `configuration` block that declares it, when the plan has one. */
  config?: ConfigBlock;
  /** Call path of its module in the configuration tree. */
  modulePath: readonly string[];
  /** The `deferred_changes` reason when Terraform deferred it (`complete: false`). */
  deferredReason?: string;
}

export interface Model {
  file: string;
  kind: 'plan' | 'state';
  formatVersion: string;
  terraformVersion?: string;
  errored?: boolean;
  complete?: boolean;
  /** Managed resources and data sources of relevant types, sorted by address. */
  resources: readonly Resource[];
  byType: ReadonlyMap<string, readonly Resource[]>;
  /** Current objects by address (deposed objects are only in `resources`). */
  byAddress: ReadonlyMap<string, Resource>;
  /** Changes made outside Terraform (`resource_drift`): never planned actions. */
  drift: readonly Resource[];
  configuration: ConfigModule;
  hasConfiguration: boolean;
  /** Root variable values by name. */
  variables: Readonly<Record<string, Json>>;
  /** Every value the plan marks sensitive, as text: reports must never contain one. */
  sensitiveValues: ReadonlySet<string>;
}
