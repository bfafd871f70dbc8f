// Input built to make evaluation blow up — thousands of statements with wildcard principals, actions
// and condition keys, very long action lists, many keys, many condition keys, deep nesting — finishes
// in bounded time with a report (or stops with a clear error). Bounds are generous (a slow CI machine,
// several test files at once); the times measured on a quiet machine are in docs/security.md.

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { checkPlans } from '../../src/analyze';
import { parsePolicy } from '../../src/iam';
import { globMatch } from '../../src/glob';
import { readPlan } from '../../src/plan';
import { EMPTY_CONFIG } from '../../src/policy/config';
import { OPERATOR_FUNCTIONS } from '../../src/policy/operators';
import { FORMATS, render } from '../../src/report';
import { builtInPolicies } from '../support/policies';
import { fixturePlan, timed, type Json } from './support';

const ROOT_STATEMENT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const OPERATORS = ['StringLike', 'StringEquals', 'StringNotLike', 'ArnLike', 'ForAnyValue:StringLike', 'StringEqualsIfExists', 'StringNotEqualsIfExists', 'ArnNotLike'];
const KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalArn', 'aws:SourceVpce', 'aws:SourceVpc', 'kms:CallerAccount', 'aws:PrincipalAccount', 'aws:PrincipalTag/team', 'kms:ViaService', 'aws:SourceIp', 'kms:EncryptionContext:app'];

