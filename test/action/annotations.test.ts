import { describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_LEVEL, annotationsFor, levelOf } from '../../src/action/annotations';
import type { Finding, Report, Severity } from '../../src/finding';
import { REPORT } from '../report/fixture';

const row = (a: { level: string; title: string; file?: string; line?: number }) => [a.level, a.title, a.file ?? null, a.line ?? null];

describe('annotations', () => {
  it('error = gates, warning = other live medium+, notice = live low/info, waiver problems, waived; most severe first', () => {
    const { annotations, omitted } = annotationsFor(REPORT);
    expect(annotations.map(row)).toEqual([
      ['error', 'kmsgate critical: key-destroyed', 'stacks/prod/tfplan.json', 1],
      ['error', 'kmsgate critical: key-policy-no-public-access', 'modules/kms/main.tf', 12],
      ['error', 'kmsgate high: key-policy-trusted-accounts', 'stacks/prod/main.tf', 40],
      ['error', 'kmsgate high: key-policy-trusted-accounts', 'stacks/prod/main.tf', 40],
      ['error', 'kmsgate high: key-rotation-enabled', 'modules/kms/main.tf', 12],
      ['error', 'kmsgate high: kms-endpoint-security-group', 'modules/network/endpoints.tf', 3],
      ['error', 'kmsgate high: scp-key-deletion-guardrail', 'stacks/shared/tfplan.json', 1],
      ['warning', 'kmsgate high: key-policy-trusted-accounts', 'modules/kms/main.tf', 12],
      ['warning', 'kmsgate medium: key-rotation-period', 'modules/kms/main.tf', 12],
      ['warning', 'kmsgate medium: iam-policy-kms-wildcard', 'stacks/shared/iam policies.tf', 8],
      ['warning', 'kmsgate medium: key-deletion-window', 'modules/kms/main.tf', 12],
      ['notice', 'kmsgate low: key-multi-region', 'stacks/prod/main.tf', 40],
      ['notice', 'kmsgate low: kms-endpoint-private-dns', 'modules/network/endpoints.tf', 3],
      ['notice', 'kmsgate info: key-policy-access-change', 'modules/kms/main.tf', 12],
      ['notice', 'kmsgate waiver expired: key-rotation-period', null, null],
      ['notice', 'kmsgate waiver unused: key-multi-region', null, null],
      ['notice', 'kmsgate high: key-rotation-enabled', 'modules/legacy/keys.tf', 5],
      ['notice', 'kmsgate medium: key-spec-strength', 'stacks/prod/main.tf', 71],
    ]);
    expect(omitted).toEqual({ error: 0, warning: 0, notice: 0 });
  });

  it('says what a finding is, how to fix it, and who waived it', () => {
    const { annotations } = annotationsFor(REPORT);
    const destroyed = annotations.find((a) => a.title === 'kmsgate critical: key-destroyed');
    expect(destroyed?.message).toBe(
      'aws_kms_replica_key.dr: The plan deletes this key; its key material is scheduled for deletion after 30 days.\n' +
        'Fix: Keep the key (`lifecycle { prevent_destroy = true }`), or move it with a `moved` block instead of replacing it.',
    );
    const unknown = annotations.find((a) => a.level === 'warning' && a.title.endsWith('key-deletion-window'));
    expect(unknown?.message).toMatch(/^Unknown at plan time: module\.network\.module\.kms\.aws_kms_key\.this\[0\]: .*Waits on: var\.deletion_window\./);
    const waived = annotations.find((a) => a.title === 'kmsgate medium: key-spec-strength');
    expect(waived?.message).toBe(
      'Waived by platform-security until 2027-01-31: legacy verifiers only support RSA_2048; migration tracked in SEC-412\n' +
        'aws_kms_key.signing: Key spec RSA_2048 is not in allowedKeySpecs.',
    );
    const expired = annotations.find((a) => a.title === 'kmsgate waiver expired: key-rotation-period');
    expect(expired?.message).toBe(
      'Waiver for key-rotation-period on module.kms["app.prod"].aws_kms_key.* (owner data-platform) expired on 2026-06-30; the findings it covered fail again: rotation period aligned with the vendor audit',
    );
  });

  it('shows control and bidi characters from plans instead of passing them to the log', () => {
    const wildcard = annotationsFor(REPORT).annotations.find((a) => a.title.endsWith('iam-policy-kms-wildcard'));
    expect(wildcard?.message).toContain('Decrypt\\u001b[31m\\u202e');
    expect(wildcard?.message.split('\n')).toHaveLength(2);
    for (const annotation of annotationsFor(REPORT).annotations) {
      expect(annotation.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    }
  });

  it('keeps the 10 most severe of each level and counts the rest', () => {
    const severities: Severity[] = ['low', 'critical', 'medium', 'high'];
    const findings: Finding[] = Array.from({ length: 40 }, (_, i) => ({
      ruleId: 'key-rotation-enabled',
      severity: severities[i % 4]!,
      status: i % 8 < 4 ? 'fail' : 'unknown',
      address: `aws_kms_key.k${String(i).padStart(2, '0')}`,
      file: 'plan.json',
      message: 'm',
    }));
    const report: Report = { ...REPORT, findings, waiverNotices: [], failOn: 'low', onUnknown: 'fail' };
    const { annotations, omitted } = annotationsFor(report);
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(omitted).toEqual({ error: 30, warning: 0, notice: 0 });
    // 10 critical findings exist: 5 failures, then 5 unknowns.
    expect(errors.every((a) => a.title === 'kmsgate critical: key-rotation-enabled')).toBe(true);
    expect(errors.map((a) => a.message.startsWith('Unknown at plan time'))).toEqual([...Array(5).fill(false), ...Array(5).fill(true)]);
  });

  it('follows the gate: fail-on and on-unknown decide which findings are errors', () => {
    const finding: Finding = { ruleId: 'r', severity: 'high', status: 'fail', address: 'a', file: 'p.json', message: 'm' };
    const at = (failOn: Severity, onUnknown: Report['onUnknown'] = 'warn') => ({ ...REPORT, failOn, onUnknown });
    expect(levelOf(finding, at('high'))).toBe('error');
    expect(levelOf(finding, at('critical'))).toBe('warning');
    expect(levelOf({ ...finding, severity: 'medium' }, at('critical'))).toBe('warning');
    expect(levelOf({ ...finding, severity: 'low' }, at('critical'))).toBe('notice');
    expect(levelOf({ ...finding, severity: 'info' }, at('info'))).toBe('error');
    expect(levelOf({ ...finding, status: 'unknown' }, at('high'))).toBe('warning');
    expect(levelOf({ ...finding, status: 'unknown' }, at('high', 'fail'))).toBe('error');
    expect(levelOf({ ...finding, status: 'unknown', onUnknown: 'fail' }, at('high'))).toBe('error');
    const waiver = { rule: 'r', address: 'a', reason: 'x', owner: 'o', expires: '2999-01-01' };
    expect(levelOf({ ...finding, severity: 'critical', waiver }, at('info', 'fail'))).toBe('notice');
  });
});
