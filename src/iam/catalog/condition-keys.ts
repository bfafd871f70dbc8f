// Condition-key catalogue: global keys and kms: keys with their types. Key names are case-insensitive,
// including the part after a prefix (kms:EncryptionContext:Department, aws:PrincipalTag/team).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
import generated from './condition-keys.generated.json';

export type ConditionKeyType = 'String' | 'ARN' | 'Bool' | 'Date' | 'Numeric' | 'IPAddress' | 'Binary' | 'ArrayOfString' | 'ArrayOfARN' | string;

export interface ConditionKeyInfo {
  /** The catalogue spelling (a prefix for keys with a variable part). */
  key: string;
  type: ConditionKeyType;
  multiValued: boolean;
  scope: 'global' | 'kms' | string;
}

const exact = new Map<string, ConditionKeyInfo>();
const prefixes: ConditionKeyInfo[] = [];
for (const k of generated.keys) {
  const info: ConditionKeyInfo = { key: k.key, type: k.type, multiValued: k.multiValued, scope: k.scope };
  if (k.match === 'prefix') prefixes.push(info);
  else exact.set(k.key.toLowerCase(), info);
}
prefixes.sort((a, b) => b.key.length - a.key.length);

const prefixesLower = prefixes.map((p) => [p.key.toLowerCase(), p] as const);
/** Keys as written → entry (null: unknown). Policies repeat a few dozen keys. */
const byKey = new Map<string, ConditionKeyInfo | null>();

/** Catalogue entry for a key, or undefined when the catalogue does not know it. */
export function conditionKeyInfo(key: string): ConditionKeyInfo | undefined {
  let info = byKey.get(key);
  if (info === undefined) {
    info = lookup(key);
    if (byKey.size >= 10_000) byKey.clear();
    byKey.set(key, info);
  }
  return info ?? undefined;
}

function lookup(key: string): ConditionKeyInfo | null {
  const lower = key.toLowerCase();
  const hit = exact.get(lower);
  if (hit) return hit;
  for (const [pl, p] of prefixesLower) {
    if (lower.startsWith(pl) && lower.length > pl.length) return p;
  }
  return null;
}

/** Service prefixes whose keys the catalogue covers, so that an unknown key there is worth a warning. */
export function isCataloguedPrefix(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith('aws:') || lower.startsWith('kms:');
}

export function isMultiValuedKey(key: string): boolean {
  return conditionKeyInfo(key)?.multiValued ?? false;
}
