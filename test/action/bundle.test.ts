import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SEVERITIES } from '../../src/finding';
import type { JsonReport } from '../../src/report';
import { GITHUB_STEP_SUMMARY_LIMIT } from '../../src/report';
import { actionCheckout, fixturePlans, runAction, runCli, workspace, type ActionRun } from './runner';

// The plan every case starts from: real Terraform output with high findings (a disabled key, keys
// without rotation), so the default gate fails on it.
const PLAN = fixturePlans().find((path) => path.endsWith('/key-settings/plan.json')) ?? '';

let checkout = '';
const cleanup: string[] = [];

beforeAll(() => {
  checkout = actionCheckout();
  cleanup.push(checkout);
});

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function ws(files: Parameters<typeof workspace>[0]): string {
  const dir = workspace(files);
  cleanup.push(dir);
  return dir;
}

function cliJson(cwd: string, args: readonly string[]): JsonReport {
  const run = runCli(cwd, ['check', ...args, '--format', 'json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as JsonReport;
}

/** The outputs the CLI's own JSON summary implies. */
function expectedOutputs(report: JsonReport, sarif: string): Record<string, string> {
  const s = report.summary;
  return {
    ...Object.fromEntries(SEVERITIES.map((sev) => [sev, String(s.bySeverity[sev].failed)])),
    failed: String(s.failed),
    unknown: String(s.unknown),
    waived: String(s.waived),
    gating: String(s.gating),
    sarif,
    decision: s.decision,
  };
}

const located = (run: ActionRun) => run.annotations.filter((a) => a.properties['file'] !== undefined);

describe('the action bundle in a simulated runner', () => {
  it('has a real plan to run on', () => {
    expect(PLAN).not.toBe('');
  });

  it('fails the gate: outputs, annotations, SARIF identical to the CLI, job summary, exit 1', () => {
    const dir = ws({ 'infra/plan.json': { copy: PLAN } });
    const reference = cliJson(dir, ['infra/plan.json']);
    expect(reference.summary.decision).toBe('fail');

    const run = runAction(checkout, dir, { plan: 'infra/*.json' });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual(expectedOutputs(reference, 'kmsgate.sarif'));

    // Same pipeline: the SARIF the action wrote is byte-identical to the CLI's.
    const sarif = readFileSync(join(dir, 'kmsgate.sarif'), 'utf8');
    expect(sarif).toBe(runCli(dir, ['check', 'infra/plan.json', '--format', 'sarif']).stdout);
    const log = JSON.parse(sarif) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.runs[0]?.results).toHaveLength(reference.findings.filter((f) => !f.waiver).length);
    expect(new Set(log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))).toEqual(new Set(['infra/plan.json']));

    // Errors: the gating findings (most severe first, at most 10), then the step failure.
    const errors = located(run).filter((a) => a.level === 'error');
    const gating = reference.findings.filter((f) => f.gating);
    expect(errors).toHaveLength(Math.min(10, gating.length));
    for (const error of errors) {
      expect(error.properties).toMatchObject({ file: 'infra/plan.json', line: '1' });
      expect(error.properties['title']).toMatch(/^kmsgate (critical|high|medium|low|info): [a-z0-9-]+$/);
      const [, severity, ruleId] = /^kmsgate (\S+): (\S+)$/.exec(error.properties['title'] ?? '') ?? [];
      expect(gating.some((f) => f.ruleId === ruleId && f.severity === severity && error.message.includes(f.address))).toBe(true);
    }
    expect(run.commands).toMatch(/^::error title=kmsgate high%3A key-disabled,file=infra\/plan\.json,line=1::aws_kms_key\./m);
    const failure = run.annotations.filter((a) => a.properties['file'] === undefined && a.level === 'error');
    expect(failure.map((a) => a.message)).toEqual([
      expect.stringMatching(new RegExp(`^kmsgate: gate failed: ${reference.summary.gating} gating at --fail-on high; `)),
    ]);
    expect(located(run).filter((a) => a.level === 'warning').length).toBeLessThanOrEqual(10);

    // Job summary: the Markdown report, within GitHub's 1 MiB.
    expect(run.summary).toMatch(/^## kmsgate: ❌ gate failed\n/);
    expect(run.summary).toContain('| [`key-disabled`]');
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(GITHUB_STEP_SUMMARY_LIMIT);

    // The text report is in the log, fenced so plan text cannot issue workflow commands.
    expect(run.stdout).toMatch(/^::stop-commands::[0-9a-f-]{36}\n/m);
    expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toContain('gate: FAIL at --fail-on high');
    expect(run.stdout).not.toContain(dir);
  });

  it('passes with waivers from the config in working-directory; waived findings leave the SARIF and become notices', () => {
    const dir = ws({ 'stacks/prod/plan.json': { copy: PLAN } });
    const before = cliJson(join(dir, 'stacks/prod'), ['plan.json']);
    const gating = before.findings.filter((f) => f.gating);
    expect(gating.length).toBeGreaterThan(0);
    const waivers = [...new Map(gating.map((f) => [`${f.ruleId} ${f.address}`, f])).values()].map((f) => ({
      rule: f.ruleId,
      address: f.address,
      reason: 'retired in the next release',
      owner: 'platform-security',
      expires: '2999-12-31',
    }));
    const config = stringify({ waivers });
    const dir2 = ws({ 'stacks/prod/plan.json': { copy: PLAN }, 'stacks/prod/.kmsgate.yml': config });
    const reference = cliJson(join(dir2, 'stacks/prod'), ['plan.json']);
    expect(reference.summary.decision).toBe('pass');

    const run = runAction(checkout, dir2, { plan: 'plan.json', 'working-directory': 'stacks/prod', sarif: 'out/kmsgate.sarif' }, { NO_COLOR: '1' });
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual(expectedOutputs(reference, 'stacks/prod/out/kmsgate.sarif'));
    expect(run.outputs['waived']).toBe(String(reference.summary.waived));
    expect(Number(run.outputs['waived'])).toBeGreaterThanOrEqual(waivers.length);

    const sarif = JSON.parse(readFileSync(join(dir2, 'stacks/prod/out/kmsgate.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string; properties: { address: string } }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(reference.summary.total - reference.summary.waived);
    for (const w of waivers) expect(results.some((r) => r.ruleId === w.rule && r.properties.address === w.address)).toBe(false);

    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    const waivedNotices = run.annotations.filter((a) => a.level === 'notice' && a.message.startsWith('Waived by platform-security until 2999-12-31'));
    expect(waivedNotices.length).toBeGreaterThan(0);
    for (const notice of waivedNotices) expect(notice.properties['file']).toBe('stacks/prod/plan.json');
    expect(run.annotations.filter((a) => a.level === 'notice').length).toBeLessThanOrEqual(10);

    expect(run.summary).toMatch(/^## kmsgate: ✅ gate passed\n/);
    expect(run.summary).toContain('### Waived (');
  });

  it('maps fail-on, on-unknown and category to the CLI flags', () => {
    const dir = ws({ 'plan.json': { copy: PLAN } });
    const reference = cliJson(dir, ['plan.json', '--fail-on', 'critical', '--on-unknown', 'fail']);
    const run = runAction(checkout, dir, { plan: 'plan.json', 'fail-on': 'critical', 'on-unknown': 'fail', category: 'kmsgate/prod/' });
    expect(run.outputs).toEqual(expectedOutputs(reference, 'kmsgate.sarif'));
    expect(run.exitCode).toBe(reference.summary.decision === 'fail' ? 1 : 0);
    const sarif = JSON.parse(readFileSync(join(dir, 'kmsgate.sarif'), 'utf8')) as { runs: { automationDetails: { id: string } }[] };
    expect(sarif.runs[0]?.automationDetails.id).toBe('kmsgate/prod/');
  });

  it('takes several plans, newline or comma separated, globs sorted and deduplicated', () => {
    const plans = fixturePlans();
    const files = Object.fromEntries(plans.map((path) => [`stacks/${path.split('/').at(-2)}/plan.json`, { copy: path }]));
    const dir = ws(files);
    const names = Object.keys(files).sort();
    const reference = cliJson(dir, [...names, '--fail-on', 'low']);
    const run = runAction(checkout, dir, { plan: `stacks/**/plan.json\n${names[0]}, stacks/*/plan.json`, 'fail-on': 'low' });
    expect(run.stderr).toBe('');
    expect(run.outputs).toEqual(expectedOutputs(reference, 'kmsgate.sarif'));
    expect(reference.inputs.map((i) => i.file)).toEqual(names);

    // More gating findings than GitHub shows: exactly 10 located errors, and a line saying what is left out.
    const gating = reference.findings.filter((f) => f.gating).length;
    expect(gating).toBeGreaterThan(10);
    expect(located(run).filter((a) => a.level === 'error')).toHaveLength(10);
    expect(run.commands).toContain(`kmsgate: not annotated (GitHub shows 10 per level and step): ${gating - 10} error`);
  });

  describe('bad input: exit 2, one error line, no outputs', () => {
    const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
      ['unknown fail-on', { plan: 'plan.json', 'fail-on': 'severe' }, {}, /^kmsgate: error: input 'fail-on': unknown severity 'severe'; use critical, high, medium, low or info$/],
      ['unknown on-unknown', { plan: 'plan.json', 'on-unknown': 'maybe' }, {}, /^kmsgate: error: input 'on-unknown': unknown choice 'maybe'/],
      ['no plan', {}, {}, /^kmsgate: error: input 'plan': name the plan JSON file/],
      ['a glob that matches nothing', { plan: 'stacks/*/plan.json' }, {}, /^kmsgate: error: input 'plan': stacks\/\*\/plan\.json: matches no file under \.; /],
      ['a missing plan file', { plan: 'tfplan.json' }, {}, /^kmsgate: error: tfplan\.json: cannot read the file \(ENOENT\)$/],
      ['not a plan', { plan: 'state.json' }, { 'state.json': '{"hello": "world"}\n' }, /^kmsgate: error: state\.json: /],
      ['a missing working-directory', { plan: 'plan.json', 'working-directory': 'infra' }, {}, /^kmsgate: error: input 'working-directory': infra is not a folder/],
      ['a config with an unknown key', { plan: 'plan.json', config: 'kmsgate.yml' }, { 'kmsgate.yml': 'failon: high\n' }, /^kmsgate: error: kmsgate\.yml: /],
      ['a source-dir that is not a folder', { plan: 'plan.json', 'source-dir': 'infra' }, {}, /^kmsgate: error: \S*infra: is not a folder/],
    ];
    it.each(cases)('%s', (_name, inputs, extra, message) => {
      const dir = ws({ 'plan.json': { copy: PLAN }, ...extra });
      const run = runAction(checkout, dir, inputs);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toBe('');
      expect(run.annotations).toHaveLength(1);
      expect(run.annotations[0]?.level).toBe('error');
      expect(run.annotations[0]?.message).toMatch(message);
      expect(run.annotations[0]?.message).not.toContain('\n');
      expect(run.outputs).toEqual({});
      expect(run.summary).toBe('');
      expect(existsSync(join(dir, 'kmsgate.sarif'))).toBe(false);
    });
  });
});
