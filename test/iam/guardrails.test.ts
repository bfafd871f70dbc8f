// SCP guardrails, VPC endpoint policies and identity policies as facts.
import { describe, expect, it } from 'vitest';
import { endpointPolicyFacts, identityPolicyFacts, parsePolicy, scpFacts, type ScpLevelInput } from '../../src/iam';
import { DOC, K, KEY, OTHER_KEY, iamAllow, identity, role, type Json } from './fixtures';

const scp = (...Statement: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const GUARDIAN = role('KeyGuardian');
const DENY_DELETE_EXCEPT = scp({ Sid: 'NoDelete', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:Delete*'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': GUARDIAN } } });
const ALLOW_ONLY = scp({ Sid: 'Allow', Effect: 'Allow', NotAction: ['kms:ScheduleKeyDeletion'], Resource: '*' });

interface ScpCase {
  name: string;
  ref: string;
  levels: ScpLevelInput[];
  action: string;
  expect: { deniedToOthers: boolean; deniedBy?: 'explicit-deny' | 'no-allow' | null; exempt?: string[]; guardiansDenied?: string[]; conditional?: boolean };
  managementAccount?: boolean;
  ineffective?: string[];
}

const cases: ScpCase[] = [
  { name: 'Deny with ArnNotLike guardians denies everyone else', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, deniedBy: 'explicit-deny', exempt: [GUARDIAN], guardiansDenied: [] } },
  { name: 'the same Deny covers kms:Delete* actions', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }], action: 'kms:DeleteImportedKeyMaterial', expect: { deniedToOthers: true, exempt: [GUARDIAN] } },
  { name: 'an Allow-only SCP next to FullAWSAccess is ineffective', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess', ALLOW_ONLY] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: false, deniedBy: null }, ineffective: ['root'] },
  { name: 'an allow-list at an OU without FullAWSAccess restricts', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess'] }, { level: 'ou', policies: [ALLOW_ONLY] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, deniedBy: 'no-allow' }, ineffective: [] },
  { name: 'FullAWSAccess alone denies nothing', ref: DOC.scps, levels: [{ level: 'root', policies: ['FullAWSAccess'] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: false, deniedBy: null } },
  { name: 'SCPs do not apply to the management account', ref: DOC.scps, levels: [{ level: 'root', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }], action: 'kms:ScheduleKeyDeletion', managementAccount: true, expect: { deniedToOthers: false } },
  { name: 'a Deny without exemption also denies the guardians', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Sid: 'NoDelete', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' })] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, guardiansDenied: [GUARDIAN], exempt: [] } },
  { name: 'a Deny conditioned on a principal tag is conditional', ref: DOC.globalKeys, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/role': 'guardian' } } })] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: false, conditional: true } },
  { name: 'StringNotEquals aws:PrincipalArn with the role ARN exempts the role\'s sessions', ref: DOC.globalKeys, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Effect: 'Deny', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': GUARDIAN } } })] }], action: 'kms:PutKeyPolicy', expect: { deniedToOthers: true, exempt: [GUARDIAN] } },
  { name: 'StringNotEquals with a wildcard exempts nobody (no expansion)', ref: DOC.operators, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Effect: 'Deny', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': role('Key*') } } })] }], action: 'kms:PutKeyPolicy', expect: { deniedToOthers: true, guardiansDenied: [GUARDIAN] } },
  { name: 'a Deny on another key\'s ARN does not guard this key', ref: DOC.scpSyntax, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Effect: 'Deny', Action: 'kms:PutKeyPolicy', Resource: OTHER_KEY })] }], action: 'kms:PutKeyPolicy', expect: { deniedToOthers: false } },
  { name: 'a Deny on this key\'s ARN guards it (Sept 2025: resources in SCPs)', ref: DOC.scpSyntax, levels: [{ level: 'root', policies: ['FullAWSAccess', scp({ Effect: 'Deny', Action: 'kms:PutKeyPolicy', Resource: KEY })] }], action: 'kms:PutKeyPolicy', expect: { deniedToOthers: true } },
  { name: 'a Deny at the OU level binds the account below', ref: DOC.scpEvaluation, levels: [{ level: 'root', policies: ['FullAWSAccess'] }, { level: 'ou', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }, { level: 'account', policies: ['FullAWSAccess'] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, exempt: [GUARDIAN] } },
  { name: 'an allow-list with a condition (Sept 2025) restricts where FullAWSAccess is absent', ref: DOC.scpSyntax, levels: [{ level: 'root', policies: ['FullAWSAccess'] }, { level: 'account', policies: [scp({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': GUARDIAN } } })] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, deniedBy: 'no-allow', exempt: [GUARDIAN] } },
  { name: 'the root user of a member account is bound too', ref: DOC.scps, levels: [{ level: 'root', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }], action: 'kms:ScheduleKeyDeletion', expect: { deniedToOthers: true, exempt: [GUARDIAN] } },
];

describe('SCP guardrails', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const f = scpFacts(c.levels, { actions: [c.action], keyAccount: K, keyArn: KEY, guardians: [GUARDIAN], managementAccount: c.managementAccount ?? false });
    const a = f.actions[0];
    expect(a?.action).toBe(c.action);
    expect(a, c.ref).toMatchObject(c.expect);
    if (c.ineffective) expect(f.ineffectiveAllowOnly.map((i) => i.level)).toEqual(c.ineffective);
  });

  it('kms:Delete* is expanded against the catalogue', () => {
    const f = scpFacts([{ level: 'root', policies: ['FullAWSAccess', DENY_DELETE_EXCEPT] }], { actions: ['kms:Delete*'], keyAccount: K, guardians: [GUARDIAN] });
    expect(f.actions.map((a) => a.action)).toEqual(['kms:DeleteAlias', 'kms:DeleteCustomKeyStore', 'kms:DeleteImportedKeyMaterial']);
    expect(f.actions.every((a) => a.deniedToOthers)).toBe(true);
  });

  it('states whom SCPs never bind', () => {
    const f = scpFacts([{ level: 'root', policies: ['FullAWSAccess'] }], { actions: ['kms:ScheduleKeyDeletion'], keyAccount: K });
    expect(f.notBound).toContain('service-linked roles');
    expect(f.applies).toBe(true);
  });

  it('NotPrincipal is not allowed in an SCP', () => {
    const r = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: GUARDIAN }, Action: 'kms:*', Resource: '*' }] }, 'scp');
    expect(r.diagnostics.map((d) => [d.code, d.path])).toContainEqual(['principal-not-allowed', '$.Statement[0].NotPrincipal']);
  });
});

