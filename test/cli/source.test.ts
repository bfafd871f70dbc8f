// Values known only after apply, end to end: with the Terraform source, a key policy written with
// jsonencode or a deferred policy document is checked (findings, not unknowns); without it, the
// results are precise unknowns naming what they wait on. Findings point at their `.tf` lines.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model';
import { loadPlanFile } from '../../src/plan/read-file';
import { prepareSources } from '../../src/recover';
import { kmsgate, ROOT } from './run';

interface JsonFinding {
  ruleId: string;
  status: string;
  address: string;
  message: string;
  waitsOn?: string[];
  location?: { path: string; line: number };
}

const check = (args: string[], cwd?: string) => {
  const run = kmsgate(['check', ...args, '--format', 'json'], cwd ? { cwd } : {});
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { findings: JsonFinding[] };
};

/** The plan alone, in a folder without `.tf` files. */
function planWithoutSource(plan: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmsgate-nosource-'));
  const copy = join(dir, 'plan.json');
  copyFileSync(join(ROOT, plan), copy);
  return copy;
}

const keyPolicyRules = (findings: JsonFinding[], address: string) =>
  findings.filter((f) => f.address === address && (f.ruleId.startsWith('key-policy-') || f.ruleId === 'policy-document-valid'));

describe('key policies known only after apply', { timeout: 60_000 }, () => {
  it('jsonencode naming resources of the same plan: checked with the source, precise unknowns without', () => {
    const address = 'aws_kms_key.main';
    const withSource = check(['testdata/recover/jsonencode/plan.json', '--source-dir', 'testdata/recover/jsonencode']);
    const without = check([planWithoutSource('testdata/recover/jsonencode/plan.json')]);
    const blind = keyPolicyRules(without.findings, address);
    expect(blind.length).toBeGreaterThan(0);
    for (const finding of blind) {
      expect(finding.status).toBe('unknown');
      expect(finding.message).toMatch(/`policy` of aws_kms_key\.main is known only after apply \(waits on .*aws_iam_role\./);
    }
    const seen = keyPolicyRules(withSource.findings, address);
    expect(seen.filter((f) => f.status === 'unknown')).toEqual([]);
  });

  it('a deferred data.aws_iam_policy_document is rebuilt from the plan itself', () => {
    const report = check([planWithoutSource('testdata/recover/data-document/plan.json')]);
    const keys = [...new Set(report.findings.filter((f) => f.address.startsWith('aws_kms_key.')).map((f) => f.address))];
    for (const key of keys) expect(keyPolicyRules(report.findings, key).filter((f) => f.status === 'unknown')).toEqual([]);
  });
});

describe('source locations', { timeout: 60_000 }, () => {
  it('every finding of the example points at the block of its resource', () => {
    const report = check(['testdata/example/plan.json', '--config', 'testdata/example/.kmsgate.yml']);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      if (finding.address === '') continue;
      expect(finding.location, finding.address).toBeDefined();
      const { path, line } = finding.location!;
      const text = readFileSync(join(ROOT, path), 'utf8').split('\n')[line - 1] ?? '';
      const [, type, name] = /(?:^|\.)(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?$/.exec(finding.address) ?? [];
      expect(text, `${finding.address} → ${path}:${line}`).toMatch(new RegExp(`^\\s*(resource|data)\\s+"${type}"\\s+"${name}"`));
    }
  });
});

describe('HCL parsing is loaded only when needed', () => {
  it('a plan whose policies are all known never loads the parser', async () => {
    const model = buildModel(loadPlanFile(join(ROOT, 'policies/fixtures/key-settings/plan.json')));
    const files = ['main.tf', 'lifecycle.tf', 'specs.tf', 'origins.tf'].map((name) => ({
      path: `policies/fixtures/key-settings/${name}`,
      text: readFileSync(join(ROOT, 'policies/fixtures/key-settings', name), 'utf8'),
    }));
    const prepared = await prepareSources(model, files, {
      rootDir: 'policies/fixtures/key-settings',
      parser: () => Promise.reject(new Error('the HCL parser was loaded')),
    });
    expect(prepared).toBeDefined();
  });
});
