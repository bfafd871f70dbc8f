// Key-policy facts: principals with action classes (separation of duties), IAM delegation, escalation,
// lockout and the VPC-endpoint Deny. Each row cites the AWS page it follows.
import { describe, expect, it } from 'vitest';
import { diffAccess, type FactsContext, type KeyPolicyFacts, type PrincipalFact } from '../../src/iam';
import { checkedFacts } from './differential';
import { ADMIN_ACTIONS, DOC, K, KEY, P, ROOT, USER_ACTIONS, allow, aws, deny, doc, role, rootOf, session, user, type Json } from './fixtures';

/** Every policy of this table is also checked against the direct analysis, renamed copies too (differential.ts). */
const facts = (policy: Json, ctx: FactsContext = { keyArn: KEY }): KeyPolicyFacts => checkedFacts(policy, ctx);
const principal = (f: KeyPolicyFacts, id: string): PrincipalFact => {
  const p = f.principals.find((x) => x.id === id);
  if (!p) throw new Error(`no principal ${id} in ${f.principals.map((x) => x.id).join(', ')}`);
  return p;
};

const CONSOLE_DEFAULT = doc(
  ROOT,
  { Sid: 'Allow access for Key Administrators', ...allow(aws(role('KeyAdmin')), ADMIN_ACTIONS) },
  { Sid: 'Allow use of the key', ...allow(aws(role('App')), USER_ACTIONS) },
  { Sid: 'Allow attachment of persistent resources', ...allow(aws(role('App')), ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }) },
);

interface SodCase {
  name: string;
  ref: string;
  policy: Json;
  id: string;
  classes: string[];
  has?: string[];
  lacks?: string[];
  wildcard?: boolean;
  conditions?: PrincipalFact['conditions'];
  type?: PrincipalFact['type'];
}