/** A statement with many wildcard principals, wildcard actions and several condition keys of several values. */
function statement(i: number, effect: 'Allow' | 'Deny' = i % 3 === 0 ? 'Deny' : 'Allow'): Json {
  return {
    Sid: `S${i}`,
    Effect: effect,
    Principal: { AWS: Array.from({ length: 5 }, (_, j) => `arn:aws:iam::${111122223333 + ((i * 7 + j) % 50)}:role/r${i}-${j}*`) },
    Action: ['kms:*Key*', 'kms:Get*', 'kms:Create*', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: Object.fromEntries(Array.from({ length: 4 }, (_, k) => [OPERATORS[(i + k) % OPERATORS.length]!, { [KEYS[(i + k) % KEYS.length]!]: Array.from({ length: 4 }, (_, v) => `v${i}-${k}-${v}*`) }])),
  };
}

const document = (statements: Json[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** The key-policies fixture with its keys replaced by `policies.length` keys holding these policies. */
function planWith(policies: readonly string[]): Buffer {
  const plan = fixturePlan('key-policies');
  const template = plan.resource_changes.find((r) => r.address === 'aws_kms_key.cross_account')!;
  const keys = policies.map((policy, i) => {
    const entry = structuredClone(template) as typeof template & { name: string };
    entry.address = `aws_kms_key.k${i}`;
    entry.name = `k${i}`;
    (entry.change['after'] as Record<string, Json>)['policy'] = policy;
    return entry;
  });
  plan.resource_changes = [...plan.resource_changes.filter((r) => r.type !== 'aws_kms_key'), ...keys];
  delete plan['configuration'];
  return Buffer.from(JSON.stringify(plan), 'utf8');
}

/** The whole check and every format, in process; returns the findings count and the time taken. */
function check(bytes: Buffer): { findings: number; ms: number } {
  const { value, ms } = timed(() => {
    const report = checkPlans([readPlan('plan.json', bytes)], { policies: builtInPolicies(), config: EMPTY_CONFIG, failOn: 'high', today: '2026-06-01' });
    for (const format of FORMATS) expect(render(format, report).length).toBeGreaterThan(0);
    return report.findings.length;
  });
  return { findings: value, ms };
}

describe('evaluation stays bounded', () => {
  it('a key policy as complex as fits in 32 KB', () => {
    const statements: Json[] = [ROOT_STATEMENT];
    for (let i = 0; document([...statements, statement(i)]).length < 32_000; i += 1) statements.push(statement(i));
    const { findings, ms } = check(planWith([document(statements)]));
    expect(findings).toBeGreaterThan(0);
    expect(ms).toBeLessThan(20_000);
  });

  it('a 2.4 MB key policy of 3,000 such statements (over the size limit, judged anyway)', () => {
    const { findings, ms } = check(planWith([document([ROOT_STATEMENT, ...Array.from({ length: 3_000 }, (_, i) => statement(i))])]));
    expect(findings).toBeGreaterThan(0);
    expect(ms).toBeLessThan(60_000);
  });

  it('one statement with an action list of 100,000 entries', () => {
    const actions = Array.from({ length: 100_000 }, (_, i) => ['kms:Decrypt', 'kms:Encrypt', 'kms:Get*', 'kms:List*', 'kms:Describe*'][i % 5]!);
    const { ms } = check(planWith([document([ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: '*' }, Action: actions, Resource: '*' }])]));
    expect(ms).toBeLessThan(60_000);
  });

  it('300 keys, each with its own policy of 8 such statements', () => {
    const policies = Array.from({ length: 300 }, (_, i) => document([ROOT_STATEMENT, ...Array.from({ length: 8 }, (_, j) => statement(i * 10 + j))]));
    const { findings, ms } = check(planWith(policies));
    expect(findings).toBeGreaterThan(300);
    expect(ms).toBeLessThan(60_000);
  });

  it('120 condition keys of 10 values each, in an Allow and a Deny (past the search budget: unknown, not a guess)', () => {
    const condition = {
      StringLike: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`aws:PrincipalTag/t${k}`, Array.from({ length: 10 }, (_, v) => `a${v}*`)])),
      StringNotEquals: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`aws:PrincipalTag/u${k}`, Array.from({ length: 10 }, (_, v) => `b${v}`)])),
    };
    const { ms } = check(
      planWith([
        document([
          ROOT_STATEMENT,
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: condition },
          { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: condition },
        ]),
      ]),
    );
    expect(ms).toBeLessThan(20_000);
  });

  it('condition values nested 5,000 deep in a key policy', () => {
    const deep = `${'['.repeat(5_000)}"vpce-1"${']'.repeat(5_000)}`;
    const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":${deep}}}}]}`;
    const { ms } = check(planWith([policy]));
    expect(ms).toBeLessThan(20_000);
  });

  it('IAM wildcards made for backtracking: an SCP denying unless StringNotLike ["*a*a*a*a*a*a*a*b", 300 × "a"]', () => {
    const plan = fixturePlan('scps');
    const scp = plan.resource_changes.find((r) => r.address === 'aws_organizations_policy.allow_key_deletion')!;
    const condition = { StringNotLike: { 'aws:PrincipalOrgID': ['*a*a*a*a*a*a*a*b', 'a'.repeat(300)], 'aws:SourceVpce': ['*a*a*a*a*a*b', 'a'.repeat(100_000)] } };
    (scp.change['after'] as Record<string, Json>)['content'] = document([{ Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: condition }]);
    const { ms } = check(Buffer.from(JSON.stringify(plan), 'utf8'));
    expect(ms).toBeLessThan(20_000);
  });

  it('an SCP whose content nests 20,000 levels deep (parser alone)', () => {
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/x":${'['.repeat(20_000)}"v"${']'.repeat(20_000)}}}}]}`;
    const { value, ms } = timed(() => parsePolicy(text, 'scp'));
    expect(value.valid).toBe(false);
    expect(ms).toBeLessThan(20_000);
  });

  it('the policy parser alone: an identity policy of 20,000 statements (9 MB)', () => {
    const text = document(Array.from({ length: 20_000 }, (_, i) => statement(i)));
    const { value, ms } = timed(() => parsePolicy(text, 'identity'));
    expect(value.document?.statements).toHaveLength(20_000);
    expect(ms).toBeLessThan(30_000);
  });
});

describe('globs in policy operators and waivers are linear, whatever the pattern', () => {
  const cases: [string, string][] = [
    [`${'*a'.repeat(50)}*b`, 'a'.repeat(100_000)],
    [`${'?*'.repeat(50)}x`, 'y'.repeat(100_000)],
    [`*${'a'.repeat(200)}b`, 'a'.repeat(20_000)],
    [`${'*'.repeat(10_000)}b`, 'a'.repeat(10_000)],
  ];
  for (const [pattern, text] of cases) {
    it(`${pattern.slice(0, 24)}… over ${text.length} characters`, () => {
      const { value, ms } = timed(() => [globMatch(pattern, text), OPERATOR_FUNCTIONS.matches(text, pattern, true), OPERATOR_FUNCTIONS.subsetOf([text, text], [pattern], false)]);
      expect(value).toEqual([false, false, false]);
      expect(ms).toBeLessThan(2_000);
    });
  }
});
