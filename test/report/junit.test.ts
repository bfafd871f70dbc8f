import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { render } from '../../src/report';
import { xmlAttr, xmlText } from '../../src/report/xml';
import { REPORT } from './fixture';
import { goldenPath } from './golden';
import { parseXml, type XmlElement } from './xml-check';

const children = (node: XmlElement, name: string): XmlElement[] => node.children.filter((c) => c.name === name);
const count = (node: XmlElement, key: string): number => Number(node.attributes[key]);

/** The structure CI servers read (Jenkins, GitLab, Azure DevOps): testsuites > testsuite > testcase. */
function checkStructure(root: XmlElement): void {
  expect(root.name).toBe('testsuites');
  const suites = children(root, 'testsuite');
  expect(root.children.every((c) => c.name === 'testsuite')).toBe(true);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of suites) {
    for (const key of ['name', 'tests', 'failures', 'errors', 'skipped', 'time']) expect(suite.attributes).toHaveProperty(key);
    const cases = children(suite, 'testcase');
    const outcome = (name: string): number => cases.filter((c) => children(c, name).length > 0).length;
    expect(count(suite, 'tests')).toBe(cases.length);
    expect(count(suite, 'failures')).toBe(outcome('failure'));
    expect(count(suite, 'errors')).toBe(outcome('error'));
    expect(count(suite, 'skipped')).toBe(outcome('skipped'));
    for (const testcase of cases) {
      expect(testcase.attributes['name']).toBeTruthy();
      expect(testcase.attributes['classname']).toBe(suite.attributes['name']);
      expect(testcase.children.length).toBeLessThanOrEqual(1);
      for (const result of testcase.children) {
        expect(['failure', 'error', 'skipped']).toContain(result.name);
        expect(result.attributes['message']).toBeTruthy();
        if (result.name !== 'skipped') expect(result.attributes['type']).toBeTruthy();
      }
    }
    const names = cases.map((c) => c.attributes['name']);
    expect(new Set(names).size).toBe(names.length);
    totals.tests += cases.length;
    totals.failures += outcome('failure');
    totals.errors += outcome('error');
    totals.skipped += outcome('skipped');
  }
  for (const [key, value] of Object.entries(totals)) expect(count(root, key)).toBe(value);
}

const parse = (report: Report): XmlElement => parseXml(render('junit', report));
const caseOf = (root: XmlElement, suite: string, name: string): XmlElement | undefined =>
  children(root, 'testsuite')
    .find((s) => s.attributes['name'] === suite)
    ?.children.find((c) => c.attributes['name'] === name);

describe('junit', () => {
  it('the golden file and fresh output are well-formed and have the JUnit structure', () => {
    checkStructure(parseXml(readFileSync(goldenPath('report.junit.xml'), 'utf8')));
    for (const onUnknown of ['fail', 'warn', 'pass'] as const) checkStructure(parse({ ...REPORT, onUnknown }));
    checkStructure(parse({ ...REPORT, findings: [], passed: [] }));
  });

  it('has a suite per rule and a case per rule × resource, from findings and passes', () => {
    const root = parse(REPORT);
    const pairs = new Set([...REPORT.findings, ...REPORT.passed].map((p) => `${p.ruleId} ${p.file} ${p.address}`));
    expect(count(root, 'tests')).toBe(pairs.size);
    expect(children(root, 'testsuite').map((s) => s.attributes['name'])).toEqual(
      [...new Set([...REPORT.findings, ...REPORT.passed].map((p) => p.ruleId))].sort(),
    );
  });

  it('types failures with the severity and keeps every finding of a case in the body', () => {
    const root = parse(REPORT);
    const logs = caseOf(root, 'key-policy-trusted-accounts', 'aws_kms_key.logs [stacks/prod/tfplan.json]');
    const [failure] = logs?.children ?? [];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes['type']).toBe('high');
    expect(failure?.text).toContain('444455556666');
    expect(failure?.text).toContain('777788889999');
  });

  it('reports unknowns as skipped, or as errors when --on-unknown fail makes them gate', () => {
    const name = 'module.kms["app.prod"].aws_kms_key.this["b.c"] [stacks/prod/tfplan.json]';
    const warn = caseOf(parse(REPORT), 'key-policy-trusted-accounts', name)?.children[0];
    expect(warn?.name).toBe('skipped');
    expect(warn?.attributes['message']).toMatch(/^Unknown at plan time: .*Waits on: aws_iam_role\.ci\.arn/);
    const fail = caseOf(parse({ ...REPORT, onUnknown: 'fail' }), 'key-policy-trusted-accounts', name)?.children[0];
    expect(fail?.name).toBe('error');
    expect(fail?.attributes['type']).toBe('unknown');
    // Below --fail-on, an unknown does not gate even with --on-unknown fail.
    const medium = 'module.network.module.kms.aws_kms_key.this[0] [stacks/shared/tfplan.json]';
    expect(caseOf(parse({ ...REPORT, onUnknown: 'fail' }), 'key-deletion-window', medium)?.children[0]?.name).toBe('skipped');
  });

  it('reports waived findings as skipped with the reason', () => {
    const waived = caseOf(parse(REPORT), 'key-spec-strength', 'aws_kms_key.signing [stacks/prod/tfplan.json]')?.children[0];
    expect(waived?.name).toBe('skipped');
    expect(waived?.attributes['message']).toContain('Waived by platform-security until 2027-01-31: legacy verifiers');
  });

  it('names cases by address alone when one plan was checked', () => {
    const single: Report = {
      ...REPORT,
      inputs: REPORT.inputs.slice(0, 1),
      findings: REPORT.findings.filter((f) => f.file === 'stacks/prod/tfplan.json'),
      passed: REPORT.passed.filter((p) => p.file === 'stacks/prod/tfplan.json'),
    };
    expect(caseOf(parse(single), 'key-destroyed', 'aws_kms_replica_key.dr')).toBeDefined();
  });

  it('keeps control characters, quotes and line breaks through escaping', () => {
    const hostile = 'a\u0000b\u0007c\u001b[31m "q" \'s\' <x> & ]]> \ud800 \uffff\ttab\nline\r\nend 😀';
    const finding: Finding = { ruleId: 'r', severity: 'high', status: 'fail', address: `aws_kms_key.k["${hostile}"]`, file: 'p.json', message: hostile };
    const root = parse({ ...REPORT, findings: [finding], passed: [] });
    const testcase = children(root, 'testsuite')[0]?.children.find((c) => c.name === 'testcase');
    const failure = testcase?.children[0];
    const expected = 'a\\u0000b\\u0007c\\u001b[31m "q" \'s\' <x> & ]]> \\ud800 \\uffff\ttab\nline\r\nend 😀';
    expect(failure?.attributes['message']).toBe(expected);
    expect(testcase?.attributes['name']).toContain('\\u001b[31m "q"');
    expect(failure?.text).toContain('line\r\nend 😀');
  });
});

describe('xml escaping', () => {
  it('escapes markup and keeps whitespace in attributes', () => {
    expect(xmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(xmlAttr('"x"\n\t\r')).toBe('&quot;x&quot;&#10;&#9;&#13;');
  });

  it('writes characters XML 1.0 forbids as visible \\u escapes, keeping valid surrogate pairs', () => {
    expect(xmlText('\u0001\u000b\ufffe\udc00x\ud83d\ude00')).toBe('\\u0001\\u000b\\ufffe\\udc00x😀');
  });
});