const sod: SodCase[] = [
  { name: 'console key administrators: administrative, grant (kms:Create*), read', ref: DOC.defaultPolicy, policy: CONSOLE_DEFAULT, id: role('KeyAdmin'), classes: ['administrative', 'grant', 'read'], has: ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion'], lacks: ['kms:Decrypt'], wildcard: false },
  { name: 'console key users: cryptographic, grant, read', ref: DOC.defaultPolicy, policy: CONSOLE_DEFAULT, id: role('App'), classes: ['cryptographic', 'grant', 'read'], has: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptTo'], lacks: ['kms:PutKeyPolicy'] },
  { name: 'kms:* gives all four classes, through a wildcard', ref: DOC.action, policy: doc(ROOT, allow(aws(role('Ops')), 'kms:*')), id: role('Ops'), classes: ['administrative', 'cryptographic', 'grant', 'read'], wildcard: true },
  { name: '"*" counts as a wildcard', ref: DOC.action, policy: doc(ROOT, allow(aws(role('Ops')), '*')), id: role('Ops'), classes: ['administrative', 'cryptographic', 'grant', 'read'], wildcard: true },
  { name: 'Allow + NotAction counts as a wildcard', ref: DOC.action, policy: doc(ROOT, { Effect: 'Allow', Principal: aws(role('Ops')), NotAction: 'kms:Decrypt', Resource: '*' }), id: role('Ops'), classes: ['administrative', 'cryptographic', 'grant', 'read'], lacks: ['kms:Decrypt'], wildcard: true },
  { name: 'Encrypt plus ScheduleKeyDeletion breaks separation of duties', ref: DOC.keyPolicies, policy: doc(ROOT, allow(aws(role('Ops')), ['kms:Encrypt', 'kms:ScheduleKeyDeletion'])), id: role('Ops'), classes: ['administrative', 'cryptographic'] },
  { name: 'kms:Get* includes GetParametersForImport (administrative)', ref: DOC.defaultPolicy, policy: doc(ROOT, allow(aws(role('Auditor')), 'kms:Get*')), id: role('Auditor'), classes: ['administrative', 'read'], has: ['kms:GetKeyPolicy', 'kms:GetPublicKey', 'kms:GetParametersForImport'] },
  { name: 'kms:Delete* does not include ScheduleKeyDeletion', ref: DOC.defaultPolicy, policy: doc(ROOT, allow(aws(role('Ops')), 'kms:Delete*')), id: role('Ops'), classes: ['administrative'], lacks: ['kms:ScheduleKeyDeletion'] },
  { name: 'kms:*Key* includes the GenerateDataKey family', ref: DOC.action, policy: doc(ROOT, allow(aws(role('Ops')), 'kms:*Key*')), id: role('Ops'), classes: ['administrative', 'cryptographic', 'read'], has: ['kms:GenerateDataKey', 'kms:DescribeKey'] },
  { name: 'an unconditional Deny to everyone is subtracted', ref: DOC.evaluation, policy: doc(ROOT, allow(aws(role('Ops')), 'kms:*'), { Sid: 'NoDelete', ...deny('*', 'kms:ScheduleKeyDeletion') }), id: role('Ops'), classes: ['administrative', 'cryptographic', 'grant', 'read'], lacks: ['kms:ScheduleKeyDeletion'] },
  { name: 'a Deny that exempts the role by aws:PrincipalArn leaves it its actions', ref: DOC.globalKeys, policy: doc(ROOT, allow(aws(role('KeyAdmin')), 'kms:ScheduleKeyDeletion'), { Sid: 'OnlyAdmin', ...deny('*', 'kms:ScheduleKeyDeletion', { Condition: { ArnNotLike: { 'aws:PrincipalArn': role('KeyAdmin') } } }) }), id: role('KeyAdmin'), classes: ['administrative'], has: ['kms:ScheduleKeyDeletion'] },
  { name: 'an assumed-role principal keeps its type', ref: DOC.principal, policy: doc(ROOT, allow(aws(session('App')), 'kms:Decrypt')), id: session('App'), classes: ['cryptographic'], type: 'assumed-role' },
  { name: 'an IAM user principal', ref: DOC.principal, policy: doc(ROOT, allow(aws(user('alice')), 'kms:Decrypt')), id: user('alice'), classes: ['cryptographic'], type: 'user' },
  { name: 'a service principal', ref: DOC.principal, policy: doc(ROOT, allow({ Service: 'logs.us-east-1.amazonaws.com' }, ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'])), id: 'logs.us-east-1.amazonaws.com', classes: ['cryptographic', 'read'], type: 'service' },
  { name: 'a restricting condition is reported with its keys', ref: DOC.s3Public, policy: doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })), id: '*', classes: ['cryptographic'], conditions: 'restricting', type: 'any' },
  { name: 'kms:ViaService alone is non-restricting', ref: DOC.kmsConditions, policy: doc(ROOT, allow(aws(role('App')), 'kms:Decrypt', { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), id: role('App'), classes: ['cryptographic'], conditions: 'non-restricting' },
  { name: 'one unconditioned grant makes the principal unconditioned', ref: DOC.multiValue, policy: doc(ROOT, allow(aws(role('App')), 'kms:Decrypt', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }), allow(aws(role('App')), 'kms:Encrypt')), id: role('App'), classes: ['cryptographic'], conditions: 'none' },
  { name: 'a role with a path is one principal', ref: DOC.principal, policy: doc(ROOT, allow(aws(`arn:aws:iam::${K}:role/teams/payments/App`), 'kms:Decrypt')), id: `arn:aws:iam::${K}:role/teams/payments/App`, classes: ['cryptographic'], type: 'role' },
  { name: 'a symbolic role takes its type from the symbols table', ref: DOC.principal, policy: doc(ROOT, allow(aws('${tf:aws_iam_role.app.arn}'), 'kms:Decrypt')), id: '${tf:aws_iam_role.app.arn}', classes: ['cryptographic'], type: 'role' },
  { name: 'an IAM-only action (kms:CreateKey) is not granted by a key policy', ref: DOC.keyPolicies, policy: doc(ROOT, allow(aws(role('Ops')), ['kms:CreateKey', 'kms:Decrypt'])), id: role('Ops'), classes: ['cryptographic'], lacks: ['kms:CreateKey'] },
];

describe('principals and action classes (separation of duties inputs)', () => {
  it.each(sod.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const f = facts(c.policy, { keyArn: KEY, symbols: { 'aws_iam_role.app.arn': { type: 'role', account: K } } });
    const p = principal(f, c.id);
    expect(p.actionClasses, c.ref).toEqual(c.classes);
    for (const a of c.has ?? []) expect(p.actions).toContain(a);
    for (const a of c.lacks ?? []) expect(p.actions).not.toContain(a);
    if (c.wildcard !== undefined) expect(p.viaWildcard).toBe(c.wildcard);
    if (c.conditions) expect(p.conditions).toBe(c.conditions);
    if (c.type) expect(p.type).toBe(c.type);
  });

  it('the account root is its own principal: key account root, through delegation', () => {
    const p = principal(facts(CONSOLE_DEFAULT), rootOf());
    expect(p).toMatchObject({ type: 'account', account: K, isKeyAccountRoot: true, sameAccount: true, throughDelegation: true, viaWildcard: true });
  });

  it('a conditional Deny is recorded, not subtracted', () => {
    const f = facts(doc(ROOT, { Sid: 'Use', ...allow(aws(role('App')), USER_ACTIONS) }, { Sid: 'Vpce', ...deny('*', ['kms:Encrypt', 'kms:Decrypt'], { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }) }));
    const p = principal(f, role('App'));
    expect(p.actions).toContain('kms:Decrypt');
    expect(p.conditionalDenies).toEqual([{ statement: 'Vpce', actions: ['kms:Decrypt', 'kms:Encrypt'] }]);
  });

  it('the symbolic principal account comes from the symbols table (same account)', () => {
    const f = facts(doc(ROOT, allow(aws('${tf:aws_iam_role.app.arn}'), 'kms:Decrypt')), { keyArn: KEY, symbols: { 'aws_iam_role.app.arn': { type: 'role', account: K } } });
    expect(principal(f, '${tf:aws_iam_role.app.arn}')).toMatchObject({ account: K, sameAccount: true });
    const unknown = facts(doc(ROOT, allow(aws('${tf:aws_iam_role.app.arn}'), 'kms:Decrypt')));
    expect(principal(unknown, '${tf:aws_iam_role.app.arn}')).toMatchObject({ type: 'symbolic', account: null, sameAccount: false });
  });

  it('principals are sorted by id and every array is sorted', () => {
    const f = facts(CONSOLE_DEFAULT);
    const ids = f.principals.map((p) => p.id);
    expect(ids).toEqual([...ids].sort());
    for (const p of f.principals) expect(p.actions).toEqual([...p.actions].sort());
  });

  it('facts are plain JSON', () => {
    const f = facts(CONSOLE_DEFAULT);
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });
});

interface DelegationCase {
  name: string;
  ref: string;
  policy: Json;
  expect: Partial<KeyPolicyFacts['iamDelegation']>;
  ctx?: FactsContext;
}

const rootWith = (condition: Json): Json => ({ ...ROOT, Condition: condition });

const delegation: DelegationCase[] = [
  { name: 'the default root statement delegates to every identity', ref: DOC.defaultPolicy, policy: doc(ROOT), expect: { present: true, rootUserOnly: false, delegatesToAnyIdentity: true, principalTypeAccount: false, statements: ['EnableIAM'] } },
  { name: 'aws:PrincipalType = Account limits it to the root user', ref: DOC.defaultPolicy, policy: doc(rootWith({ StringEquals: { 'aws:PrincipalType': 'Account' } })), expect: { present: true, rootUserOnly: true, delegatesToAnyIdentity: false, principalTypeAccount: true, delegatedActions: [] } },
  { name: 'aws:PrincipalArn = the root ARN limits it to the root user', ref: DOC.globalKeys, policy: doc(rootWith({ ArnEquals: { 'aws:PrincipalArn': rootOf() } })), expect: { rootUserOnly: true, principalTypeAccount: true } },
  { name: 'aws:PrincipalArn = a role narrows delegation to that role', ref: DOC.defaultPolicy, policy: doc(rootWith({ ArnLike: { 'aws:PrincipalArn': role('Ops') } })), expect: { rootUserOnly: false, delegatesToAnyIdentity: false, principalTypeAccount: false } },
  { name: 'StringNotEquals aws:PrincipalType Account excludes the root user instead', ref: DOC.globalKeys, policy: doc(rootWith({ StringNotEquals: { 'aws:PrincipalType': 'Account' } })), expect: { rootUserOnly: false, delegatesToAnyIdentity: true } },
  { name: 'StringEqualsIfExists aws:PrincipalType Account (always present) still limits to root', ref: DOC.operators, policy: doc(rootWith({ StringEqualsIfExists: { 'aws:PrincipalType': 'Account' } })), expect: { rootUserOnly: true } },
  { name: 'no root statement: no delegation', ref: DOC.keyPolicies, policy: doc(allow(aws(role('Admin')), 'kms:*')), expect: { present: false, rootUserOnly: false, delegatesToAnyIdentity: false, delegatedActions: [] }, ctx: { keyArn: KEY } },
  { name: 'the account id form of the root principal', ref: DOC.principal, policy: doc({ ...ROOT, Principal: { AWS: K } }), expect: { present: true, delegatesToAnyIdentity: true } },
  { name: 'a Deny for everyone but listed roles keeps delegation from fresh identities', ref: DOC.globalKeys, policy: doc(ROOT, deny('*', 'kms:*', { Condition: { ArnNotLike: { 'aws:PrincipalArn': [role('Ops'), rootOf()] } } })), expect: { present: true, delegatesToAnyIdentity: false, rootUserOnly: false } },
  { name: 'the root statement lists only some actions', ref: DOC.defaultPolicy, policy: doc({ ...ROOT, Action: 'kms:Describe*' }), expect: { actions: ['kms:DescribeKey'], delegatedActions: ['kms:DescribeKey'] } },
  { name: 'the key account is inferred from the root statement', ref: DOC.defaultPolicy, policy: doc(ROOT), expect: { account: K, present: true }, ctx: {} },
  { name: 'a partner root is not the key account\'s delegation', ref: DOC.crossAccount, policy: doc(allow(aws(rootOf(P)), 'kms:Decrypt')), expect: { present: false }, ctx: { keyArn: KEY } },
];

describe('IAM delegation', () => {
  it.each(delegation.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(facts(c.policy, c.ctx ?? { keyArn: KEY }).iamDelegation, c.ref).toMatchObject(c.expect);
  });
});

describe('escalation and lockout', () => {
  it('who can PutKeyPolicy and CreateGrant, with kms:GrantIsForAWSResource', () => {
    const f = facts(CONSOLE_DEFAULT);
    expect(f.escalation.putKeyPolicy.map((p) => p.principal)).toEqual([role('KeyAdmin'), rootOf()]);
    expect(f.escalation.createGrant.map((p) => [p.principal, p.grantIsForAWSResource])).toEqual([
      [role('App'), true],
      [role('KeyAdmin'), false],
      [rootOf(), false],
    ]);
  });

  it('StringNotEquals kms:GrantIsForAWSResource "false" constrains like Bool true', () => {
    const f = facts(doc(ROOT, allow(aws(role('App')), 'kms:CreateGrant', { Condition: { StringNotEquals: { 'kms:GrantIsForAWSResource': 'false' } } })));
    expect(f.escalation.createGrant.find((p) => p.principal === role('App'))?.grantIsForAWSResource).toBe(true);
  });

  it.each([
    ['the default policy is not locked', DOC.defaultPolicy, doc(ROOT), false],
    ['a policy without PutKeyPolicy for anyone is locked', DOC.keyPolicies, doc(allow(aws(role('App')), USER_ACTIONS)), true],
    ['an unconditional Deny of PutKeyPolicy locks it', DOC.evaluation, doc(ROOT, deny('*', 'kms:PutKeyPolicy')), true],
    ['a Deny of PutKeyPolicy except one role keeps that role', DOC.globalKeys, doc(ROOT, deny('*', 'kms:PutKeyPolicy', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': role('KeyAdmin') } } })), false],
    ['root user only still lets the root user change it', DOC.defaultPolicy, doc(rootWith({ StringEquals: { 'aws:PrincipalType': 'Account' } })), false],
  ])('%s', (_n, ref, policy, locked) => {
    expect(facts(policy).lockout.locked, ref).toBe(locked);
  });
});

interface VpceCase {
  name: string;
  ref: string;
  deny: Json;
  expect: Partial<KeyPolicyFacts['vpceRestriction']>;
  uncovered?: string[];
  mistakes?: string[];
}

const vpceDeny = (action: unknown, condition: Json, extra: Json = {}): Json => ({ Sid: 'Vpce', ...deny('*', action, { Condition: condition, ...extra }) });
const CRYPTO_REST = ['kms:Decapsulate', 'kms:DeriveSharedSecret', 'kms:Encapsulate', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateMac', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:Sign', 'kms:Verify', 'kms:VerifyMac'];

const vpce: VpceCase[] = [
  { name: 'Deny kms:* unless aws:SourceVpce covers every cryptographic action', ref: DOC.sourceVpce, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { present: true, endpoints: ['vpce-1a2b'], coversRequestsWithoutEndpoint: true }, uncovered: [], mistakes: [] },
  { name: 'a Deny of only Encrypt/Decrypt leaves GenerateDataKey* and ReEncrypt* open', ref: DOC.sourceVpce, deny: vpceDeny(['kms:Encrypt', 'kms:Decrypt'], { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { present: true, coveredActions: ['kms:Decrypt', 'kms:Encrypt'] }, uncovered: CRYPTO_REST },
  { name: 'StringNotEqualsIfExists also denies requests without the key', ref: DOC.operators, deny: vpceDeny('kms:*', { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { coversRequestsWithoutEndpoint: true }, uncovered: [], mistakes: [] },
  { name: 'ForAnyValue:StringNotEquals lets requests without aws:SourceVpce through', ref: DOC.singleMulti, deny: vpceDeny('kms:*', { 'ForAnyValue:StringNotEquals': { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { coversRequestsWithoutEndpoint: false, coveredActions: [] }, mistakes: ['forvalues-on-single-valued', 'missing-key-not-denied'] },
  { name: 'StringEquals instead of StringNotEquals denies the endpoint itself', ref: DOC.sourceVpce, deny: vpceDeny('kms:*', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { coveredActions: [] }, mistakes: ['denies-own-endpoint'] },
  { name: 'an aws:PrincipalIsAWSService exemption is listed, coverage kept', ref: DOC.sourceVpce, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' }, Bool: { 'aws:PrincipalIsAWSService': 'false' } }), expect: { exemptions: [{ statement: 'Vpce', key: 'aws:PrincipalIsAWSService', operator: 'Bool', values: ['false'] }] }, uncovered: [] },
  { name: 'a kms:ViaService exemption (Null) is listed, direct calls covered', ref: DOC.kmsConditions, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' }, Null: { 'kms:ViaService': 'true' } }), expect: { exemptions: [{ statement: 'Vpce', key: 'kms:ViaService', operator: 'Null', values: ['true'] }] }, uncovered: [] },
  { name: 'an aws:PrincipalArn exemption is listed', ref: DOC.globalKeys, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' }, ArnNotLike: { 'aws:PrincipalArn': role('BreakGlass') } }), expect: { exemptions: [{ statement: 'Vpce', key: 'aws:PrincipalArn', operator: 'ArnNotLike', values: [role('BreakGlass')] }] }, uncovered: [] },
  { name: 'aws:SourceVpc works the same way and names the VPC', ref: DOC.sourceVpce, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpc': 'vpc-0abc' } }), expect: { vpcs: ['vpc-0abc'], endpoints: [], coversRequestsWithoutEndpoint: true }, uncovered: [] },
  { name: 'a Deny with NotAction covers the cryptographic actions', ref: DOC.action, deny: { Sid: 'Vpce', Effect: 'Deny', Principal: '*', NotAction: 'kms:DescribeKey', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } }, expect: { present: true }, uncovered: [] },
  { name: 'several endpoints are all named', ref: DOC.multiValue, deny: vpceDeny('kms:*', { StringNotEquals: { 'aws:SourceVpce': ['vpce-bbbb', 'vpce-aaaa'] } }), expect: { endpoints: ['vpce-aaaa', 'vpce-bbbb'] }, uncovered: [] },
  { name: 'a Deny for one role only does not cover the account', ref: DOC.sourceVpce, deny: { Sid: 'Vpce', ...deny(aws(role('App')), 'kms:*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } }) }, expect: { coveredActions: [] }, mistakes: ['not-all-principals'] },
  { name: 'kms:GenerateDataKey* plus Encrypt/Decrypt/ReEncrypt* covers the symmetric set', ref: DOC.sourceVpce, deny: vpceDeny(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }), expect: { present: true }, uncovered: ['kms:Decapsulate', 'kms:DeriveSharedSecret', 'kms:Encapsulate', 'kms:GenerateMac', 'kms:Sign', 'kms:Verify', 'kms:VerifyMac'] },
];

describe('VPC endpoint Deny coverage', () => {
  it.each(vpce.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const v = facts(doc(ROOT, c.deny)).vpceRestriction;
    expect(v, c.ref).toMatchObject(c.expect);
    if (c.uncovered) expect(v.uncoveredCryptographicActions).toEqual(c.uncovered);
    if (c.mistakes) expect(v.mistakes.map((m) => m.code).sort()).toEqual(c.mistakes);
  });

  it('no such Deny: not present, every cryptographic action uncovered', () => {
    const v = facts(doc(ROOT)).vpceRestriction;
    expect(v.present).toBe(false);
    expect(v.uncoveredCryptographicActions).toContain('kms:Decrypt');
  });
});

describe('statements without effect', () => {
  it('names statements without Resource, for another key, or with an empty Principal', () => {
    const f = facts(doc(ROOT, { Sid: 'NoResource', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }, { Sid: 'Other', ...allow('*', 'kms:Decrypt', { Resource: `arn:aws:kms:us-east-1:${K}:key/other` }) }, { Sid: 'Empty', ...allow({ AWS: [] }, 'kms:Decrypt') }));
    expect(f.statementsWithoutEffect).toEqual(['Empty', 'NoResource', 'Other']);
  });
});

describe('access diff', () => {
  it('who gains and who loses which classes', () => {
    const before = facts(CONSOLE_DEFAULT);
    const after = facts(doc(ROOT, allow(aws(role('KeyAdmin')), ADMIN_ACTIONS), allow(aws(role('App')), 'kms:Decrypt'), allow(aws(role('New')), 'kms:*')));
    const d = diffAccess(before, after);
    expect(d.changed).toBe(true);
    expect(d.gained.map((g) => [g.principal, g.actionClasses])).toEqual([[role('New'), ['administrative', 'cryptographic', 'grant', 'read']]]);
    expect(d.lost.find((l) => l.principal === role('App'))?.actions).toContain('kms:Encrypt');
  });
  it('a new key policy: everything is gained; an unchanged policy: nothing', () => {
    const f = facts(CONSOLE_DEFAULT);
    expect(diffAccess(null, f).gained.length).toBe(f.principals.length);
    expect(diffAccess(f, f).changed).toBe(false);
  });
  it('becoming public is a change', () => {
    const d = diffAccess(facts(doc(ROOT)), facts(doc(ROOT, allow('*', 'kms:Decrypt'))));
    expect([d.publicBefore, d.publicAfter]).toEqual([false, true]);
  });
});

describe('key usage', () => {
  it('an ENCRYPT_DECRYPT key: the uncovered cryptographic actions are only those it supports', () => {
    const f = facts(doc(ROOT, vpceDeny(['kms:Encrypt', 'kms:Decrypt'], { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } })), { keyArn: KEY, keyUsage: 'ENCRYPT_DECRYPT' });
    expect(f.vpceRestriction.uncoveredCryptographicActions, DOC.sourceVpce).toEqual(['kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });
  it('actions beyond the key-user defaults of the usage', () => {
    const f = facts(doc(ROOT, allow(aws(role('Signer')), ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey', 'kms:Decrypt'])), { keyArn: KEY, keyUsage: 'SIGN_VERIFY' });
    expect(principal(f, role('Signer')).beyondUserActions, DOC.keyPolicies).toEqual(['kms:Decrypt']);
    expect(f.keyUsage).toBe('SIGN_VERIFY');
  });
});

describe('unknown key account', () => {
  it('does not strip non-cross-account actions from principals it cannot place', () => {
    const f = facts(doc(allow(aws(rootOf()), 'kms:*'), allow(aws(rootOf(P)), 'kms:*')), {});
    expect(f.keyAccount).toBeNull();
    expect(principal(f, rootOf(P)).actions).toContain('kms:PutKeyPolicy');
    expect(f.notes.some((n) => n.includes('key account is unknown'))).toBe(true);
    expect(f.public.public).toBe(false);
  });
});
