// Facts about KMS keys that need no policy reasoning: spec, usage, origin, enablement, and where the
// key's policy comes from.

import { isUnknown, Unknown, type ModelValue, type Resource } from '../model';
import { edge, isConfigured, related, undecidedKeyPolicies, unknownFrom, valueOr, type FactContext } from './context';

export interface PolicySource {
  kind: 'inline' | 'aws_kms_key_policy';
  address: string;
}

/** The argument that holds whether the key is enabled differs between key types. */
const ENABLED_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_kms_key: 'is_enabled',
  aws_kms_external_key: 'enabled',
  aws_kms_replica_key: 'enabled',
  aws_kms_replica_external_key: 'enabled',
};

export function keyFacts(resource: Resource, ctx: FactContext): Record<string, unknown> {
  // A replica has its primary's spec and usage; Terraform knows them only after apply.
  const primary = resource.type === 'aws_kms_replica_key' ? related(ctx, resource, 'primaryKey')[0] : undefined;
  const spec = fromPrimary(keySpec(resource), primary && keySpec(primary));
  const usage = fromPrimary(valueOr(resource, 'key_usage', 'ENCRYPT_DECRYPT'), primary && valueOr(primary, 'key_usage', 'ENCRYPT_DECRYPT'));
  const enabledAttribute = ENABLED_ATTRIBUTE[resource.type] ?? 'is_enabled';
  const enabledBefore = resource.before?.[enabledAttribute];
  return {
    keySpec: spec,
    keyUsage: usage,
    keySpecUsage: specUsage(spec, usage),
    origin: origin(resource),
    enabled: valueOr(resource, enabledAttribute, true),
    enabledBefore: resource.before === null ? null : (enabledBefore ?? true),
    multiRegion: resource.type.startsWith('aws_kms_replica') ? true : valueOr(resource, 'multi_region', false),
    policySources: policySources(resource, ctx),
  };
}

/**
 * `SPEC/USAGE` when both are strings. A wrong-typed value is passed on as it is, so that policies
 * judge it as the wrong type it is (and an object with its own `toString` is never converted).
 */
function specUsage(spec: ModelValue, usage: ModelValue): ModelValue {
  if (isUnknown(spec) || typeof spec !== 'string') return spec;
  if (isUnknown(usage) || typeof usage !== 'string') return usage;
  return `${spec}/${usage}`;
}

function fromPrimary(own: ModelValue, primary: ModelValue | undefined): ModelValue {
  return isUnknown(own) && primary !== undefined ? primary : own;
}

function keySpec(resource: Resource): ModelValue {
  switch (resource.type) {
    case 'aws_kms_key':
      return valueOr(resource, 'customer_master_key_spec', 'SYMMETRIC_DEFAULT');
    case 'aws_kms_replica_key':
      return valueOr(resource, 'key_spec', 'SYMMETRIC_DEFAULT');
    default:
      // Imported key material in Terraform's external-key resources is always a symmetric key.
      return 'SYMMETRIC_DEFAULT';
  }
}

/** KMS's `Origin`: where the key material lives. https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-origin */
function origin(resource: Resource): ModelValue {
  if (resource.type === 'aws_kms_external_key' || resource.type === 'aws_kms_replica_external_key') return 'EXTERNAL';
  if (resource.type !== 'aws_kms_key') return 'AWS_KMS';
  const xks = resource.values['xks_key_id'];
  const store = resource.values['custom_key_store_id'];
  if (isUnknown(xks)) return xks;
  if (typeof xks === 'string' && xks !== '') return 'EXTERNAL_KEY_STORE';
  if (isUnknown(store)) return store;
  if (typeof store === 'string' && store !== '') return 'AWS_CLOUDHSM';
  return 'AWS_KMS';
}

/**
 * Where the key policy comes from: the key's own `policy` argument and `aws_kms_key_policy`
 * resources. A key with neither gets the default key policy, which delegates to the whole account.
 */
function policySources(resource: Resource, ctx: FactContext): (PolicySource | Unknown)[] | Unknown {
  const attached = edge(ctx, resource, 'keyPolicies').targets;
  const inline = hasInlinePolicy(resource, attached.length > 0);
  if (isUnknown(inline)) return inline;
  const sources: (PolicySource | Unknown)[] = [];
  if (inline) sources.push({ kind: 'inline', address: resource.address });
  for (const address of attached) sources.push({ kind: 'aws_kms_key_policy', address });
  // An aws_kms_key_policy whose key cannot be identified yet may be one more source of this key's policy.
  for (const policy of undecidedKeyPolicies(resource, ctx)) {
    sources.push(new Unknown('key_id', edge(ctx, policy, 'key').waitsOn, undefined, policy.address));
  }
  return sources;
}

function hasInlinePolicy(resource: Resource, attached: boolean): boolean | Unknown {
  const configured = isConfigured(resource, 'policy');
  if (configured !== undefined) return configured;
  // No configuration (a state document): the stored policy is the key's policy, whichever resource
  // wrote it, so it counts as an inline source only when no aws_kms_key_policy manages the key.
  if (attached) return false;
  const policy = resource.values['policy'];
  if (isUnknown(policy)) return unknownFrom(resource, 'policy', policy);
  return typeof policy === 'string' && policy !== '' && !isDefaultKeyPolicy(policy);
}

/**
 * The default key policy KMS attaches when none is given: one statement allowing `kms:*` to the
 * account principal. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function isDefaultKeyPolicy(text: string): boolean {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return false;
  }
  const statements = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length !== 1) return false;
  const statement = list[0] as Record<string, unknown> | undefined;
  if (!statement || statement['Effect'] !== 'Allow' || statement['Condition'] !== undefined) return false;
  const principal = statement['Principal'] as Record<string, unknown> | undefined;
  const aws = principal?.['AWS'];
  const action = statement['Action'];
  return (
    typeof aws === 'string' &&
    /^arn:aws[a-z-]*:iam::[0-9]{12}:root$/.test(aws) &&
    (action === 'kms:*' || (Array.isArray(action) && action.length === 1 && action[0] === 'kms:*')) &&
    (statement['Resource'] === '*' || (Array.isArray(statement['Resource']) && statement['Resource'][0] === '*'))
  );
}
