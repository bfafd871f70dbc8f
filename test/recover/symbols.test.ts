// What the rebuilt documents say about values known only after apply: the symbol table the IAM stage
// reads principals and accounts from, ARNs written out when name, path and account are known, and
// Unknowns that name what they wait on.

import { beforeAll, describe, expect, it } from 'vitest';
import { Unknown } from '../../src/model';
import type { RecoveredDocument } from '../../src/recover';
import { recoverCase, type CaseRecovery } from './support';

function rebuilt(value: RecoveredDocument | Unknown | undefined): RecoveredDocument {
  if (!value || value instanceof Unknown) throw new Error(`not rebuilt: ${value?.reason ?? 'undefined'}`);
  return value;
}

function unknown(value: RecoveredDocument | Unknown | undefined): Unknown {
  if (!(value instanceof Unknown)) throw new Error('rebuilt, expected Unknown');
  return value;
}

const ACCOUNT = '111122223333';

describe('data-document', () => {
  let c: CaseRecovery;
  beforeAll(async () => {
    c = await recoverCase('data-document');
  });

  it('writes the ARN of a role whose name, path and account are known, and of a user', () => {
    const { text, value } = rebuilt(c.planOnly.document(c.resource('data.aws_iam_policy_document.key'), 'json'));
    expect(text).toContain(`"arn:aws:iam::${ACCOUNT}:role/security/kms-admin"`);
    expect(JSON.stringify(value)).toContain(`"arn:aws:iam::${ACCOUNT}:user/kms-auditor"`);
  });

  it('keeps a role named by a prefix symbolic, as a role of the caller account', () => {
    for (const recovery of [c.planOnly, c.withSource]) {
      const { symbols } = rebuilt(recovery.document(c.resource('aws_kms_key.main'), 'policy'));
      expect(symbols).toEqual({ 'aws_iam_role.app.arn': { type: 'role', account: ACCOUNT, address: 'aws_iam_role.app' } });
    }
  });

  it('renders minified_json the provider way', () => {
    const { text } = rebuilt(c.planOnly.document(c.resource('aws_kms_key.minified'), 'policy'));
    expect(text.startsWith('{"Id":"key-main","Statement":[')).toBe(true);
  });

  it('has nothing to recover for known values and unset attributes', () => {
    expect(c.withSource.document(c.resource('aws_iam_role.admin'), 'assume_role_policy')).toBeUndefined();
    expect(c.withSource.document(c.resource('aws_iam_role.admin'), 'name')).toBeUndefined();
  });
});

describe('jsonencode', () => {
  let c: CaseRecovery;
  beforeAll(async () => {
    c = await recoverCase('jsonencode');
  });

  it('gives endpoint ids the endpoint type and address, and role ARNs the role type', () => {
    const { symbols, value } = rebuilt(c.withSource.document(c.resource('aws_kms_key.main'), 'policy'));
    expect(symbols).toEqual({
      'aws_iam_role.app.arn': { type: 'role', account: ACCOUNT, address: 'aws_iam_role.app' },
      'aws_vpc_endpoint.kms.id': { type: 'endpoint', account: ACCOUNT, address: 'aws_vpc_endpoint.kms' },
    });
    const statements = (value as { Statement: { Sid: string; Condition?: unknown }[] }).Statement;
    expect(statements.find((s) => s.Sid === 'KeyUseThroughEndpoint')?.Condition).toEqual({
      StringEquals: { 'aws:SourceVpce': '${tf:aws_vpc_endpoint.kms.id}', 'kms:CallerAccount': ACCOUNT },
    });
  });

  it('gives key ARNs the key type', () => {
    const { symbols } = rebuilt(c.withSource.document(c.resource('aws_iam_role_policy.app_decrypt'), 'policy'));
    expect(symbols).toEqual({ 'aws_kms_key.main.arn': { type: 'key', account: ACCOUNT, address: 'aws_kms_key.main' } });
  });

  it('without source, names what the policy waits on (not the values the plan knows)', () => {
    const result = unknown(c.planOnly.document(c.resource('aws_kms_key.main'), 'policy'));
    expect(result.waitsOn).toEqual(['aws_iam_role.admin.arn', 'aws_iam_role.app.arn', 'aws_vpc_endpoint.kms.id']);
    expect(result.reason).toContain('--source-dir');
    expect(result.resource).toBe('aws_kms_key.main');
  });

  it('leaves an unset endpoint policy alone: AWS applies its default', () => {
    expect(c.withSource.document(c.resource('aws_vpc_endpoint.kms'), 'policy')).toBeUndefined();
  });
});

