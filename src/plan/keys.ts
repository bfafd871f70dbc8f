// The object keys the loader recognises, matched on raw bytes so that no string is built for the
// thousands of keys a large plan repeats. Keys written with escapes (`"typ\u0065"`) are decoded first.

import { Buffer } from 'node:buffer';

export const KEY_NAMES = [
  'format_version',
  'terraform_version',
  'variables',
  'planned_values',
  'resource_changes',
  'resource_drift',
  'deferred_changes',
  'prior_state',
  'configuration',
  'errored',
  'complete',
  'applyable',
  'values',
  'version',
  'serial',
  'lineage',
  'resources',
  'modules',
  'plan_format_version',
  'provider_format_version',
  'provider_schemas',
  'type',
  'address',
  'mode',
  'change',
  'actions',
  'resource_change',
  'root_module',
  'outputs',
  'child_modules',
  'before',
  'after',
  'before_sensitive',
  'after_sensitive',
] as const;

export type KeyName = (typeof KEY_NAMES)[number];
/** Index into KEY_NAMES, or -1 for a key the loader does not look at. */
export type KeyId = number;

export const KEY = Object.fromEntries(KEY_NAMES.map((name, id) => [name, id])) as Record<KeyName, KeyId>;

const BY_ID = KEY_NAMES.map((name) => Buffer.from(name, 'latin1'));
const BY_LENGTH: KeyId[][] = [];
BY_ID.forEach((bytes, id) => (BY_LENGTH[bytes.length] ??= []).push(id));
const BY_NAME = new Map<string, KeyId>(KEY_NAMES.map((name, id) => [name, id]));

/** The id of the key token `buf[start..end)` (quotes included). */
export function keyId(buf: Buffer, start: number, end: number, escaped: boolean): KeyId {
  if (escaped) return BY_NAME.get(JSON.parse(buf.toString('utf8', start, end)) as string) ?? -1;
  const from = start + 1;
  const length = end - 1 - from;
  const candidates = BY_LENGTH[length];
  if (candidates === undefined) return -1;
  next: for (const id of candidates) {
    const name = BY_ID[id]!;
    for (let j = 0; j < length; j++) if (buf[from + j] !== name[j]) continue next;
    return id;
  }
  return -1;
}

export function keyIdOfName(name: string): KeyId {
  return BY_NAME.get(name) ?? -1;
}

export function keyName(id: KeyId): string {
  return KEY_NAMES[id] ?? '?';
}
