import type { Action, ModelObject, Resource, Unknown } from '../model';

/** Pseudo resource type for findings about the plan as a whole (reported at the plan file). */
export const PLAN_TYPE = 'terraform_plan';

/**
 * What a policy's `$` selects: one resource with its planned values, what it relates to, and the facts
 * the analysis computed for it. Plain data (with `Unknown` leaves), so JSONPath can walk it.
 */
export interface ResourceView {
  address: string;
  type: string;
  name: string;
  module: string;
  mode: 'managed' | 'data' | 'plan';
  index: string | number | null;
  action: Action;
  /** `change.actions`, or unknown for a resource Terraform deferred. */
  actions: readonly string[] | Unknown;
  deposed: string | null;
  file: string;
  values: ModelObject;
  before: ModelObject | null;
  /** Arguments written in the configuration (a null constant counts as not written). */
  configured: Readonly<Record<string, boolean>>;
  /** Edge name → addresses of related resources in the same plan. */
  relations: Readonly<Record<string, readonly string[]>>;
  facts: Readonly<Record<string, unknown>>;
}

/** A resource as policies evaluate it. */
export interface Subject {
  address: string;
  type: string;
  action: Action;
  file: string;
  view: ResourceView;
  /** Is the value at this path of the view marked sensitive in the plan? */
  isSensitive(path: readonly (string | number)[]): boolean;
  resource?: Resource;
}
