import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { render } from '../../src/report';
import { REPORT } from './fixture';

const finding = (ruleId: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  severity,
  status: 'fail',
  address: `aws_kms_key.${ruleId.replace(/-/g, '_')}`,
  file: 'plan.json',
  message: `${ruleId} failed.`,
  ...extra,
});
const waiver = { rule: 'x', address: '*', reason: 'r', owner: 'o', expires: '2030-01-01' };
const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

describe('text', () => {
  it('ends with the one-line summary', () => {
    const report: Report = {
      ...REPORT,
      findings: [
        finding('key-destroyed', 'critical'),
        finding('key-rotation-enabled', 'high'),
        finding('key-disabled', 'high'),
        finding('key-policy-trusted-accounts', 'high', { status: 'unknown' }),
        finding('key-spec-strength', 'medium', { waiver }),
        finding('key-multi-region', 'low', { waiver }),
      ],
      passed: [],
    };
    expect(lastLine(render('text', report))).toBe(
      '3 failed (1 critical, 2 high), 1 unknown, 2 waived, 0 passed · gate: FAIL at --fail-on high',
    );
    expect(lastLine(render('text', { ...report, findings: [] }))).toBe(
      '0 failed, 0 unknown, 0 waived, 0 passed · gate: PASS at --fail-on high',
    );
    expect(lastLine(render('text', { ...report, failOn: 'critical', onUnknown: 'fail' }))).toMatch(
      /gate: FAIL at --fail-on critical, --on-unknown fail$/,
    );
  });

  it('groups by resource, worst resource first, findings by severity, waived last', () => {
    const out = render('text', REPORT);
    const headers = out.split('\n').filter((line) => /^\S/.test(line));
    expect(headers.slice(1, 3)).toEqual([
      'aws_kms_replica_key.dr  (stacks/prod/tfplan.json)',
      'module.kms["app.prod"].aws_kms_key.this["say \\"hi\\""]  modules/kms/main.tf:12  (stacks/prod/tfplan.json)',
    ]);
    const block = out.split('\n\n').find((b) => b.startsWith('module.kms["app.prod"].aws_kms_key.this["say'));
    expect(block?.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '✗ critical key-policy-no-public-access',
      '✗ high key-rotation-enabled',
      '• info key-policy-access-change',
    ]);
    expect(out).toContain('  ? unknown   key-policy-trusted-accounts (high)  The AWS principal');
    expect(out).toContain('      waits on: aws_iam_role.ci.arn, module.kms["app.prod"].var.readers');
    expect(out).toContain('  ~ waived    key-spec-strength (medium)  Key spec RSA_2048');
    expect(out).toContain('      waived by platform-security until 2027-01-31: legacy verifiers');
    expect(out).toContain('      fix: Set `enable_key_rotation = true`.');
    expect(out).toContain('stacks/shared/tfplan.json  (the plan itself)');
  });

  it('prints one fix line per rule and resource', () => {
    const block = render('text', REPORT)
      .split('\n\n')
      .find((b) => b.startsWith('aws_kms_key.logs'));
    expect(block?.match(/fix: Remove the foreign principals/g)).toHaveLength(1);
  });

  it('lists waiver notices', () => {
    const out = render('text', REPORT);
    expect(out).toContain('Waiver notices\n  expired  key-rotation-period  module.kms["app.prod"].aws_kms_key.*  expired 2026-06-30');
    expect(out).toContain('  unused   key-multi-region  aws_kms_key.replica-*  matched nothing, remove it');
  });

  it('quiet prints only gating findings and the summary', () => {
    const out = render('text', REPORT, { quiet: true });
    expect(out).not.toContain('kmsgate 0.1.0');
    expect(out).not.toMatch(/unknown {3}|waived {4}|• |Waiver notices/);
    expect(out.match(/✗/g)).toHaveLength(7);
    expect(render('text', { ...REPORT, findings: [] }, { quiet: true })).toBe(
      '0 failed, 0 unknown, 0 waived, 12 passed · gate: PASS at --fail-on high\n',
    );
  });

  it('colours only when asked, and colour changes nothing but escapes', () => {
    expect(render('text', REPORT, { color: false })).not.toContain('\u001b[');
    const coloured = render('text', REPORT, { color: true });
    expect(coloured).toContain('\u001b[31m✗\u001b[39m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(render('text', REPORT, { color: false }));
  });

  it('shows control and bidi characters from plans as escapes, never raw', () => {
    const out = render('text', REPORT);
    expect(out).toContain('Statement "Decrypt\\u001b[31m\\u202e" allows');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const address = render('text', { ...REPORT, findings: [finding('r', 'high', { address: 'aws_kms_key.k["\u001b]0;x\u0007"]' })] });
    expect(address).toContain('aws_kms_key.k["\\u001b]0;x\\u0007"]');
  });
});
