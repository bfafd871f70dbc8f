// The AWS policy documents held by resources: which attribute, which kind of policy, and whether AWS
// would accept it. Parsing is memoised by text: large estates repeat the same documents.

import { parsePolicy, type Diagnostic, type ParseResult, type PolicyKind } from '../iam';
import { isObject, isUnknown, type ModelValue, type Resource, type Unknown } from '../model';
import { documentText, type FactContext } from './context';

export interface PolicyAttribute {
  /** Path of the attribute inside the resource, e.g. `policy` or `inline_policy[1].policy`. */
  attribute: string;
  kind: PolicyKind;
  value: ModelValue;
}

const KEY_TYPES = ['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key'];
const IDENTITY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** Policy documents a resource carries, by resource type (only those the configuration sets or the plan knows). */
export function policyAttributes(resource: Resource): PolicyAttribute[] {
  const { type, values } = resource;
  const own = (attribute: string, kind: PolicyKind): PolicyAttribute[] => {
    const value = values[attribute] ?? null;
    const configured = resource.config ? attribute in resource.config.expressions : value !== null;
    return configured && value !== '' ? [{ attribute, kind, value }] : [];
  };
  if (KEY_TYPES.includes(type) || type === 'aws_kms_key_policy') return own('policy', 'key');
  if (type === 'aws_vpc_endpoint' || type === 'aws_vpc_endpoint_policy') return own('policy', 'endpoint');
  if (IDENTITY_TYPES.includes(type)) return own('policy', 'identity');
  if (type === 'aws_organizations_policy') {
    const kind = values['type'];
    if (isUnknown(kind)) return [{ attribute: 'content', kind: 'scp', value: kind }];
    return (kind ?? 'SERVICE_CONTROL_POLICY') === 'SERVICE_CONTROL_POLICY' ? own('content', 'scp') : [];
  }
  if (type === 'aws_iam_role') {
    // Unset inline policies are computed by the provider from what AWS holds: none for a new role.
    if (resource.config && !('inline_policy' in resource.config.expressions)) return [];
    const inline = values['inline_policy'];
    if (isUnknown(inline)) return [{ attribute: 'inline_policy', kind: 'identity', value: inline }];
    if (!Array.isArray(inline)) return [];
    return inline.flatMap((block, i): PolicyAttribute[] => {
      if (isUnknown(block)) return [{ attribute: `inline_policy[${i}]`, kind: 'identity', value: block }];
      const policy = isObject(block) ? (block as Record<string, ModelValue>)['policy'] : undefined;
      return policy === undefined || policy === null || policy === '' ? [] : [{ attribute: `inline_policy[${i}].policy`, kind: 'identity', value: policy }];
    });
  }
  return [];
}

const parsed = new Map<string, ParseResult>();

/** Parses a policy document text once per (kind, text). */
export function parseCached(text: string, kind: PolicyKind): ParseResult {
  const key = `${kind}\u0000${text}`;
  let result = parsed.get(key);
  if (!result) {
    result = parsePolicy(text, kind);
    parsed.set(key, result);
  }
  return result;
}

export interface DocumentCheck {
  attribute: string;
  kind: PolicyKind;
  valid: boolean;
  errors: { code: string; message: string; path: string }[];
  warnings: { code: string; message: string; path: string }[];
}

const brief = (d: Diagnostic) => ({ code: d.code, message: d.message, path: d.path });

/** The validity of each policy document of a resource (recovered where it is known only after apply). */
export function documentChecks(resource: Resource, ctx: FactContext): (DocumentCheck | Unknown)[] {
  return policyAttributes(resource).map((document) => {
    const known = documentText(resource, document.attribute, document.value, ctx);
    if (isUnknown(known)) return known;
    const value = known?.text;
    if (typeof value !== 'string') {
      return { attribute: document.attribute, kind: document.kind, valid: false, errors: [{ code: 'not-a-string', message: 'the policy is not a JSON string', path: '$' }], warnings: [] };
    }
    const result = parseCached(value, document.kind);
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(brief);
    return {
      attribute: document.attribute,
      kind: document.kind,
      valid: errors.length === 0,
      errors,
      warnings: result.diagnostics.filter((d) => d.severity !== 'error').map(brief),
    };
  });
}
