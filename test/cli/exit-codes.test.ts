import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kmsgate } from './run';

const PLAN = 'policies/fixtures/key-changes/plan.json';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmsgate-cli-'));
  const files: Record<string, string> = {
    'empty.json': '',
    'blank.json': '  \n',
    'truncated.json': '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_kms_key.k"',
    'tfstate.json': JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'x', outputs: {}, resources: [] }),
    'hcp.json': JSON.stringify({ plan_format_version: '2.0', provider_format_version: '1.0', resource_changes: [], provider_schemas: {} }),
    'array.json': '[1,2,3]',
    'other.json': '{"name":"package","version":"1.0.0"}',
    'future.json': '{"format_version":"2.0","planned_values":{"root_module":{}},"configuration":{}}',
    'config-bad.yml': 'parameters:\n  maxRotationDays: "soon"\npolicies:\n  no-such-policy: { enabled: false }\nunknownKey: 1\n',
    'config-good.yml': 'policies:\n  key-destroyed: { enabled: false }\n  key-disabled: { severity: low }\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, 'a-folder'));
  mkdirSync(join(dir, 'bad-policies'));
  writeFileSync(join(dir, 'bad-policies/one.yaml'), 'id: one\ntitle: t\n');
  writeFileSync(join(dir, 'bad-policies/two.yaml'), 'id: two\nseverity: nope\n');
});

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('exit codes', () => {
  it('1 when findings reach --fail-on, 0 when they do not', () => {
    const failing = kmsgate(['check', PLAN]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('key-destroyed');
    const passing = kmsgate(['check', PLAN, '--fail-on', 'critical', '--config', join(dir, 'config-good.yml')]);
    expect(passing.code).toBe(0);
    expect(passing.stdout).not.toContain('key-destroyed');
  });

  it.each([
    ['empty.json', /empty\.json: .*empty/],
    ['blank.json', /blank\.json: .*/],
    ['truncated.json', /truncated\.json: .*(truncated|ends)/],
    ['tfstate.json', /tfstate\.json: .*terraform show -json/],
    ['hcp.json', /hcp\.json: .*HCP/],
    ['array.json', /array\.json: .*/],
    ['other.json', /other\.json: .*terraform show -json/],
    ['future.json', /future\.json: .*format_version/],
    ['a-folder', /a-folder: .*director|folder/],
    ['missing.json', /missing\.json: .*/],
  ])('2 with one clear line for %s', (name, pattern) => {
    const run = kmsgate(['check', join(dir, name)]);
    expect(run.code).toBe(2);
    const lines = oneLine(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kmsgate: error: /);
    expect(lines[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 for bad usage', () => {
    for (const args of [['check', PLAN, '--format', 'pdf'], ['check', PLAN, '--fail-on', 'severe'], ['check', PLAN, '--on-unknown', 'maybe'], ['check', PLAN, '--bogus'], ['check'], ['frobnicate']]) {
      const run = kmsgate(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(oneLine(run.stderr)[0]).toMatch(/^kmsgate: error: /);
    }
  });

  it('2 with every problem of a policy folder, each naming its file', () => {
    const run = kmsgate(['check', PLAN, '--policies', join(dir, 'bad-policies')]);
    expect(run.code).toBe(2);
    const lines = oneLine(run.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.some((l) => l.includes('one.yaml'))).toBe(true);
    expect(lines.some((l) => l.includes('two.yaml: $.severity'))).toBe(true);
  });

  it('2 with every problem of a config file', () => {
    const run = kmsgate(['check', PLAN, '--config', join(dir, 'config-bad.yml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("config-bad.yml: $: unknown key 'unknownKey'");
  });
});
