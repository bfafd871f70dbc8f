import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { render, toCodeQuality, type CodeQualityIssue } from '../../src/report';
import { validator } from './ajv';
import { REPORT } from './fixture';
import { goldenPath } from './golden';

const validate = validator(fileURLToPath(new URL('./gitlab-codequality.schema.json', import.meta.url)));

describe('gitlab code quality', () => {
  it('the golden file and fresh output follow GitLab documented structure', () => {
    const text = readFileSync(goldenPath('report.gitlab.json'), 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    validate(JSON.parse(text));
    validate(JSON.parse(render('gitlab', { ...REPORT, onUnknown: 'fail' })));
    expect(JSON.parse(render('gitlab', { ...REPORT, findings: [] }))).toEqual([]);
  });

  it('the schema has teeth', () => {
    const [issue] = toCodeQuality(REPORT);
    expect(() => validate([{ ...issue, severity: 'high' }])).toThrow();
    expect(() => validate([{ ...issue, location: { path: '/abs/main.tf', lines: { begin: 1 } } }])).toThrow();
  });

  it('maps severities, leaves waived findings out and gives unique fingerprints', () => {
    const issues = toCodeQuality(REPORT);
    expect(issues).toHaveLength(REPORT.findings.filter((f) => !f.waiver).length);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    const bySeverity = (check: string): string[] => issues.filter((i) => i.check_name === check).map((i) => i.severity);
    expect(bySeverity('key-destroyed')).toEqual(['blocker']);
    expect(bySeverity('kms-endpoint-security-group')).toEqual(['critical']);
    expect(bySeverity('key-rotation-period')).toEqual(['major']);
    expect(bySeverity('key-multi-region')).toEqual(['minor']);
    expect(bySeverity('key-policy-access-change')).toEqual(['info']);
    // Unknown results stay below failures: a high rule gives minor, a medium one info.
    expect(bySeverity('key-policy-trusted-accounts').sort()).toEqual(['critical', 'critical', 'minor']);
    expect(bySeverity('key-deletion-window')).toEqual(['info']);
  });

  it('locates at the .tf line, else line 1 of the plan, and names the resource in the description', () => {
    const issues = toCodeQuality(REPORT);
    const find = (check: string): CodeQualityIssue | undefined => issues.find((i) => i.check_name === check);
    expect(find('key-destroyed')?.location).toEqual({ path: 'stacks/prod/tfplan.json', lines: { begin: 1 } });
    expect(find('key-rotation-enabled')?.location).toEqual({ path: 'modules/kms/main.tf', lines: { begin: 12 } });
    expect(find('key-rotation-enabled')?.description).toBe(
      'module.kms["app.prod"].aws_kms_key.this["say \\"hi\\""]: enable_key_rotation is false on a SYMMETRIC_DEFAULT key.',
    );
    expect(find('key-deletion-window')?.description).toMatch(/^Unknown at plan time: .*Waits on: var\.deletion_window\.$/);
  });

  it('keeps fingerprints when lines and messages change', () => {
    const finding: Finding = {
      ruleId: 'key-rotation-enabled', severity: 'high', status: 'fail', address: 'aws_kms_key.a',
      file: 'plan.json', message: 'm', location: { path: 'main.tf', line: 3 },
    };
    const one = (f: Finding): string => toCodeQuality({ ...REPORT, findings: [f] } satisfies Report)[0]?.fingerprint ?? '';
    expect(one({ ...finding, message: 'other', location: { path: 'main.tf', line: 90 } })).toBe(one(finding));
    expect(one({ ...finding, address: 'aws_kms_key.b' })).not.toBe(one(finding));
  });
});
