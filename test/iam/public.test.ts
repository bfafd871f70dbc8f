// Public and cross-account exposure, decided by evaluation: "public" means a principal of any AWS
// account can use or manage the key without a condition that really restricts (KMS has no anonymous
// access). Restricting follows S3 "The meaning of public" and Access Analyzer's key list.
import { describe, expect, it } from 'vitest';
import { type FactsContext } from '../../src/iam';
import { checkedFacts } from './differential';
import { DOC, K, KEY, ORG, P, ROOT, USER_ACTIONS, allow, aws, deny, doc, role, rootOf, type Json } from './fixtures';

/** Every policy of this table is also checked against the direct analysis, renamed copies too (differential.ts). */
const facts = (policy: Json, ctx: FactsContext = { keyArn: KEY }) => checkedFacts(policy, ctx);
const star = (action: unknown, condition?: Json): Json => ({ Sid: 'Star', ...allow('*', action, condition ? { Condition: condition } : {}) });

interface Case {
  name: string;
  ref: string;
  policy: Json;
  public: boolean;
  actions?: string[];
  ctx?: FactsContext;
}

const cases: Case[] = [
  { name: 'Principal "*" with kms:* and no condition', ref: DOC.s3Public, policy: doc(ROOT, star('kms:*')), public: true },
  { name: '{"AWS": "*"} is the same as "*"', ref: DOC.principal, policy: doc(ROOT, { Sid: 'Star', ...allow({ AWS: '*' }, 'kms:Decrypt') }), public: true, actions: ['kms:Decrypt'] },
  { name: '{"AWS": ["*", account]} is still "*"', ref: DOC.principal, policy: doc(ROOT, { Sid: 'Star', ...allow({ AWS: ['*', K] }, 'kms:Decrypt') }), public: true },
  { name: 'aws:PrincipalOrgID fixed restricts', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:PrincipalOrgID': ORG } })), public: false },
  { name: 'aws:PrincipalOrgID "o-*" restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } })), public: true },
  { name: 'kms:CallerAccount fixed restricts', ref: DOC.kmsConditions, policy: doc(ROOT, star(USER_ACTIONS, { StringEquals: { 'kms:CallerAccount': K } })), public: false },
  { name: 'kms:CallerAccount "*" restricts nothing', ref: DOC.kmsConditions, policy: doc(ROOT, star(USER_ACTIONS, { StringLike: { 'kms:CallerAccount': '*' } })), public: true },
  { name: 'aws:PrincipalAccount of a partner restricts to the partner', ref: DOC.accessAnalyzer, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:PrincipalAccount': P } })), public: false },
  { name: 'aws:SourceVpce fixed restricts', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })), public: false },
  { name: 'aws:SourceVpce with IfExists restricts nothing (missing key passes)', ref: DOC.operators, policy: doc(ROOT, star('kms:Decrypt', { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })), public: true },
  { name: 'aws:SourceVpc "vpc-*" restricts nothing (S3 example)', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringLike: { 'aws:SourceVpc': 'vpc-*' } })), public: true },
  { name: 'aws:SourceVpc fixed restricts (S3 example)', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } })), public: false },
  { name: 'a negated operator in an Allow restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } })), public: true },
  { name: 'kms:ViaService alone restricts nothing', ref: DOC.kmsConditions, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } })), public: true },
  { name: 'encryption context is chosen by the caller', ref: DOC.encryptionContext, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:app': 'billing' } })), public: true },
  { name: 'principal tags are set by the caller\'s own admins', ref: DOC.globalKeys, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:PrincipalTag/team': 'payments' } })), public: true },
  { name: 'aws:SourceIp 0.0.0.0/0 restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })), public: true },
  { name: 'aws:SourceIp ::/0 restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { IpAddress: { 'aws:SourceIp': '::/0' } })), public: true },
  { name: 'aws:SourceIp /24 restricts', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })), public: false },
  { name: 'aws:PrincipalArn with an account wildcard restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } })), public: true },
  { name: 'aws:PrincipalArn with a fixed account restricts', ref: DOC.accessAnalyzer, policy: doc(ROOT, star('kms:Decrypt', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${K}:role/*` } })), public: false },
  { name: 'ForAllValues on aws:PrincipalOrgID restricts nothing', ref: DOC.singleMulti, policy: doc(ROOT, star('kms:Decrypt', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } })), public: true },
  { name: 'ForAnyValue:StringLike on aws:PrincipalOrgPaths with a fixed org restricts', ref: DOC.globalKeys, policy: doc(ROOT, star('kms:Decrypt', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/r-ab12/ou-ab12-11111111/*` } })), public: false },
  { name: 'a Deny unless the org makes a "*" Allow non-public', ref: DOC.evaluation, policy: doc(ROOT, star('kms:Decrypt'), { Sid: 'Org', ...deny('*', 'kms:*', { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } } }) }), public: false },
  { name: 'a Deny with ForAnyValue:StringNotEquals lets org-less accounts through', ref: DOC.singleMulti, policy: doc(ROOT, star('kms:Decrypt'), { Sid: 'Org', ...deny('*', 'kms:*', { Condition: { 'ForAnyValue:StringNotEquals': { 'aws:PrincipalOrgID': ORG } } }) }), public: true },
  { name: 'a Deny unless the org with IfExists still denies org-less accounts', ref: DOC.operators, policy: doc(ROOT, star('kms:Decrypt'), { Sid: 'Org', ...deny('*', 'kms:*', { Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } } }) }), public: false },
  { name: 'Allow + NotPrincipal is everyone else', ref: DOC.notPrincipal, policy: doc(ROOT, { Sid: 'AllBut', Effect: 'Allow', NotPrincipal: aws(role('Blocked')), Action: 'kms:Decrypt', Resource: '*' }), public: true },
  { name: 'CreateGrant to "*" is public: grantors need not hold what they grant', ref: DOC.grants, policy: doc(ROOT, star('kms:CreateGrant')), public: true, actions: ['kms:CreateGrant'] },
  { name: 'PutKeyPolicy to "*" is not public (not cross-account capable)', ref: DOC.apiCrossAccount, policy: doc(ROOT, star('kms:PutKeyPolicy')), public: false },
  { name: 'ScheduleKeyDeletion to "*" is not public (not cross-account capable)', ref: DOC.apiCrossAccount, policy: doc(ROOT, star('kms:ScheduleKeyDeletion')), public: false },
  { name: 'kms:* to "*" is public only for cross-account actions', ref: DOC.apiCrossAccount, policy: doc(ROOT, star('kms:*')), public: true },
  { name: 'a "*" statement without Resource has no effect', ref: DOC.overview, policy: doc(ROOT, { Sid: 'Star', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }), public: false },
  { name: 'a "*" statement for another key does not apply', ref: DOC.overview, policy: doc(ROOT, star('kms:Decrypt'), { ...star('kms:Encrypt'), Sid: 'Other', Resource: `arn:aws:kms:us-east-1:${K}:key/other` }), public: true, actions: ['kms:Decrypt'] },
  { name: 'aws:PrincipalIsAWSService true keeps IAM principals out', ref: DOC.globalKeys, policy: doc(ROOT, star('kms:Decrypt', { Bool: { 'aws:PrincipalIsAWSService': 'true' } })), public: false },
  { name: 'the default key policy is not public', ref: DOC.defaultPolicy, policy: doc(ROOT), public: false },
  { name: 'aws:userid "AROAID:*" restricts', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringLike: { 'aws:userid': 'AROAEXAMPLEID123456789:*' } })), public: false },
  { name: 'aws:userid "*:alice" restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringLike: { 'aws:userid': '*:alice' } })), public: true },
  { name: 'aws:SourceAccount keeps IAM principals out (set for services only)', ref: DOC.globalKeys, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:SourceAccount': K } })), public: false },
  { name: 'Null restricts nothing', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { Null: { 'aws:PrincipalOrgID': 'false' } })), public: true },
  { name: '${aws:ResourceOrgID} pins the org of the key', ref: DOC.variables, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } })), public: false, ctx: { keyArn: KEY, organizationId: ORG } },
  { name: 'a symbolic endpoint id (known after apply) is a fixed value', ref: DOC.s3Public, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:SourceVpce': '${tf:aws_vpc_endpoint.kms.id}' } })), public: false },
  { name: 'a symbolic principal is one principal, not a wildcard', ref: DOC.principal, policy: doc(ROOT, { Sid: 'App', ...allow(aws('${tf:aws_iam_role.app.arn}'), 'kms:Decrypt') }), public: false },
  { name: 'a service principal is not public', ref: DOC.accessAnalyzer, policy: doc(ROOT, { Sid: 'Logs', ...allow({ Service: 'logs.amazonaws.com' }, USER_ACTIONS) }), public: false },
  { name: 'one restricting key is enough (keys are AND-ed)', ref: DOC.multiValue, policy: doc(ROOT, star('kms:Decrypt', { StringEquals: { 'aws:PrincipalOrgID': ORG }, StringLike: { 'kms:ViaService': '*' } })), public: false },
  { name: 'a wildcard value among fixed ones opens it (values are OR-ed)', ref: DOC.multiValue, policy: doc(ROOT, star('kms:Decrypt', { StringLike: { 'aws:SourceVpce': ['vpce-1a2b3c4d', 'vpce-*'] } })), public: true },
  { name: 'a partner role via aws:PrincipalArn is cross-account, not public', ref: DOC.accessAnalyzer, policy: doc(ROOT, star('kms:Decrypt', { ArnEquals: { 'aws:PrincipalArn': role('Reader', P) } })), public: false },
];

describe('public exposure', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const f = facts(c.policy, c.ctx);
    expect(f.public.public, c.ref).toBe(c.public);
    expect(f.public.status).toBe(c.public ? 'public' : 'not-public');
    if (c.actions) expect(f.public.actions).toEqual(c.actions);
    if (c.public) expect(f.public.statements.length).toBeGreaterThan(0);
  });

  it('public kms:* lists only cross-account capable actions, CreateGrant among them', () => {
    const f = facts(doc(ROOT, star('kms:*')));
    expect(f.public.actions).toContain('kms:Decrypt');
    expect(f.public.actions).toContain('kms:CreateGrant');
    expect(f.public.actions).not.toContain('kms:ScheduleKeyDeletion');
    expect(f.public.actions).not.toContain('kms:PutKeyPolicy');
    expect(f.public.viaCreateGrant).toBe(true);
    expect(f.public.actionClasses).toEqual(['cryptographic', 'grant', 'read']);
  });

  it('PutKeyPolicy to "*" is reported as an internal escalation', () => {
    const f = facts(doc(ROOT, star('kms:PutKeyPolicy')));
    expect(f.anyPrincipalInKeyAccount.putKeyPolicy).toBe(true);
    expect(f.anyPrincipalInKeyAccount.statements).toEqual(['Star']);
    expect(f.escalation.putKeyPolicy.map((p) => p.principal)).toContain('*');
  });

  it('cross-account exposure per account, org and public', () => {
    const f = facts(
      doc(
        ROOT,
        { Sid: 'Partner', ...allow(aws(rootOf(P)), USER_ACTIONS) },
        { Sid: 'Org', ...allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }) },
        { Sid: 'PartnerAdmin', ...allow(aws(rootOf(P)), 'kms:ScheduleKeyDeletion') },
      ),
    );
    expect(f.crossAccount.map((c) => [c.account, c.organization])).toEqual([
      [P, null],
      ['*', ORG],
    ]);
    const partner = f.crossAccount[0];
    expect(partner?.throughDelegation).toBe(true);
    expect(partner?.actions).not.toContain('kms:ScheduleKeyDeletion');
    expect(partner?.actionClasses).toEqual(['cryptographic', 'read']);
    expect(f.crossAccount[1]?.actions).toEqual(['kms:Decrypt']);
  });

  it('a cross-account entry appears for an account named only in a condition', () => {
    const f = facts(doc(ROOT, star('kms:Decrypt', { StringEquals: { 'kms:CallerAccount': P } })));
    expect(f.crossAccount.map((c) => c.account)).toEqual([P]);
    expect(f.crossAccount[0]?.conditions).toBe('restricting');
  });

  it('a public policy adds a "*" cross-account entry', () => {
    const f = facts(doc(ROOT, star('kms:Decrypt')));
    expect(f.crossAccount.map((c) => c.account)).toEqual(['*']);
  });
});

describe('account patterns', () => {
  it.each([
    ['kms:CallerAccount "1111*" matches accounts that are not ours', { StringLike: { 'kms:CallerAccount': '1111*' } }, true],
    ['aws:PrincipalAccount "11112222333?" can only be a sibling account', { StringLike: { 'aws:PrincipalAccount': '11112222333?' } }, true],
    ['aws:PrincipalArn with an account pattern', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::1111*:role/Admin' } }, true],
    ['aws:PrincipalAccount equal to the key account', { StringEquals: { 'aws:PrincipalAccount': K } }, false],
  ])('%s', (_n, condition, expected) => {
    expect(facts(doc(ROOT, { Sid: 'Star', ...allow('*', 'kms:Decrypt', { Condition: condition }) })).public.public, DOC.s3Public).toBe(expected);
  });
});

describe('budget', () => {
  it('fails closed as "undecidable" when the value-class product exceeds the budget, quickly', () => {
    const condition: Json = {};
    const ops = ['StringEquals', 'StringLike', 'StringNotEquals'];
    const keys = Array.from({ length: 8 }, (_x, i) => `kms:EncryptionContext:k${i}`);
    keys.forEach((k, i) => {
      const op = ops[i % ops.length] ?? 'StringEquals';
      condition[op] = { ...((condition[op] as Json | undefined) ?? {}), [k]: ['a', 'b', 'c', 'd', 'e'] };
    });
    const t0 = performance.now();
    const f = checkedFacts(doc(ROOT, { Sid: 'Star', ...allow('*', 'kms:Decrypt', { Condition: condition }) }), { keyArn: KEY }, 0);
    expect(f.public).toMatchObject({ status: 'undecidable', public: true });
    expect(f.undecidable).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
