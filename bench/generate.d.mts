// Types of generate.mjs for the tests that load generated plans.

export const GENERATOR_VERSION: number;

export interface Manifest {
  generator: number;
  seed: number;
  units: number;
  bytes: number;
  /** Resource instances of the plan, of any type: every change entry, and the data sources read while planning. */
  resources: number;
  /** Entries of `resource_changes`. */
  changes: number;
  types: Record<string, number>;
  kmsEndpoints: number;
  rotationOff: string[];
  destroyedKeys: string[];
}

export function unitsFor(targetBytes: number, seed: number): number;
export function generatePlan(options: { path: string; seed: number; units: number }): Manifest;
