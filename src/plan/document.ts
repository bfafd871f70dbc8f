// From what the scan found to a PlanDocument: recognise the kind of document (plan, state, or one of
// the look-alikes people pass by mistake), check `format_version`, and type the small sections.

import type { DeferredChange, InventoryEntry, Json, JsonObject, PlanDocument, ResourceChange, ValuesResource } from './types';
import type { Extracted, Listed, ValuesResult } from './extracted';
import { KEY, type KeyName } from './keys';
import { LOOKS_LIKE, PLAN_COMMAND, formatVersionError, jsonKindLooksLike, notPlanError, shapeError } from './messages';

/** Sections only a plan has; any of them makes the document a plan (plan-format.md §1, plus the other resource lists). */
const PLAN_KEYS: readonly KeyName[] = ['planned_values', 'resource_changes', 'configuration', 'prior_state', 'resource_drift', 'deferred_changes'];
const RAW_STATE_KEYS: readonly KeyName[] = ['serial', 'lineage', 'resources', 'modules'];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries<T>(list: Listed<T> | null | undefined): T[] {
  return list?.entries ?? [];
}

function inventory(list: Listed<unknown> | null | undefined): InventoryEntry[] {
  return list?.inventory ?? [];
}

class Fields {
  constructor(
    private readonly file: string,
    private readonly found: Extracted,
  ) {}

  has(name: KeyName): boolean {
    return this.found.keys.has(KEY[name]);
  }

  get(name: KeyName): Json | undefined {
    return this.found.fields.get(KEY[name]);
  }

  string(name: KeyName): string | undefined {
    const value = this.get(name);
    if (value === undefined || typeof value === 'string') return value;
    throw shapeError(this.file, name, 'expected a string');
  }

  boolean(name: KeyName): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || typeof value === 'boolean') return value;
    throw shapeError(this.file, name, 'expected true or false');
  }

  /** An object whose members are objects (`variables`, `outputs`); null counts as empty. */
  members<T>(value: Json | undefined, place: string): Record<string, T> {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) throw shapeError(this.file, place, 'expected an object');
    for (const [name, member] of Object.entries(value)) {
      if (!isObject(member)) throw shapeError(this.file, `${place}.${name}`, 'expected an object');
    }
    return value as Record<string, T>;
  }
}

function checkFormatVersion(file: string, version: string): void {
  const match = /^(\d+)(?:\.\d+)*$/.exec(version);
  if (match === null) throw formatVersionError(file, `"${version}" is not a version number; produce the file with ${PLAN_COMMAND}`);
  if (Number(match[1]) >= 2) {
    throw formatVersionError(
      file,
      `format ${version} is a newer, incompatible JSON format (kmsgate reads 0.x and 1.x); update kmsgate, or produce the file with a Terraform or OpenTofu version that writes format 1.x`,
    );
  }
}

/** Rejects what is not a plan or a state document; otherwise tells which of the two it is. */
function kindOf(file: string, found: Extracted, fields: Fields): 'plan' | 'state' {
  if (found.topLevel !== 'object') throw notPlanError(file, jsonKindLooksLike(found.topLevel ?? 'null'));
  if (fields.has('plan_format_version') || fields.has('provider_format_version')) throw notPlanError(file, LOOKS_LIKE.hcpRedacted);
  const plan = PLAN_KEYS.some((name) => fields.has(name));
  const state = fields.has('values');
  if (!fields.has('format_version')) {
    if (fields.has('version') && RAW_STATE_KEYS.some((name) => fields.has(name))) throw notPlanError(file, LOOKS_LIKE.rawState);
    if (plan || state) {
      throw formatVersionError(file, `missing: every \`terraform show -json\` output has it (was the file edited or written by another tool?); produce it with ${PLAN_COMMAND}`);
    }
    throw notPlanError(file, LOOKS_LIKE.otherObject);
  }
  const version = fields.get('format_version');
  if (typeof version !== 'string') throw formatVersionError(file, `expected a string such as "1.2"; produce the file with ${PLAN_COMMAND}`);
  checkFormatVersion(file, version);
  if (plan && state) throw shapeError(file, 'values', "a plan's sections next to a state's top-level `values`");
  return plan ? 'plan' : 'state';
}

/** The `prior_state` resources the model reads (see `PlanDocument.priorState`). */
function unlisted(prior: readonly ValuesResource[], changes: readonly ResourceChange[], deferred: readonly DeferredChange[]): ValuesResource[] {
  const listed = new Set<string>();
  for (const change of changes) if (!change.deposed) listed.add(change.address);
  for (const { resource_change: change } of deferred) if (!change.deposed) listed.add(change.address);
  return prior.filter((entry) => {
    if (entry.mode === 'data') return true;
    if (entry.deposed_key) return false;
    const absolute = entry.module_address === '' || entry.address.startsWith('module.');
    return !(absolute && listed.has(entry.address));
  });
}

function outputsOf(values: ValuesResult | null | undefined): Json | undefined {
  return values?.outputs ?? undefined;
}

export function assembleDocument(file: string, found: Extracted): PlanDocument {
  const fields = new Fields(file, found);
  const kind = kindOf(file, found, fields);
  const formatVersion = fields.string('format_version') ?? '';
  const terraformVersion = fields.string('terraform_version');
  const configuration = fields.get('configuration');
  if (configuration !== undefined && configuration !== null && !isObject(configuration)) throw shapeError(file, 'configuration', 'expected an object');
  const plan = kind === 'plan';
  const resourceChanges = plan ? entries(found.resourceChanges) : [];
  const deferredChanges = plan ? entries(found.deferredChanges) : [];
  const document: PlanDocument = {
    file,
    kind,
    formatVersion,
    variables: fields.members(fields.get('variables'), 'variables'),
    resourceChanges,
    resourceDrift: plan ? entries(found.resourceDrift) : [],
    deferredChanges,
    priorState: plan ? unlisted(entries(found.priorState?.root), resourceChanges, deferredChanges) : [],
    stateValues: plan ? [] : entries(found.values?.root),
    outputs: fields.members(outputsOf(plan ? found.plannedValues : found.values), plan ? 'planned_values.outputs' : 'values.outputs'),
    inventory: plan
      ? [
          ...inventory(found.resourceChanges),
          ...inventory(found.resourceDrift),
          ...inventory(found.deferredChanges),
          ...inventory(found.priorState?.root),
        ]
      : inventory(found.values?.root),
  };
  if (terraformVersion !== undefined) document.terraformVersion = terraformVersion;
  if (isObject(configuration)) document.configuration = configuration;
  const errored = fields.boolean('errored');
  const complete = fields.boolean('complete');
  const applyable = fields.boolean('applyable');
  if (errored !== undefined) document.errored = errored;
  if (complete !== undefined) document.complete = complete;
  if (applyable !== undefined) document.applyable = applyable;
  return document;
}
