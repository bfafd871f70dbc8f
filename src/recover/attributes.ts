// The attributes that hold policy documents, and how the provider turns the configured text into the
// planned value. Most policy arguments have `StateFunc: structure.NormalizeJsonString` (minified, keys
// sorted); IAM inline policies use `verify.LegacyPolicyNormalize` (the same, Version moved first); a
// `data.aws_iam_policy_document` renders its own document (see ./policy-document.ts). Checked against
// real plans in testdata/recover/*/known.plan.json for the KMS key, endpoint, endpoint policy, SCP and
// role policy; the others follow the provider's schema code.

import { legacyPolicyNormalize, normalizeJsonString } from './render';

export type Normalization = 'normalize' | 'legacy';

const NORMALIZERS = {
  normalize: normalizeJsonString,
  legacy: legacyPolicyNormalize,
} as const satisfies Record<Normalization, (text: string) => string>;

const KEY_POLICY = { policy: 'normalize' } as const;

/** Resource type → policy attribute path (`inline_policy.policy` for each inline policy block) → normalisation. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, Normalization>>>> = {
  aws_kms_key: KEY_POLICY,
  aws_kms_replica_key: KEY_POLICY,
  aws_kms_external_key: KEY_POLICY,
  aws_kms_replica_external_key: KEY_POLICY,
  aws_kms_key_policy: KEY_POLICY,
  aws_vpc_endpoint: { policy: 'normalize' },
  aws_vpc_endpoint_policy: { policy: 'normalize' },
  aws_organizations_policy: { content: 'normalize' },
  aws_iam_policy: { policy: 'normalize' },
  aws_iam_role: { assume_role_policy: 'normalize', 'inline_policy.policy': 'legacy' },
  aws_iam_role_policy: { policy: 'legacy' },
  aws_iam_user_policy: { policy: 'legacy' },
  aws_iam_group_policy: { policy: 'legacy' },
};

export const POLICY_DOCUMENT = 'aws_iam_policy_document';

/** The JSON attributes of `data.aws_iam_policy_document`: pretty (`json`) or minified. */
export const DOCUMENT_ATTRIBUTES = { json: false, minified_json: true } as const satisfies Record<string, boolean>;

/** How the planned value of a policy attribute is written; undefined for attributes that hold no policy. */
export function normalizerFor(type: string, attribute: string): ((text: string) => string) | undefined {
  const generic = attribute.replace(/\[\d+\]/g, '');
  const kind = POLICY_ATTRIBUTES[type]?.[generic];
  return kind ? NORMALIZERS[kind] : undefined;
}
