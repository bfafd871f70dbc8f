import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { render, toJsonReport, type JsonReport } from '../../src/report';
import { validator } from './ajv';
import { REPORT } from './fixture';
import { goldenPath } from './golden';

const SCHEMA = fileURLToPath(new URL('../../docs/json-output.schema.json', import.meta.url));
const validate = validator(SCHEMA);

const parse = (report: Report): JsonReport => JSON.parse(render('json', report)) as JsonReport;

describe('json output', () => {
  it('validates against docs/json-output.schema.json (golden file and fresh output)', () => {
    validate(JSON.parse(readFileSync(goldenPath('report.json'), 'utf8')));
    for (const onUnknown of ['fail', 'warn', 'pass'] as const) {
      validate(parse({ ...REPORT, onUnknown }));
    }
    validate(parse({ ...REPORT, findings: [], waiverNotices: [] }));
  });

  it('the schema rejects what the contract forbids', () => {
    const out = parse(REPORT);
    const broken = { ...out, findings: [{ ...out.findings[0], status: 'pass' }] };
    expect(() => validate(broken)).toThrow();
    expect(() => validate({ ...out, extra: true })).toThrow();
  });

  it('sorts findings by (file, ruleId, address)', () => {
    const keys = parse(REPORT).findings.map((f) => [f.file, f.ruleId, f.address].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
  });

  it('summarizes counts by severity and status, gating, waived and the decision', () => {
    const { summary } = parse(REPORT);
    expect(summary).toMatchObject({
      decision: 'fail',
      failOn: 'high',
      onUnknown: 'warn',
      gating: 7,
      total: 16,
      failed: 12,
      unknown: 2,
      waived: 2,
      passed: 12,
      rules: 13,
      waiverNotices: { expired: 1, unused: 1 },
    });
    expect(summary.bySeverity.high).toEqual({ failed: 5, unknown: 1, waived: 1 });
    expect(summary.bySeverity.critical).toEqual({ failed: 2, unknown: 0, waived: 0 });
    expect(summary.total).toBe(summary.failed + summary.unknown + summary.waived);
  });

  it('counts unknowns as gating only with onUnknown fail, and never waived ones', () => {
    const high: Finding = { ruleId: 'r', severity: 'high', status: 'unknown', address: 'aws_kms_key.a', file: 'p.json', message: 'm' };
    const only = (onUnknown: Report['onUnknown'], findings: Finding[]): JsonReport =>
      parse({ ...REPORT, findings, waiverNotices: [], onUnknown });
    expect(only('warn', [high]).summary).toMatchObject({ gating: 0, decision: 'pass' });
    expect(only('fail', [high]).summary).toMatchObject({ gating: 1, decision: 'fail' });
    expect(only('fail', [high]).findings[0]?.gating).toBe(true);
    const waived = { ...high, waiver: { rule: 'r', address: '*', reason: 'x', owner: 'o', expires: '2030-01-01' } };
    expect(only('fail', [waived]).summary).toMatchObject({ gating: 0, waived: 1, decision: 'pass' });
  });

  it('keeps waivers, waits-on lists and evidence, and lists waiver notices', () => {
    const out = toJsonReport(REPORT);
    const waived = out.findings.filter((f) => f.waiver);
    expect(waived.map((f) => f.waiver?.owner)).toEqual(['platform-security', 'platform-security']);
    expect(out.findings.find((f) => f.status === 'unknown' && !f.waiver)?.waitsOn).toEqual([
      'aws_iam_role.ci.arn',
      'module.kms["app.prod"].var.readers',
    ]);
    expect(out.waiverNotices.map((n) => n.problem)).toEqual(['expired', 'unused']);
    const withoutLocation = out.findings.find((f) => f.ruleId === 'key-destroyed');
    expect(withoutLocation && 'location' in withoutLocation).toBe(false);
  });
});
