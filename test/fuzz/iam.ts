// Policy documents as an attacker or a careless author writes them: every element in every form the
// grammar allows and many it does not, with the wildcards, condition keys and values that make the
// evaluator enumerate, and patterns chosen to make a backtracking matcher explode.

import fc from 'fast-check';

const ACCOUNTS = ['111122223333', '444455556666', '999999999999', '000000000000', '1111', 'abcdefghijkl'];

const pathological = fc.integer({ min: 1, max: 12 }).map((n) => `${'*a'.repeat(n)}*b`);
const longLiteral = fc.integer({ min: 1, max: 400 }).map((n) => 'a'.repeat(n));

const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: pathological },
  { weight: 1, arbitrary: longLiteral },
  { weight: 1, arbitrary: fc.constantFrom('*', '?', '${aws:username}', '${*}', '${?}', '${tf:aws_iam_role.admin.arn}', '${', '') },
);

const arn: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ACCOUNTS).map((a) => `arn:aws:iam::${a}:root`),
  fc.tuple(fc.constantFrom(...ACCOUNTS), fc.constantFrom('role', 'user', 'group'), text).map(([a, kind, name]) => `arn:aws:iam::${a}:${kind}/${name}`),
  fc.tuple(fc.constantFrom(...ACCOUNTS), text).map(([a, s]) => `arn:aws:sts::${a}:assumed-role/${s}/session`),
  fc.tuple(fc.constantFrom(...ACCOUNTS), text).map(([a, id]) => `arn:aws:kms:us-east-1:${a}:key/${id}`),
  fc.constantFrom(...ACCOUNTS),
  fc.constantFrom('*', 'arn:aws:iam::*:root', 'arn:*:*:*:*:*', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam:::', 'arn:', 'AIDAEXAMPLE'),
  text,
);

const oneOrMany = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> => fc.oneof(arb, fc.array(arb, { maxLength: 6 }));

const principal: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: oneOrMany(arn) }),
  fc.record({ Service: oneOrMany(fc.constantFrom('logs.amazonaws.com', 'cloudtrail.amazonaws.com', 's3.amazonaws.com', '*', 'kms')) }),
  fc.record({ Federated: oneOrMany(fc.constantFrom('cognito-identity.amazonaws.com', 'arn:aws:iam::111122223333:saml-provider/x')) }),
  fc.record({ CanonicalUser: text }),
  fc.record({ AWS: oneOrMany(arn), Service: oneOrMany(text) }),
  fc.dictionary(text, oneOrMany(arn), { maxKeys: 3 }),
  arn,
  fc.jsonValue({ maxDepth: 2 }),
);

const KMS_ACTIONS = [
  'kms:*',
  '*',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:Delete*',
  'kms:Create*',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'kms:DescribeKey',
  'kms:Decrpyt',
  'KMS:decrypt',
  'kms:?ecrypt',
  's3:GetObject',
  'iam:PassRole',
];

const action: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KMS_ACTIONS) }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: pathological.map((p) => `kms:${p}`) });

const CONDITION_KEYS = [
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:PrincipalType',
  'aws:PrincipalTag/team',
  'aws:SourceVpce',
  'aws:SourceVpc',
  'aws:SourceIp',
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SecureTransport',
  'aws:CurrentTime',
  'aws:userid',
  'aws:username',
  'kms:CallerAccount',
  'kms:ViaService',
  'kms:GrantIsForAWSResource',
  'kms:EncryptionContext:app',
  'kms:EncryptionContextKeys',
  'kms:GrantOperations',
  'kms:KeySpec',
  'kms:BypassPolicyLockoutSafetyCheck',
];

const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'StringLikeIfExists',
  'ForAnyValue:StringLike',
  'ForAllValues:StringEquals',
  'ForAnyValue:StringNotLike',
  'ArnLike',
  'ArnNotLike',
  'ArnEquals',
  'NumericLessThan',
  'NumericGreaterThanEquals',
  'DateGreaterThan',
  'Bool',
  'BoolIfExists',
  'IpAddress',
  'NotIpAddress',
  'Null',
  'BinaryEquals',
  'StringEqualz',
  'stringequals',
];

const conditionValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oneOrMany(fc.oneof(text, arn, fc.constantFrom('true', 'false', '10.0.0.0/8', '::/0', '2020-01-01T00:00:00Z', 'vpce-1a2b3c', 'vpc-1a2b', 'o-abc123', '123', 'bogus'))) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 })) },
);

/** A wildcard pattern and a long literal on one key: what makes a backtracking matcher explode. */
const backtracking: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom('StringNotLike', 'StringLike', 'ForAnyValue:StringLike', 'ArnNotLike'),
    fc.constantFrom('aws:SourceVpce', 'aws:SourceVpc', 'aws:PrincipalOrgID', 'aws:PrincipalArn', 'aws:PrincipalAccount', 'kms:CallerAccount'),
    pathological,
    longLiteral,
  )
  .map(([operator, key, pattern, literal]) => ({ [operator]: { [key]: [pattern, literal] } }));

const condition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: backtracking },
  { weight: 60, arbitrary: fc.dictionary(fc.constantFrom(...OPERATORS), fc.dictionary(fc.oneof(fc.constantFrom(...CONDITION_KEYS), text), conditionValue, { minKeys: 1, maxKeys: 4 }), { minKeys: 1, maxKeys: 4 }) },
  { weight: 12, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const statement: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      Sid: fc.oneof(fc.constantFrom('Root', 'Admins', 'Users', ''), text, fc.integer()),
      Effect: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: fc.constantFrom('allow', 'DENY', '', 'Permit') }),
      Principal: principal,
      NotPrincipal: principal,
      Action: oneOrMany(action),
      NotAction: oneOrMany(action),
      Resource: oneOrMany(fc.oneof(fc.constant('*'), arn)),
      NotResource: oneOrMany(arn),
      Condition: condition,
      Extra: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: ['Effect'] },
  )
  .map((s) => {
    // Mostly the grammar's shape: one of each pair, so the evaluator gets past validation.
    const out: Record<string, unknown> = { ...s };
    if (out['Principal'] !== undefined && out['NotPrincipal'] !== undefined && (out['Sid'] === undefined || typeof out['Sid'] === 'string')) delete out['NotPrincipal'];
    if (out['Action'] === undefined && out['NotAction'] === undefined) out['Action'] = 'kms:*';
    if (out['Resource'] === undefined && out['NotResource'] === undefined) out['Resource'] = '*';
    return out;
  });

/** Anyone, every action, under a condition a backtracking matcher takes exponential time on (rare: it hangs today). */
const backtrackingStatement: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom('Allow', 'Deny'), backtracking)
  .map(([effect, clause]) => ({ Effect: effect, Principal: '*', Action: 'kms:*', Resource: '*', Condition: clause }));

const anyStatement = fc.oneof({ weight: 1000, arbitrary: statement }, { weight: 1, arbitrary: backtrackingStatement });

/** A policy document, as a value (serialise it for a plan's `policy` string). */
export const policyDocument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        Version: fc.oneof(fc.constant('2012-10-17'), fc.constantFrom('2008-10-17', '2012-10-18', '', 2012)),
        Id: fc.oneof(text, fc.integer()),
        Statement: fc.oneof({ weight: 5, arbitrary: fc.array(anyStatement, { maxLength: 12 }) }, { weight: 1, arbitrary: statement }),
      },
      { requiredKeys: ['Statement'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);