describe('VPC endpoint policy facts', () => {
  const ALLOWED = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
  it('no policy is the default full access', () => {
    const f = endpointPolicyFacts(null, { allowedActions: ALLOWED });
    expect(f).toMatchObject({ defaultFullAccess: true, allowsAnyPrincipal: true, wildcardActions: true, resourcesOtherThanKeyArns: ['*'] });
    expect(f.actionsBeyond).toContain('kms:ScheduleKeyDeletion');
  });
  it('a specific policy: actions within the list, key ARNs only', () => {
    const f = endpointPolicyFacts(JSON.stringify({ Statement: [{ Sid: 'Use', Effect: 'Allow', Principal: { AWS: role('App') }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY }] }), { allowedActions: ALLOWED });
    expect(f).toMatchObject({ defaultFullAccess: false, allowsAnyPrincipal: false, principals: [role('App')], actionsBeyond: [], resourcesOtherThanKeyArns: [], wildcardActions: false, statements: ['Use'] });
  });
  it('the KMS documentation example ({"AWS": "*"}, Resource "*") allows any principal on any key', () => {
    const f = endpointPolicyFacts(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] }), { allowedActions: ALLOWED });
    expect(f).toMatchObject({ allowsAnyPrincipal: true, resourcesOtherThanKeyArns: ['*'], actionsBeyond: [] });
  });
  it('actions beyond the list and wildcard actions', () => {
    const f = endpointPolicyFacts(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: `arn:aws:kms:us-east-1:${K}:key/*` }] }), { allowedActions: ALLOWED });
    expect(f.wildcardActions).toBe(true);
    expect(f.actionsBeyond).toContain('kms:PutKeyPolicy');
    expect(f.resourcesOtherThanKeyArns).toEqual([`arn:aws:kms:us-east-1:${K}:key/*`]);
  });
  it('an unconditional Deny removes actions', () => {
    const f = endpointPolicyFacts(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: KEY }, { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }] }), { allowedActions: ALLOWED });
    expect(f.actions).not.toContain('kms:PutKeyPolicy');
    expect(f.actionsBeyond).toContain('kms:ScheduleKeyDeletion');
  });
  it('a symbolic key ARN counts as a specific key', () => {
    const f = endpointPolicyFacts(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '${tf:aws_kms_key.app.arn}' }] }));
    expect(f.resourcesOtherThanKeyArns).toEqual([]);
  });
});

describe('identity policy facts', () => {
  it.each([
    ['kms:Decrypt on "*"', identity(iamAllow('kms:Decrypt')), [true, false, false]],
    ['kms:* on "*"', identity(iamAllow('kms:*')), [true, true, true]],
    ['"*" on "*"', identity(iamAllow('*')), [true, true, true]],
    ['a specific key ARN', identity(iamAllow(['kms:Decrypt', 'kms:ReEncryptFrom'], KEY)), [false, false, false]],
    ['every key of every account by ARN pattern', identity(iamAllow('kms:Decrypt', 'arn:aws:kms:*:*:key/*')), [true, false, false]],
    ['kms:ReEncrypt* covers ReEncryptFrom', identity(iamAllow('kms:ReEncrypt*')), [false, true, false]],
    ['an unconditional Deny takes it away', identity(iamAllow('kms:*'), { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }), [false, true, true]],
    ['NotAction allows the rest on "*"', identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), [true, true, true]],
    ['NotResource of one key is every other key', identity({ Effect: 'Allow', Action: 'kms:Decrypt', NotResource: KEY }), [true, false, false]],
  ])('%s', (_n, policy, [decrypt, reencrypt, all]) => {
    const f = identityPolicyFacts(JSON.stringify(policy));
    expect([f.allowsDecryptOnAnyKey, f.allowsReEncryptFromOnAnyKey, f.allowsAllKmsOnAnyKey], DOC.iamBestPractices).toEqual([decrypt, reencrypt, all]);
  });
  it('reports the condition strength of the grant', () => {
    const f = identityPolicyFacts(JSON.stringify(identity(iamAllow('kms:Decrypt', '*', { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }))));
    expect(f.onAnyKey[0]).toMatchObject({ allowed: true, conditions: 'non-restricting' });
  });
});
