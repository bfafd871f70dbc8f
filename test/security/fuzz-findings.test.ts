// Regressions for what fuzzing found, in process: wrong-typed attributes that define their own
// `toString`, policy documents nested deeper than the stack, and the same bytes read whole or
// streamed in chunks giving different answers. (IAM wildcards made for backtracking: bounds.test.ts.)

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { checkPlans } from '../../src/analyze';
import { UserError } from '../../src/errors';
import { parsePolicy } from '../../src/iam';
import { createPlanReader, readPlan } from '../../src/plan';
import { EMPTY_CONFIG } from '../../src/policy/config';
import { FORMATS, render } from '../../src/report';
import { builtInPolicies } from '../support/policies';
import { change, fixturePlan, type Json, type Plan } from './support';

function check(plan: Plan): readonly { ruleId: string; address: string; message: string }[] {
  const report = checkPlans([readPlan('plan.json', Buffer.from(JSON.stringify(plan)))], { policies: builtInPolicies(), config: EMPTY_CONFIG, failOn: 'high', today: '2026-06-01' });
  for (const format of FORMATS) expect(render(format, report).length).toBeGreaterThan(0);
  return report.findings;
}

describe('wrong-typed attributes are judged, never converted with their own toString', () => {
  it('key_usage and customer_master_key_spec', () => {
    const plan = fixturePlan('key-policies');
    const after = change(plan, 'aws_kms_key.cross_account')['after'] as Record<string, Json>;
    after['key_usage'] = { toString: 1 };
    after['customer_master_key_spec'] = { toString: 1, valueOf: 2 };
    const findings = check(plan).filter((f) => f.address === 'aws_kms_key.cross_account' && f.ruleId === 'key-spec-strength');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('{"toString":1,"valueOf":2}')]);
  });

  it('the protocol of security group rules, inline or separate (never HTTPS-only)', () => {
    const plan = fixturePlan('endpoints');
    (change(plan, 'aws_security_group_rule.kms_fips_https_anywhere')['after'] as Record<string, Json>)['protocol'] = { toString: 1 };
    (change(plan, 'aws_vpc_security_group_ingress_rule.kms_fips_admin_ssh')['after'] as Record<string, Json>)['ip_protocol'] = ['tcp'];
    const endpoint = check(plan).find((f) => f.ruleId === 'kms-endpoint-security-group' && f.address === 'aws_vpc_endpoint.kms_fips');
    expect(endpoint?.message).toMatch(/other than TCP 443: aws_security_group_rule.kms_fips_https_anywhere, aws_vpc_security_group_ingress_rule.kms_fips_admin_ssh/);
  });
});

describe('policy documents nested deeper than the stack', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}"v"${']'.repeat(depth)}`;
  const statement = (values: string) => `{"Effect":"Deny","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/x":${values}}}}`;

  it('an SCP 20,000 levels deep is over the size limit and invalid, for the parser and for check', () => {
    const text = `{"Version":"2012-10-17","Statement":[${statement(deep(20_000))}]}`;
    const parsed = parsePolicy(text, 'scp');
    expect(parsed.valid).toBe(false);
    expect(parsed.diagnostics.map((d) => d.code)).toContain('size-limit');
    const plan = fixturePlan('scps');
    (change(plan, 'aws_organizations_policy.deny_key_deletion')['after'] as Record<string, Json>)['content'] = text;
    expect(check(plan).find((f) => f.ruleId === 'policy-document-valid' && f.address === 'aws_organizations_policy.deny_key_deletion')?.message).toMatch(/the scp policy is 40\d+ characters; the limit is 5120/);
  });

  it('a Version or an Effect 20,000 levels deep is quoted in its diagnostic', () => {
    for (const kind of ['scp', 'key', 'endpoint', 'identity'] as const) {
      const parsed = parsePolicy(`{"Version":${deep(20_000)},"Statement":[{"Effect":${deep(20_000)},"Action":"kms:*","Resource":"*"}]}`, kind);
      expect(parsed.diagnostics.filter((d) => d.code === 'version-invalid' || d.code === 'effect-invalid').map((d) => d.message.endsWith(`"v"${']'.repeat(20_000)}`))).toEqual([true, true]);
    }
  });

  it('the size of an already-parsed document is what JSON.stringify would give', () => {
    const value = JSON.parse(`{"Version":"2012-10-17","Statement":[${statement('["a:b,\\"c\\"",1e3,-0,true,null,{"k":"\\u2028"}]')}]}`) as object;
    const size = JSON.stringify(value).length;
    expect(parsePolicy(value, 'scp').diagnostics.filter((d) => d.code === 'size-limit')).toEqual([]);
    const padded = { ...value, Id: 'x'.repeat(5_120 - size) };
    expect(parsePolicy(padded, 'scp').diagnostics.find((d) => d.code === 'size-limit')?.message).toBe(`the scp policy is ${JSON.stringify(padded).length} characters; the limit is 5120`);
  });
});

describe('reading whole and streaming agree on rejected input', () => {
  /** The error (or the document) reading the bytes whole, and streaming them in chunks of `size`. */
  function both(bytes: Buffer, size: number): [string, string] {
    const outcome = (read: () => unknown) => {
      try {
        return JSON.stringify(read());
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return error.message;
      }
    };
    return [
      outcome(() => readPlan('plan.json', bytes)),
      outcome(() => {
        const reader = createPlanReader('plan.json', { wholeFileBytes: 0 });
        for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
        return reader.end();
      }),
    ];
  }
  const plan = JSON.stringify(fixturePlan('key-settings')).slice(1);

  it('an earlier duplicate key that nests too deep or has the wrong type is refused both ways', () => {
    const cases: [string, string, RegExp][] = [
      ['configuration', `{"x":${'['.repeat(1_000)}${']'.repeat(1_000)}}`, /nesting deeper than 1000 levels/],
      ['resource_changes', '{"x":1}', /resource_changes: expected an array/],
    ];
    for (const [key, earlier, expected] of cases) {
      const [whole, streamed] = both(Buffer.from(`{"${key}":${earlier},${plan}`), 4_096);
      expect(whole).toBe(streamed);
      expect(whole).toMatch(expected);
    }
  });

  it('a colon written as an escape does not hide a duplicate key', () => {
    // The dropped member takes one colon out of the count and the escape adds one back.
    const [whole, streamed] = both(Buffer.from(`{"description":"a\\u003ab","resource_changes":1,${plan}`), 4_096);
    expect(whole).toBe(streamed);
    expect(whole).toMatch(/resource_changes: expected an array, found a number/);
  });

  it('a file that is not JSON is described from the same first bytes, however it is cut', () => {
    const hcl = Buffer.from('resource "aws_kms_key" "a" {\n  description = "x"\n  enable_key_rotation = true\n}\n');
    for (const size of [1, 5, 63, 64, 1_000]) {
      const [whole, streamed] = both(hcl, size);
      expect(streamed).toBe(whole);
      expect(whole).toMatch(/Terraform source \(HCL\)/);
    }
  });
});
