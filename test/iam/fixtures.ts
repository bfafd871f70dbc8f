// Shared builders for the IAM tables. Accounts: K owns the key, P is a partner, X an outsider.
export const K = '111122223333';
export const P = '444455556666';
export const X = '777788889999';
export const ORG = 'o-a1b2c3d4e5';
export const KEY = `arn:aws:kms:us-east-1:${K}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY = `arn:aws:kms:us-east-1:${K}:key/0000aaaa-0000-0000-0000-000000000000`;

export type Json = Record<string, unknown>;

export const role = (name: string, account = K) => `arn:aws:iam::${account}:role/${name}`;
export const user = (name: string, account = K) => `arn:aws:iam::${account}:user/${name}`;
export const session = (name: string, account = K, s = 's1') => `arn:aws:sts::${account}:assumed-role/${name}/${s}`;
export const rootOf = (account = K) => `arn:aws:iam::${account}:root`;

export const doc = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });

/** The default key policy's first statement: IAM delegation to the key account. */
export const ROOT: Json = { Sid: 'EnableIAM', Effect: 'Allow', Principal: { AWS: rootOf() }, Action: 'kms:*', Resource: '*' };

export const allow = (principal: unknown, action: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
export const deny = (principal: unknown, action: unknown, extra: Json = {}): Json => ({ Effect: 'Deny', Principal: principal, Action: action, Resource: '*', ...extra });
export const aws = (...arns: string[]) => ({ AWS: arns.length === 1 ? arns[0] : arns });

export const identity = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });
export const iamAllow = (action: unknown, resource: unknown = '*', extra: Json = {}): Json => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });

/** The console's default key-administrator actions. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators */
export const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'];
/** The console's default key-user actions. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users */
export const USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export const DOC = {
  defaultPolicy: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
  keyPolicies: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html',
  overview: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
  crossAccount: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
  apiCrossAccount: 'KMS API Reference, "Cross-account use" line of each operation',
  grants: 'https://docs.aws.amazon.com/kms/latest/developerguide/grants.html',
  notPrincipal: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
  principal: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  operators: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  multiValue: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html',
  singleMulti: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  kmsConditions: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html',
  encryptionContext: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context',
  variables: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
  evaluation: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  scpEvaluation: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html',
  scps: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  scpSyntax: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html',
  vpce: 'https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html',
  sourceVpce: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html',
  endpointPolicy: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
  resource: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
  action: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
  s3Public: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
  accessAnalyzer: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html',
  iamBestPractices: 'https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html',
  version: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html',
  grammar: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  analyzerChecks: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
} as const;
