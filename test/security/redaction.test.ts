// Values Terraform marks sensitive never reach a report. Canaries are planted in copies of real fixture
// plans, everywhere Terraform marks values sensitive — `after_sensitive`/`before_sensitive` on key
// policies, descriptions, tags and endpoint policies; `sensitive_values` in prior_state and in a state;
// sensitive root variables and outputs — in attributes the findings quote. Every format of `check`
// and both forms of `access` are searched for them.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, redact, redactDeep } from '../../src/redact';
import { change, fixturePlan, kmsgate, scratch, write, type Json, type Plan } from './support';

const root = scratch('redaction');

/** Every canary carries this mark; accounts are twelve digits no fixture holds. */
const MARK = 'Q7X';
const ACCOUNT = { policy: '864213579081', variable: '864213579082', endpoint: '864213579083', before: '864213579084', prior: '864213579085', state: '864213579086' };

const statement = (sid: string, principal: Json, action: Json, extra: Record<string, Json> = {}): Json => ({ Sid: sid, Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
const document = (...statements: Json[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const root111 = statement('Root', { AWS: 'arn:aws:iam::111122223333:root' }, 'kms:*');

function markSensitive(entry: Record<string, Json>, side: 'after' | 'before', attribute: string, mask: Json = true): void {
  const key = `${side}_sensitive`;
  const current = entry[key];
  entry[key] = { ...(typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {}), [attribute]: mask };
}

/** key-policies: sensitive public and cross-account key policies, description, tags; a sensitive variable and output used unmarked. */
function keyPolicies(): Plan {
  const plan = fixturePlan('key-policies');
  const open = change(plan, 'aws_kms_key.public_stringlike');
  (open['after'] as Record<string, Json>)['policy'] = document(
    root111,
    statement(`AnyoneMay${MARK}`, { AWS: '*' }, ['kms:Decrypt', 'kms:GenerateDataKey'], { Condition: { StringLike: { 'aws:PrincipalArn': '*' } } }),
    statement('Endpoint', { AWS: '*' }, ['kms:Encrypt'], { Condition: { StringEquals: { 'aws:SourceVpce': `vpce-${MARK.toLowerCase()}0123` } } }),
    statement('Partner', { AWS: [`arn:aws:iam::${ACCOUNT.policy}:role/partner-${MARK}`, `arn:aws:iam::${ACCOUNT.policy}:root`] }, ['kms:Decrypt', 'kms:Encrypt', 'kms:PutKeyPolicy']),
    statement('Admin', { AWS: `arn:aws:iam::111122223333:role/admin-${MARK}` }, ['kms:Create*', 'kms:Decrypt', 'kms:PutKeyPolicy']),
  );
  markSensitive(open, 'after', 'policy');
  const described = change(plan, 'aws_kms_key.cross_account');
  const after = described['after'] as Record<string, Json>;
  after['description'] = `payments key ${MARK} do not share`;
  after['tags'] = { Owner: `owner-${MARK}`, Team: 'payments' };
  markSensitive(described, 'after', 'description');
  markSensitive(described, 'after', 'tags', { Owner: true });
  // Values Terraform knows are sensitive, used where the plan does not mark them (defence in depth).
  const unmarked = change(plan, 'aws_kms_key.wildcard_actions');
  (unmarked['after'] as Record<string, Json>)['policy'] = document(
    root111,
    statement('Vendor', { AWS: `arn:aws:iam::${ACCOUNT.variable}:root` }, ['kms:Decrypt']),
    statement('Operator', { AWS: `arn:aws:iam::111122223333:role/output-${MARK}` }, ['kms:*']),
  );
  plan['variables'] = { vendor_account: { value: ACCOUNT.variable } };
  const configuration = plan['configuration'] as { root_module: Record<string, Json> };
  configuration.root_module['variables'] = { vendor_account: { sensitive: true } };
  const planned = plan['planned_values'] as Record<string, Json>;
  planned['outputs'] = { operator_role: { sensitive: true, type: 'string', value: `arn:aws:iam::111122223333:role/output-${MARK}` } };
  return plan;
}

/** endpoints: a sensitive endpoint policy that allows too much. */
function endpoints(): Plan {
  const plan = fixturePlan('endpoints');
  const entry = change(plan, 'aws_vpc_endpoint_policy.kms_fips');
  (entry['after'] as Record<string, Json>)['policy'] = document({
    Sid: `EndpointAll${MARK}`,
    Effect: 'Allow',
    Principal: '*',
    Action: 'kms:*',
    Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT.endpoint}:alias/alias-${MARK}`, '*'],
  });
  markSensitive(entry, 'after', 'policy');
  return plan;
}

/** key-changes: a key policy that was sensitive before the update; its principals lose access. */
function keyChanges(): Plan {
  const plan = fixturePlan('key-changes');
  const entry = change(plan, 'aws_kms_key.customer_data');
  (entry['before'] as Record<string, Json>)['policy'] = document(root111, statement(`Leaving${MARK}`, { AWS: `arn:aws:iam::${ACCOUNT.before}:role/leaving-${MARK}` }, ['kms:Decrypt', 'kms:Encrypt', 'kms:Create*']));
  markSensitive(entry, 'before', 'policy');
  return plan;
}

type ValuesResource = { address: string; type: string; values: Record<string, Json>; sensitive_values?: Record<string, Json> };

function plantInValues(resources: ValuesResource[], address: string, account: string, where: string): void {
  const key = resources.find((r) => r.address === address);
  if (!key) throw new Error(`no ${address} among the values`);
  key.values['policy'] = document(root111, statement(`Cross${where}${MARK}`, { AWS: `arn:aws:iam::${account}:role/${where}-${MARK}` }, ['kms:Decrypt', 'kms:ScheduleKeyDeletion']));
  key.values['description'] = `${where} ${MARK}`;
  key.sensitive_values = { ...(key.sensitive_values ?? {}), policy: true, description: true };
}

/** key-changes without its changes: a refresh-only plan, read from prior_state. */
function priorState(): Plan {
  const plan = fixturePlan('key-changes');
  plan.resource_changes = [];
  const prior = plan['prior_state'] as { values: { root_module: { resources: ValuesResource[] } } };
  // The configuration sets this key's policy: the prior value is the one judged.
  plantInValues(prior.values.root_module.resources, 'aws_kms_key.customer_data', ACCOUNT.prior, 'prior');
  return plan;
}

/** `terraform show -json` of a state. */
function state(): Plan {
  const plan = fixturePlan('key-changes', 'state.json');
  const values = plan['values'] as { root_module: { resources: ValuesResource[] } };
  plantInValues(values.root_module.resources, 'aws_kms_key.analytics', ACCOUNT.state, 'state');
  return plan;
}

const USER_POLICY = `id: quotes-everything
title: Quotes descriptions and tags
severity: high
resources: [aws_kms_key]
description: A user policy that quotes what it reads.
remediation: None.
references: []
require: { path: $.values.description, equals: nothing }
message: "{{address}} is described as {{ $.values.description }}, owned by {{ $.values.tags.Owner }} ({{ $.values.tags }}), policy {{ $.values.policy }}"
evidence:
  description: $.values.description
  tags: $.values.tags
  owner: $.values.tags.Owner
  policy: $.values.policy
`;

const PLANS = { 'key-policies.json': keyPolicies, 'endpoints.json': endpoints, 'key-changes.json': keyChanges, 'prior-state.json': priorState, 'state.json': state };
const FORMATS = ['text', 'json', 'sarif', 'markdown', 'gitlab', 'junit'] as const;
const outputs = new Map<string, string>();

beforeAll(() => {
  for (const [name, build] of Object.entries(PLANS)) write(root, name, build());
  mkdirSync(join(root, 'user'));
  write(join(root, 'user'), 'quotes-everything.yaml', USER_POLICY);
  const plans = Object.keys(PLANS);
  const run = kmsgate(['check', ...plans, '--policies', 'user', '--fail-on', 'critical', ...FORMATS.map((f) => `--format=${f}=out/report.${f}`)], { cwd: root });
  expect(run.stderr).toBe('');
  outputs.set('check stdout', run.stdout);
  for (const format of FORMATS) outputs.set(format, readFileSync(join(root, `out/report.${format}`), 'utf8'));
  for (const json of [true, false]) {
    const access = kmsgate(['access', ...plans, ...(json ? ['--json'] : [])], { cwd: root });
    expect(access.stderr).toBe('');
    outputs.set(`access${json ? ' --json' : ''}`, access.stdout);
  }
});

describe('sensitive values in every report', () => {
  it('no output holds a canary or a piece of one', () => {
    const leaks: string[] = [];
    for (const [name, text] of outputs) {
      for (const secret of [MARK, MARK.toLowerCase(), ...Object.values(ACCOUNT)]) {
        const at = text.indexOf(secret);
        if (at >= 0) leaks.push(`${name}: ${JSON.stringify(text.slice(Math.max(0, at - 120), at + 40))}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('the findings are about the sensitive attributes: they are reported, with the values hidden', () => {
    const report = JSON.parse(outputs.get('json') ?? '{}') as { findings: { ruleId: string; address: string; file: string; message: string; evidence?: Record<string, unknown> }[] };
    const about = (file: string, address: string, ruleId: string) => report.findings.filter((f) => f.file === file && f.address === address && f.ruleId === ruleId);
    const one = (file: string, address: string, ruleId: string) => {
      const found = about(file, address, ruleId);
      expect(found.length, `${ruleId} on ${address} in ${file}`).toBeGreaterThan(0);
      return found.map((f) => f.message).join('\n');
    };
    expect(one('key-policies.json', 'aws_kms_key.public_stringlike', 'key-policy-no-public-access')).toContain(REDACTED);
    expect(one('key-policies.json', 'aws_kms_key.public_stringlike', 'key-policy-trusted-accounts')).toContain(REDACTED);
    expect(one('key-policies.json', 'aws_kms_key.public_stringlike', 'key-policy-separation-of-duties')).toContain(REDACTED);
    const described = about('key-policies.json', 'aws_kms_key.cross_account', 'quotes-everything')[0];
    expect(described?.message).toMatch(/is described as \(sensitive\), owned by \(sensitive\)/);
    expect(described?.evidence).toMatchObject({ description: REDACTED, owner: REDACTED });
    expect(one('key-policies.json', 'aws_kms_key.wildcard_actions', 'key-policy-trusted-accounts')).toContain(`account ${REDACTED}`);
    expect(one('key-policies.json', 'aws_kms_key.wildcard_actions', 'key-policy-no-wildcard-actions')).toContain(REDACTED);
    expect(one('endpoints.json', 'aws_vpc_endpoint.kms_fips', 'kms-endpoint-policy')).toContain(REDACTED);
    expect(one('key-changes.json', 'aws_kms_key.customer_data', 'key-policy-access-change')).toContain(REDACTED);
    expect(one('prior-state.json', 'aws_kms_key.customer_data', 'key-policy-trusted-accounts')).toContain(REDACTED);
    expect(one('state.json', 'aws_kms_key.analytics', 'key-policy-trusted-accounts')).toContain(REDACTED);
  });

  it('the access matrix lists the sensitive principals, hidden', () => {
    const rows = JSON.parse(outputs.get('access --json') ?? '[]') as { address: string; file: string; principals?: { principal: string }[]; crossAccount?: { account: string }[] }[];
    const open = rows.find((r) => r.file === 'key-policies.json' && r.address === 'aws_kms_key.public_stringlike');
    expect(open?.principals?.map((p) => p.principal)).toContain(REDACTED);
    expect(open?.crossAccount?.map((c) => c.account)).toContain(REDACTED);
  });
});

describe('redact', () => {
  const set = (...values: string[]) => new Set(values);

  it('hides a value contained in a longer one without leaving the rest of the longer one', () => {
    expect(redact('key abcd-SECRET-tail used', set('abcd', 'abcd-SECRET-tail'))).toBe(`key ${REDACTED} used`);
    expect(redact('key abcd-SECRET-tail used', set('SECRET', 'abcd-SECRET-tail'))).toBe(`key ${REDACTED} used`);
  });

  it('merges overlapping and touching values into one replacement', () => {
    expect(redact('xx abcdef-ghijkl yy', set('abcdef-gh', 'ef-ghijkl'))).toBe(`xx ${REDACTED} yy`);
    expect(redact('first-second', set('first-', 'second'))).toBe(REDACTED);
    expect(redact('a secret and a secret', set('secret'))).toBe(`a ${REDACTED} and a ${REDACTED}`);
  });

  it('compares short values only with the whole text', () => {
    expect(redact('abc', set('abc'))).toBe(REDACTED);
    expect(redact('abcabc', set('abc'))).toBe('abcabc');
  });

  it('hides the pieces of a sensitive policy document a message could quote, not its grammar', () => {
    const policy = document(statement('PartnerSid', { AWS: ['arn:aws:iam::444455556666:role/partner', '777788889999'] }, ['kms:Decrypt'], { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } } }));
    const sensitive = set(policy);
    expect(redact('account 444455556666 can use the key (statement PartnerSid)', sensitive)).toBe(`account ${REDACTED} can use the key (statement ${REDACTED})`);
    expect(redact('arn:aws:iam::444455556666:role/partner may kms:Decrypt', sensitive)).toBe(`${REDACTED} may kms:Decrypt`);
    expect(redact('through vpce-0abc or 777788889999', sensitive)).toBe(`through ${REDACTED} or ${REDACTED}`);
    expect(redact('Allow kms:Decrypt 2012-10-17', sensitive)).toBe('Allow kms:Decrypt 2012-10-17');
  });

  it('matches a piece only as a whole word; a whole sensitive value anywhere', () => {
    const sensitive = set(document(statement('Root', { AWS: 'arn:aws:iam::444455556666:root' }, 'kms:*')), 'Secretive');
    expect(redact('statement EnableRootAccess, statement Root', sensitive)).toBe(`statement EnableRootAccess, statement ${REDACTED}`);
    expect(redact('NotSecretive', sensitive)).toBe(`Not${REDACTED}`);
  });

  it('copes with a sensitive value holding JSON nested deeper than the call stack', () => {
    const deep = `${'['.repeat(100_000)}"inner-secret"${']'.repeat(100_000)}`;
    expect(redact('the inner-secret', set(deep))).toBe(`the ${REDACTED}`);
  });

  it('hides strings and sensitive numbers inside structured values', () => {
    expect(redactDeep({ a: ['x secret y', 12345], b: { c: 'secret' } }, set('secret', '12345'))).toEqual({ a: [`x ${REDACTED} y`, REDACTED], b: { c: REDACTED } });
  });

  it('stays fast with many sensitive values and long messages', () => {
    const many = set(...Array.from({ length: 20_000 }, (_, i) => `arn:aws:iam::111122223333:role/r${i}`));
    const message = `${'arn:aws:iam::111122223333:role/x '.repeat(2_000)}arn:aws:iam::111122223333:role/r19999`;
    const start = performance.now();
    for (let i = 0; i < 20; i += 1) expect(redact(message, many).endsWith(REDACTED)).toBe(true);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
