import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmsgate } from './run';

const dir = mkdtempSync(join(tmpdir(), 'kmsgate-sim-'));
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('kmsgate simulate', () => {
  it('answers a scenario file (SPEC §6) and explains the decision, as text and JSON', () => {
    const scenario = join(dir, 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        key: { arn: KEY, account: '111122223333' },
        keyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
            { Sid: 'DenyOutsideVpce', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0abc' } } },
          ],
        },
        identityPolicies: 'allow-all',
        request: { principal: 'arn:aws:sts::111122223333:assumed-role/App/s1', action: 'kms:Decrypt', resource: KEY, context: {} },
      }),
    );
    const json = kmsgate(['simulate', scenario, '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { decision: string; statements: { policy: string; sid: string; effect: string }[]; notes: string[] };
    expect(result.decision).toBe('explicit-deny');
    expect(result.statements).toContainEqual({ policy: 'keyPolicy', sid: 'DenyOutsideVpce', effect: 'Deny' });
    const text = kmsgate(['simulate', scenario]);
    expect(text.stdout).toMatch(/^decision: explicit-deny/);
  });

  it('answers the flag form', () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }] }));
    const args = ['simulate', '--policy', policy, '--principal', 'arn:aws:iam::999988887777:role/x', '--action', 'kms:Decrypt', '--key-arn', KEY, '--json'];
    expect(JSON.parse(kmsgate(args).stdout).decision).toBe('implicit-deny');
    expect(JSON.parse(kmsgate([...args, '--context', 'aws:PrincipalOrgID=o-abc123']).stdout).decision).toBe('allow');
  });

  it('rejects a broken scenario with one line naming the place', () => {
    const scenario = join(dir, 'broken.json');
    writeFileSync(scenario, JSON.stringify({ key: { arn: 'not-an-arn' }, keyPolicy: {}, request: {} }));
    const run = kmsgate(['simulate', scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('broken.json: $.');
  });
});

describe('kmsgate access', { timeout: 60_000 }, () => {
  it('prints who can do what per key, and JSON with --json', () => {
    const run = kmsgate(['access', 'policies/fixtures/key-policies/plan.json', '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { address: string; known: boolean; public?: boolean; principals?: { principal: string; actionClasses: string[] }[] }[];
    const admin = rows.find((r) => r.address === 'aws_kms_key.admin_can_decrypt');
    expect(admin?.principals?.find((p) => p.principal.endsWith('role/KeyAdministrator'))?.actionClasses).toEqual(['administrative', 'cryptographic', 'grant', 'read']);
    expect(rows.find((r) => r.address === 'aws_kms_key.public_stringlike')?.public).toBe(true);
    // The plan's folder holds its .tf files: the jsonencode policy is rebuilt from them.
    expect(rows.find((r) => r.address === 'aws_kms_key.ledger_jsonencode')?.known).toBe(true);
    const alone = join(dir, 'plan.json');
    copyFileSync('policies/fixtures/key-policies/plan.json', alone);
    const blind = JSON.parse(kmsgate(['access', alone, '--json']).stdout) as { address: string; known: boolean; reason?: string }[];
    const unknown = blind.find((r) => r.address === 'aws_kms_key.ledger_jsonencode');
    expect(unknown?.known).toBe(false);
    expect(unknown?.reason).toContain('aws_iam_role.ledger_writer.arn');
    const text = kmsgate(['access', 'policies/fixtures/key-policies/plan.json']);
    expect(text.stdout).toContain('principal');
    expect(text.stdout).toContain('public: yes');
  });
});
