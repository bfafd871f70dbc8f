// Small files are faster with V8's native JSON.parse than with the scanner, whose loop must first be
// compiled (performance.md §3.3). This walk gives the same Extracted the scan would give, from the
// parsed document; on anything unusual (a wrong type, a missing key, deep nesting) it gives up and
// the caller scans the bytes instead, so every error still comes from one place, in document order.

import type { InventoryEntry, InventorySection, Json, JsonObject, ResourceChange, DeferredChange, ValuesResource } from './types';
import type { Extracted, Listed, ValuesResult } from './extracted';
import { isRelevantType } from './relevant';
import { KEY, keyIdOfName } from './keys';
import { Interned } from './interned';
import { MAX_DEPTH } from './scanner';
import { asDeferredChange, asResourceChange, asValuesResource } from './validate';

/** Thrown to give up on the walk; never escapes this module. */
class GiveUp extends Error {}

const ROOT_FIELDS = new Set([KEY.format_version, KEY.terraform_version, KEY.variables, KEY.configuration, KEY.errored, KEY.complete, KEY.applyable]);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: Json | undefined): JsonObject {
  if (!isObject(value)) throw new GiveUp();
  return value;
}

function array(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new GiveUp();
  return value;
}

/** A string the scan would have required, or absent. */
function optionalString(value: Json | undefined): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new GiveUp();
  return value;
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new GiveUp();
  return value;
}

/** How many `:` the text holds. */
export function colonsIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at + 1)) count += 1;
  return count;
}

/**
 * Whether no container nests deeper than the scanner allows, and no key was written twice. JSON.parse
 * keeps the last of duplicate keys, but the scan reads and checks the earlier values too (their
 * types, their depth), so only the scan can judge a document that has them. They show in the colons:
 * the text (`textColons`, with no colon written as an escape) has one per member plus those inside
 * keys and strings, and a dropped member takes at least its own colon with it.
 */
function plain(root: Json, textColons: number): boolean {
  const values: Json[] = [root];
  const depths: number[] = [1];
  let colons = 0;
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_DEPTH) return false;
    if (Array.isArray(value)) {
      for (const member of value) {
        if (typeof member === 'string') colons += colonsIn(member);
        else if (typeof member === 'object' && member !== null) {
          values.push(member);
          depths.push(depth + 1);
        }
      }
    } else {
      const object = value as JsonObject;
      for (const key in object) {
        colons += 1 + colonsIn(key);
        const member = object[key]!;
        if (typeof member === 'string') colons += colonsIn(member);
        else if (typeof member === 'object' && member !== null) {
          values.push(member);
          depths.push(depth + 1);
        }
      }
    }
  }
  return colons === textColons;
}

function kindOf(value: Json): Extracted['topLevel'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : (typeof value as 'string' | 'number' | 'boolean');
}

class Walk {
  private readonly interned = new Interned();

  constructor(private readonly file: string) {}

  private entry(element: JsonObject, section: InventorySection, change: boolean): InventoryEntry {
    const address = required(optionalString(element.address));
    const type = this.interned.string(required(optionalString(element.type)));
    const mode = this.interned.string(required(optionalString(element.mode)));
    if (!change) return { section, address, type, mode };
    const actions = array(object(required(element.change)).actions).map((action) => required(optionalString(action)));
    return { section, address, type, mode, actions: this.interned.list(actions) };
  }

  private valid<T>(check: () => T): T {
    try {
      return check();
    } catch {
      throw new GiveUp();
    }
  }

  changes(value: Json, section: 'resource_changes' | 'resource_drift'): Listed<ResourceChange> | null {
    if (value === null) return null;
    const list: Listed<ResourceChange> = { entries: [], inventory: [] };
    for (const item of array(value)) {
      const entry = this.entry(object(item), section, true);
      list.inventory.push(entry);
      if (isRelevantType(entry.type)) list.entries.push(this.valid(() => asResourceChange(this.file, () => '', item)));
    }
    return list;
  }

  deferred(value: Json): Listed<DeferredChange> | null {
    if (value === null) return null;
    const list: Listed<DeferredChange> = { entries: [], inventory: [] };
    for (const item of array(value)) {
      const entry = this.entry(object(required(object(item).resource_change)), 'deferred_changes', true);
      list.inventory.push(entry);
      if (isRelevantType(entry.type)) list.entries.push(this.valid(() => asDeferredChange(this.file, () => '', item)));
    }
    return list;
  }

  values(value: Json, section: 'planned_values' | 'prior_state' | 'values'): ValuesResult | null {
    if (value === null) return null;
    const values = object(value);
    const result: ValuesResult = {};
    // The scan skips `planned_values.root_module` (the model reads planned values from resource_changes).
    if (section !== 'planned_values' && values.root_module !== undefined) result.root = values.root_module === null ? null : this.module(values.root_module, section, '');
    if (section !== 'prior_state' && values.outputs !== undefined) {
      if (values.outputs !== null) object(values.outputs);
      result.outputs = values.outputs;
    }
    return result;
  }

  private module(value: Json, section: InventorySection, address: string): Listed<ValuesResource> {
    const module = object(value);
    const flattened: Listed<ValuesResource> = { entries: [], inventory: [] };
    if (module.resources !== undefined && module.resources !== null) {
      for (const item of array(module.resources)) {
        const entry = this.entry(object(item), section, false);
        flattened.inventory.push(entry);
        if (isRelevantType(entry.type)) {
          const resource = this.valid(() => asValuesResource(this.file, () => '', item));
          resource.module_address = address;
          flattened.entries.push(resource);
        }
      }
    }
    if (module.child_modules !== undefined && module.child_modules !== null) {
      for (const item of array(module.child_modules)) {
        const child = this.module(item, section, required(optionalString(object(item).address)));
        for (const resource of child.entries) flattened.entries.push(resource);
        for (const entry of child.inventory) flattened.inventory.push(entry);
      }
    }
    return flattened;
  }
}

/**
 * What the scan would find in `document` (the JSON.parse of the file, whose text holds `textColons`
 * colons), or undefined to scan it instead.
 */
export function extractParsed(file: string, document: Json, textColons: number): Extracted | undefined {
  const found: Extracted = { keys: new Set(), fields: new Map() };
  const kind = kindOf(document);
  if (kind !== undefined) found.topLevel = kind;
  if (!isObject(document)) return found;
  if (!plain(document, textColons)) return undefined;
  const walk = new Walk(file);
  try {
    for (const [name, value] of Object.entries(document)) {
      const key = keyIdOfName(name);
      if (key < 0) continue;
      found.keys.add(key);
      if (ROOT_FIELDS.has(key)) found.fields.set(key, value);
      else if (key === KEY.resource_changes) found.resourceChanges = walk.changes(value, 'resource_changes');
      else if (key === KEY.resource_drift) found.resourceDrift = walk.changes(value, 'resource_drift');
      else if (key === KEY.deferred_changes) found.deferredChanges = walk.deferred(value);
      else if (key === KEY.planned_values) found.plannedValues = walk.values(value, 'planned_values');
      else if (key === KEY.values) found.values = walk.values(value, 'values');
      else if (key === KEY.prior_state) {
        const prior = value === null ? null : object(value).values;
        found.priorState = prior === undefined || prior === null ? null : walk.values(prior, 'prior_state');
      }
    }
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  return found;
}
