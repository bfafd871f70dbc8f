// An independent, obvious implementation of the load stage for differential tests: decode the
// whole file, JSON.parse it, walk the result. It shares nothing with src/plan but isRelevantType.

import { isRelevantType } from '../../src/plan/relevant';
import type { InventoryEntry, InventorySection, Json, JsonObject } from '../../src/plan/types';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodeText(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return new TextDecoder('utf-8').decode(bytes);
}

export interface Reference {
  kind: 'plan' | 'state';
  formatVersion: string;
  terraformVersion?: string;
  variables: Json;
  outputs: Json;
  configuration?: Json;
  errored?: boolean;
  complete?: boolean;
  applyable?: boolean;
  resourceChanges: Obj[];
  resourceDrift: Obj[];
  deferredChanges: Obj[];
  priorState: Obj[];
  stateValues: Obj[];
  inventory: InventoryEntry[];
  moduleAddresses: string[];
}

function flatten(module: unknown, address: string, out: Obj[], modules: string[]): void {
  if (!isObj(module)) return;
  modules.push(address);
  for (const resource of (module.resources as Obj[] | undefined) ?? []) out.push({ ...resource, module_address: address });
  for (const child of (module.child_modules as Obj[] | undefined) ?? []) flatten(child, child.address as string, out, modules);
}

function changeEntry(section: InventorySection, rc: Obj): InventoryEntry {
  const change = rc.change as Obj;
  return { section, address: rc.address as string, type: rc.type as string, mode: rc.mode as string, actions: change.actions as string[] };
}

function valuesEntry(section: InventorySection, resource: Obj): InventoryEntry {
  return { section, address: resource.address as string, type: resource.type as string, mode: resource.mode as string };
}

/**
 * What the model reads of prior_state: data sources, and managed resources that no change entry
 * lists as a current object, compared by address where the address is absolute (root module, or
 * `module.…`); deposed objects never.
 */
function unlisted(prior: Obj[], changes: Obj[]): Obj[] {
  const listed = new Set(changes.filter((rc) => !rc.deposed).map((rc) => rc.address as string));
  return prior.filter((resource) => {
    if (resource.mode === 'data') return true;
    if (resource.deposed_key) return false;
    const absolute = resource.module_address === '' || (resource.address as string).startsWith('module.');
    return !(absolute && listed.has(resource.address as string));
  });
}

export function referenceRead(bytes: Uint8Array): Reference {
  const doc = JSON.parse(decodeText(bytes)) as Obj;
  const isPlan = ['planned_values', 'resource_changes', 'configuration', 'prior_state', 'resource_drift', 'deferred_changes'].some((key) => key in doc);
  const relevant = (rc: Obj): boolean => isRelevantType(rc.type as string);
  const changes = (doc.resource_changes as Obj[] | null | undefined) ?? [];
  const drift = (doc.resource_drift as Obj[] | null | undefined) ?? [];
  const deferred = (doc.deferred_changes as Obj[] | null | undefined) ?? [];
  const modules: string[] = [];
  const prior: Obj[] = [];
  const state: Obj[] = [];
  const plannedValues = doc.planned_values as Obj | null | undefined;
  const values = doc.values as Obj | null | undefined;
  if (isPlan) flatten(((doc.prior_state as Obj | null | undefined)?.values as Obj | null | undefined)?.root_module, '', prior, modules);
  else flatten(values?.root_module, '', state, modules);
  const inventory: InventoryEntry[] = isPlan
    ? [
        ...changes.map((rc) => changeEntry('resource_changes', rc)),
        ...drift.map((rc) => changeEntry('resource_drift', rc)),
        ...deferred.map((d) => changeEntry('deferred_changes', d.resource_change as Obj)),
        ...prior.map((r) => valuesEntry('prior_state', r)),
      ]
    : state.map((r) => valuesEntry('values', r));
  const reference: Reference = {
    kind: isPlan ? 'plan' : 'state',
    formatVersion: doc.format_version as string,
    variables: (doc.variables as Json | undefined) ?? {},
    outputs: ((isPlan ? plannedValues : values)?.outputs as Json | undefined) ?? {},
    resourceChanges: isPlan ? changes.filter(relevant) : [],
    resourceDrift: isPlan ? drift.filter(relevant) : [],
    deferredChanges: isPlan ? deferred.filter((d) => relevant(d.resource_change as Obj)) : [],
    priorState: unlisted(prior.filter(relevant), [...changes, ...deferred.map((d) => d.resource_change as Obj)]),
    stateValues: state.filter(relevant),
    inventory,
    moduleAddresses: [...new Set(modules)].sort(),
  };
  if (typeof doc.terraform_version === 'string') reference.terraformVersion = doc.terraform_version;
  if (isObj(doc.configuration)) reference.configuration = doc.configuration as JsonObject;
  for (const flag of ['errored', 'complete', 'applyable'] as const) if (typeof doc[flag] === 'boolean') reference[flag] = doc[flag];
  return reference;
}

/** Key-order and formatting variants of a document, written by hand so keys can be escaped. */
export interface Style {
  indent: string;
  newline: string;
  order: 'as-is' | 'sorted' | 'reversed';
  /** Write the first character of every key as a \u escape. */
  escapeKeys: boolean;
  /** Write every non-ASCII character as \u escapes. */
  asciiOnly: boolean;
}

function quote(text: string, style: Style, key: boolean): string {
  let out = JSON.stringify(text);
  if (style.asciiOnly) out = out.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (key && style.escapeKeys && text.length > 0) {
    const first = text.charCodeAt(0);
    if (first !== 0x22 && first !== 0x5c && first >= 0x20) out = `"\\u${first.toString(16).padStart(4, '0')}${out.slice(2)}`;
  }
  return out;
}

export function write(value: unknown, style: Style, depth = 0): string {
  const pad = style.indent === '' ? '' : style.newline + style.indent.repeat(depth + 1);
  const end = style.indent === '' ? '' : style.newline + style.indent.repeat(depth);
  const colon = style.indent === '' ? ':' : ': ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((item) => pad + write(item, style, depth + 1)).join(',')}${end}]`;
  }
  if (isObj(value)) {
    let keys = Object.keys(value);
    if (style.order === 'sorted') keys = [...keys].sort();
    if (style.order === 'reversed') keys = [...keys].reverse();
    if (keys.length === 0) return '{}';
    return `{${keys.map((key) => pad + quote(key, style, true) + colon + write(value[key], style, depth + 1)).join(',')}${end}}`;
  }
  if (typeof value === 'string') return quote(value, style, false);
  return JSON.stringify(value);
}
