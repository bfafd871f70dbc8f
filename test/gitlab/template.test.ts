// The GitLab template, run as GitLab would run it: the job's script, word for word, in sh with the
// job's variables as environment variables. `npm exec … -- kmsgate` is the only stand-in: a shim on
// PATH that records its arguments and runs this checkout's `node bin/kmsgate.mjs` instead.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { JsonReport } from '../../src/report';
import { validator } from '../report/ajv';
import { parseXml, type XmlElement } from '../report/xml-check';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEMPLATE = join(ROOT, 'templates/kmsgate.gitlab-ci.yml');
const PLAN = join(ROOT, 'policies/fixtures/key-settings/plan.json');
const validateCodeQuality = validator(join(ROOT, 'test/report/gitlab-codequality.schema.json'));

interface Job {
  stage: string;
  image: string;
  variables: Record<string, string>;
  script: string[];
  artifacts: { when: string; expire_in: string; reports: Record<string, string>; paths: string[] };
}

const template = parse(readFileSync(TEMPLATE, 'utf8')) as Record<string, Job>;
const job = template['.kmsgate'] as Job;

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/** `npm` as the job calls it: `npm exec --yes --package=SPEC -- kmsgate ARGS…`. */
function npmShim(): string {
  const bin = tempDir('kmsgate-npm-');
  writeFileSync(
    join(bin, 'npm'),
    [
      '#!/bin/sh',
      '[ "$1" = exec ] || { echo "shim: expected npm exec, got $*" >&2; exit 97; }',
      'shift',
      'while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do echo "$1" >> "$KMSGATE_SHIM_NPM_OPTIONS"; shift; done',
      'shift',
      '[ "$1" = kmsgate ] || { echo "shim: expected kmsgate, got $1" >&2; exit 98; }',
      'shift',
      'printf "%s\\n" "$@" > "$KMSGATE_SHIM_ARGV"',
      `exec "${process.execPath}" "${join(ROOT, 'bin/kmsgate.mjs')}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

interface JobRun {
  dir: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  argv: string[];
  npmOptions: string[];
}

function runJob(files: Record<string, string | { copy: string }>, variables: Record<string, string>): JobRun {
  const dir = tempDir('kmsgate-gitlab-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof content === 'string') writeFileSync(join(dir, path), content);
    else copyFileSync(content.copy, join(dir, path));
  }
  const shim = tempDir('kmsgate-shim-');
  const argvFile = join(shim, 'argv');
  const optionsFile = join(shim, 'options');
  writeFileSync(optionsFile, '');
  // GitLab runs the script lines in one shell, stopping at the first failing command.
  const child = spawnSync('sh', ['-e', '-c', job.script.join('\n')], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: `${npmShim()}:${process.env['PATH'] ?? ''}`,
      ...job.variables,
      NO_COLOR: '1',
      ...variables,
      KMSGATE_SHIM_ARGV: argvFile,
      KMSGATE_SHIM_NPM_OPTIONS: optionsFile,
    },
  });
  return {
    dir,
    exitCode: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    argv: existsSync(argvFile) ? readFileSync(argvFile, 'utf8').trimEnd().split('\n') : [],
    npmOptions: readFileSync(optionsFile, 'utf8').trimEnd().split('\n').filter((l) => l !== ''),
  };
}

function cliJson(cwd: string, args: readonly string[]): JsonReport {
  const child = spawnSync(process.execPath, [join(ROOT, 'bin/kmsgate.mjs'), 'check', ...args, '--format', 'json'], { cwd, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as JsonReport;
}

const elements = (node: XmlElement, name: string): XmlElement[] => node.children.filter((c) => c.name === name);

describe('templates/kmsgate.gitlab-ci.yml', () => {
  it('defines only the hidden job .kmsgate, with the documented variables and artifacts', () => {
    expect(Object.keys(template)).toEqual(['.kmsgate']);
    expect(job.stage).toBe('test');
    expect(job.image).toMatch(/^node:24/);
    expect(Object.keys(job.variables)).toEqual([
      'KMSGATE_PACKAGE',
      'KMSGATE_PLAN',
      'KMSGATE_POLICIES',
      'KMSGATE_CONFIG',
      'KMSGATE_FAIL_ON',
      'KMSGATE_ON_UNKNOWN',
      'FORCE_COLOR',
    ]);
    expect(job.variables['KMSGATE_PACKAGE']).toMatch(/^kmsgate@\d+\.\d+\.\d+$/);
    expect(Object.values(job.variables).every((v) => typeof v === 'string')).toBe(true);
    expect(job.artifacts).toEqual({
      when: 'always',
      expire_in: '30 days',
      reports: { codequality: 'gl-code-quality-report.json', junit: 'kmsgate-junit.xml' },
      paths: ['kmsgate.sarif'],
    });
    const script = job.script.join('\n');
    for (const format of ['gitlab=gl-code-quality-report.json', 'junit=kmsgate-junit.xml', 'sarif=kmsgate.sarif', 'text']) {
      expect(script).toContain(`--format ${format}`);
    }
  });

  it('runs kmsgate on the plan: exit 1 on gating findings, valid Code Quality and JUnit reports, the SARIF kept', () => {
    const run = runJob({ 'stacks/prod/plan.json': { copy: PLAN }, 'stacks/dev/plan.json': { copy: PLAN } }, { KMSGATE_PLAN: 'stacks/*/plan.json' });
    const plans = ['stacks/dev/plan.json', 'stacks/prod/plan.json'];
    expect(run.argv).toEqual([
      'check',
      ...plans,
      '--format',
      'gitlab=gl-code-quality-report.json',
      '--format',
      'junit=kmsgate-junit.xml',
      '--format',
      'sarif=kmsgate.sarif',
      '--format',
      'text',
    ]);
    expect(run.npmOptions).toEqual(['--yes', `--package=${job.variables['KMSGATE_PACKAGE']}`]);
    const reference = cliJson(run.dir, plans);
    expect(reference.summary.decision).toBe('fail');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('gate: FAIL at --fail-on high');

    for (const path of [...Object.values(job.artifacts.reports), ...job.artifacts.paths]) expect(existsSync(join(run.dir, path))).toBe(true);

    const codeQualityText = readFileSync(join(run.dir, job.artifacts.reports['codequality'] ?? ''), 'utf8');
    expect(codeQualityText.charCodeAt(0)).not.toBe(0xfeff);
    const codeQuality = JSON.parse(codeQualityText) as { check_name: string; location: { path: string } }[];
    validateCodeQuality(codeQuality);
    expect(codeQuality).toHaveLength(reference.findings.filter((f) => !f.waiver).length);
    expect(new Set(codeQuality.map((i) => i.location.path))).toEqual(new Set(plans));

    const junit = parseXml(readFileSync(join(run.dir, job.artifacts.reports['junit'] ?? ''), 'utf8'));
    expect(junit.name).toBe('testsuites');
    const suites = elements(junit, 'testsuite');
    const failures = suites.flatMap((suite) =>
      elements(suite, 'testcase')
        .filter((c) => elements(c, 'failure').length > 0)
        // With several plans a test case is named `<address> [<plan file>]`.
        .map((c) => `${suite.attributes['name']} ${c.attributes['name']?.replace(/ \[[^\]]*\]$/, '')} ${c.attributes['file']}`),
    );
    expect(Number(junit.attributes['failures'])).toBe(failures.length);
    for (const finding of reference.findings.filter((f) => f.gating)) {
      expect(failures).toContain(`${finding.ruleId} ${finding.address} ${finding.file}`);
    }

    const sarif = JSON.parse(readFileSync(join(run.dir, 'kmsgate.sarif'), 'utf8')) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
  });

  it('passes policies, config, fail-on and on-unknown through; a passing gate exits 0 and still writes the reports', () => {
    // A user policy: the built-in multi-Region rule under another id, raised to critical.
    const builtIn = readFileSync(join(ROOT, 'policies/key-multi-region.yaml'), 'utf8');
    const orgPolicy = builtIn.replace(/^id: key-multi-region$/m, 'id: org-multi-region').replace(/^severity: low$/m, 'severity: critical');
    expect(orgPolicy).toContain('severity: critical');
    const config = stringify({ policies: { 'key-multi-region': { enabled: false } } });
    const files = { 'plan.json': { copy: PLAN }, 'ci/kmsgate.yml': config };
    const variables = { KMSGATE_CONFIG: 'ci/kmsgate.yml', KMSGATE_FAIL_ON: 'critical', KMSGATE_ON_UNKNOWN: 'pass' };

    const gated = runJob({ ...files, 'org-policies/org-multi-region.yaml': orgPolicy }, { ...variables, KMSGATE_POLICIES: 'org-policies' });
    expect(gated.argv.slice(0, 10)).toEqual([
      'check',
      'plan.json',
      '--policies',
      'org-policies',
      '--config',
      'ci/kmsgate.yml',
      '--fail-on',
      'critical',
      '--on-unknown',
      'pass',
    ]);
    expect(gated.exitCode).toBe(1);
    const issues = JSON.parse(readFileSync(join(gated.dir, 'gl-code-quality-report.json'), 'utf8')) as { check_name: string; severity: string }[];
    validateCodeQuality(issues);
    expect(issues.filter((i) => i.check_name === 'org-multi-region').map((i) => i.severity)).toContain('blocker');
    expect(issues.some((i) => i.check_name === 'key-multi-region')).toBe(false);

    const ok = runJob(files, variables);
    const reference = cliJson(ok.dir, ['plan.json', '--config', 'ci/kmsgate.yml', '--fail-on', 'critical', '--on-unknown', 'pass']);
    expect(reference.summary.decision).toBe('pass');
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toBe('');
    validateCodeQuality(JSON.parse(readFileSync(join(ok.dir, 'gl-code-quality-report.json'), 'utf8')));
    expect(parseXml(readFileSync(join(ok.dir, 'kmsgate-junit.xml'), 'utf8')).name).toBe('testsuites');
    expect(existsSync(join(ok.dir, 'kmsgate.sarif'))).toBe(true);
  });

  it('fails with exit 2 on bad input, so allow_failure exit_codes [1] still blocks it', () => {
    const run = runJob({}, { KMSGATE_PLAN: 'missing.json' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('kmsgate: error: missing.json: cannot read the file (ENOENT)\n');
  });
});
