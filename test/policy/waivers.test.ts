import { describe, expect, it } from 'vitest';
import { gates, type Finding } from '../../src/finding';
import type { Waiver } from '../../src/policy/config';
import { applyWaivers } from '../../src/policy/waivers';

const finding = (ruleId: string, address: string, severity: Finding['severity'] = 'high'): Finding => ({
  ruleId,
  severity,
  status: 'fail',
  address,
  file: 'plan.json',
  message: `${ruleId} on ${address}`,
});

const waiver = (rule: string, address: string, expires: string): Waiver => ({
  rule,
  address,
  expires,
  reason: 'imported keys',
  owner: 'platform-security',
  place: '$.waivers[0]',
});

describe('waivers', () => {
  it('cover findings by rule and address glob, for_each keys included, until their expiry day', () => {
    const findings = [
      finding('key-rotation-enabled', 'module.legacy["eu.west"].aws_kms_key.this'),
      finding('key-rotation-enabled', 'module.legacy["us"].aws_kms_key.this'),
      finding('key-rotation-enabled', 'module.other.aws_kms_key.this'),
      finding('key-destroyed', 'module.legacy["us"].aws_kms_key.this', 'critical'),
    ];
    const { findings: out, notices } = applyWaivers(findings, [waiver('key-rotation-enabled', 'module.legacy[*].aws_kms_key.*', '2027-01-31')], '2027-01-31');
    expect(out.map((f) => Boolean(f.waiver))).toEqual([true, true, false, false]);
    expect(out[0]?.waiver).toEqual({ rule: 'key-rotation-enabled', address: 'module.legacy[*].aws_kms_key.*', reason: 'imported keys', owner: 'platform-security', expires: '2027-01-31' });
    expect(notices).toEqual([]);
    expect(out.filter((f) => gates(f, 'high', 'warn')).map((f) => f.address)).toEqual(['module.other.aws_kms_key.this', 'module.legacy["us"].aws_kms_key.this']);
  });

  it('an expired waiver covers nothing and is reported; so is one that matches nothing', () => {
    const findings = [finding('key-rotation-enabled', 'aws_kms_key.legacy')];
    const { findings: out, notices } = applyWaivers(
      findings,
      [waiver('key-rotation-enabled', 'aws_kms_key.legacy', '2026-11-27'), waiver('key-disabled', 'aws_kms_key.nothing', '2030-01-01')],
      '2026-11-28',
    );
    expect(out[0]?.waiver).toBeUndefined();
    expect(gates(out[0]!, 'high', 'warn')).toBe(true);
    expect(notices.map((n) => [n.rule, n.problem])).toEqual([
      ['key-rotation-enabled', 'expired'],
      ['key-disabled', 'unused'],
    ]);
  });

  it('brackets, quotes and dots in addresses are literal: only * and ? are wildcards', () => {
    const findings = [finding('key-multi-region', 'module.keys["a.b"].aws_kms_key.this'), finding('key-multi-region', 'module.keys["aXb"].aws_kms_key.this')];
    const { findings: out } = applyWaivers(findings, [waiver('key-multi-region', 'module.keys["a.b"].aws_kms_key.this', '2030-01-01')], '2026-11-28');
    expect(out.map((f) => Boolean(f.waiver))).toEqual([true, false]);
  });
});