describe('modules', () => {
  let c: CaseRecovery;
  beforeAll(async () => {
    c = await recoverCase('modules');
  });

  it('follows a module variable to the root resource it names', () => {
    const { symbols, value } = rebuilt(c.withSource.document(c.resource('module.tenant["payments.eu"].aws_kms_key.operations'), 'policy'));
    expect(symbols).toEqual({ 'aws_iam_role.operator.arn': { type: 'role', account: ACCOUNT, address: 'aws_iam_role.operator' } });
    expect(JSON.stringify(value)).toContain('"kms:EncryptionContext:tenant":"payments.eu"');
  });

  it('gives each instance of a for_each resource its own key', () => {
    const { symbols } = rebuilt(c.withSource.document(c.resource('aws_kms_key.team["green"]'), 'policy'));
    expect(symbols).toEqual({
      'aws_iam_role.team["green"].arn': { type: 'role', account: ACCOUNT, address: 'aws_iam_role.team["green"]' },
    });
  });

  it('writes the ARN of a role created inside a module instance', () => {
    const { text } = rebuilt(c.planOnly.document(c.resource('module.shared[1].aws_kms_key.this'), 'policy'));
    expect(text).toContain(`arn:aws:iam::${ACCOUNT}:role/shared-1-service`);
  });

  it('without source, names the root resource behind a module variable', () => {
    const result = unknown(c.planOnly.document(c.resource('module.shared[0].aws_kms_key.operations'), 'policy'));
    expect(result.waitsOn).toEqual(['aws_iam_role.operator.arn']);
  });
});

describe('merge', () => {
  let c: CaseRecovery;
  beforeAll(async () => {
    c = await recoverCase('merge');
  });

  it('leaves the account out when the plan does not tell it', () => {
    const { symbols } = rebuilt(c.planOnly.document(c.resource('aws_kms_key.main'), 'policy'));
    expect(symbols['aws_iam_role.admin.arn']).toEqual({ type: 'role', address: 'aws_iam_role.admin' });
  });

  it('without source, an override written with jsonencode waits on its references', () => {
    const result = unknown(c.planOnly.document(c.resource('aws_kms_key.inline_override'), 'policy'));
    expect(result.waitsOn).toEqual(['aws_iam_role.admin.arn']);
  });
});

describe('locals and endpoint-scp', () => {
  it('without source, a policy built from locals waits on the locals', async () => {
    const c = await recoverCase('locals');
    expect(unknown(c.planOnly.document(c.resource('aws_kms_key.locals'), 'policy')).waitsOn).toEqual(['local.policy']);
  });

  it('names the key an endpoint policy allows and the roles an SCP exempts', async () => {
    const c = await recoverCase('endpoint-scp');
    expect(rebuilt(c.withSource.document(c.resource('aws_vpc_endpoint.kms'), 'policy')).symbols).toEqual({
      'aws_kms_key.main.arn': { type: 'key', account: ACCOUNT, address: 'aws_kms_key.main' },
    });
    const scp = rebuilt(c.withSource.document(c.resource('aws_organizations_policy.deny_key_deletion'), 'content'));
    expect(scp.symbols).toEqual({ 'aws_iam_role.breakglass.arn': { type: 'role', account: ACCOUNT, address: 'aws_iam_role.breakglass' } });
    expect(scp.text).toContain(`"arn:aws:iam::${ACCOUNT}:role/kms-guardian"`);
  });
});

describe('dynamic', () => {
  it('without source, says why statements from dynamic blocks cannot be rebuilt', async () => {
    const c = await recoverCase('dynamic');
    const result = unknown(c.planOnly.document(c.resource('data.aws_iam_policy_document.key'), 'json'));
    expect(result.reason).toContain('dynamic blocks');
    expect(unknown(c.planOnly.document(c.resource('aws_kms_key.dynamic'), 'policy')).waitsOn).toEqual(['data.aws_iam_policy_document.key.json']);
  });
});
