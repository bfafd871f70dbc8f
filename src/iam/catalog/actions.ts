// The KMS action catalogue: generated SAR data plus the hand-kept traits, and wildcard expansion.
// Action names are case-insensitive ("kms:decrypt" is kms:Decrypt).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
import generated from './kms-actions.generated.json';
import { ACTIONS_MISSING_FROM_IAM_DATA, KMS_ACTION_TRAITS, type ActionClass, type ActionTraits } from './classes';
import { globMatch, hasWildcard } from '../match/glob';

export interface KmsAction extends ActionTraits {
  name: string;
  accessLevels: readonly string[];
  resourceTypes: readonly string[];
  conditionKeys: readonly string[];
}

function buildCatalogue(): readonly KmsAction[] {
  const byName = new Map<string, KmsAction>();
  for (const a of generated.actions) {
    const traits = KMS_ACTION_TRAITS[a.name];
    if (!traits) continue;
    byName.set(a.name, { name: a.name, accessLevels: a.accessLevels, resourceTypes: a.resourceTypes, conditionKeys: a.conditionKeys, ...traits });
  }
  for (const name of ACTIONS_MISSING_FROM_IAM_DATA) {
    const traits = KMS_ACTION_TRAITS[name];
    if (traits && !byName.has(name)) byName.set(name, { name, accessLevels: ['Write'], resourceTypes: ['key'], conditionKeys: [], ...traits });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export const KMS_ACTIONS: readonly KmsAction[] = buildCatalogue();
export const KMS_ACTION_NAMES: readonly string[] = KMS_ACTIONS.map((a) => a.name);
const byLower = new Map(KMS_ACTIONS.map((a) => [a.name.toLowerCase(), a]));
const byName = new Map(KMS_ACTIONS.map((a) => [a.name, a]));

/** Actions authorised against a KMS key (those a key policy can allow). */
export const KEY_ACTION_NAMES: readonly string[] = KMS_ACTIONS.filter((a) => !a.iamOnly && !a.internal).map((a) => a.name);

export function kmsAction(name: string): KmsAction | undefined {
  return byName.get(name) ?? byLower.get(name.toLowerCase());
}

export function actionClass(name: string): ActionClass | undefined {
  return kmsAction(name)?.class;
}

export interface PatternExpansion {
  /** Catalogue KMS actions the pattern covers, canonical names, sorted. */
  kms: readonly string[];
  /** The pattern can cover actions of other services too (`*`, `s3:*`, `*:Get*`). */
  otherServices: boolean;
  /** A `kms:` pattern that covers no known KMS action: a typo, or an action newer than the catalogue. */
  unknownKms: boolean;
}

const expansionCache = new Map<string, PatternExpansion>();

export function expandActionPattern(pattern: string): PatternExpansion {
  const hit = expansionCache.get(pattern);
  if (hit) return hit;
  const colon = pattern.indexOf(':');
  const service = colon >= 0 ? pattern.slice(0, colon) : pattern;
  const coversKmsPrefix = globMatch(service, 'kms', true);
  const kms = coversKmsPrefix ? KMS_ACTION_NAMES.filter((n) => globMatch(pattern, n, true)) : [];
  const isKmsLiteral = service.toLowerCase() === 'kms';
  const otherServices = !isKmsLiteral && (hasWildcard(service) || colon < 0 || service.toLowerCase() !== 'kms');
  const result: PatternExpansion = { kms, otherServices, unknownKms: isKmsLiteral && kms.length === 0 };
  expansionCache.set(pattern, result);
  return result;
}

export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}
