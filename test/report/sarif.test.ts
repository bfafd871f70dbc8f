import { readFileSync } from 'node:fs';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { render, renderPieces, toSarif, DEFAULT_RENDER_OPTIONS } from '../../src/report';
import { uriReference } from '../../src/report/sarif';
import { validator } from './ajv';
import { REPORT } from './fixture';
import { goldenPath } from './golden';
import { multitool, SARIF_SCHEMA } from './multitool';

const validateSchema = validator(SARIF_SCHEMA);
const sarif = (report: Report = REPORT): Sarif.Log => toSarif(report, DEFAULT_RENDER_OPTIONS);
const run = (report: Report = REPORT): Sarif.Run => {
  const first = sarif(report).runs[0];
  if (!first) throw new Error('no run');
  return first;
};
const golden = readFileSync(goldenPath('report.sarif'), 'utf8');
const variants: Report[] = [
  { ...REPORT, onUnknown: 'fail', failOn: 'low' },
  { ...REPORT, findings: [], waiverNotices: [] },
];

describe('sarif: validity', () => {
  it('the golden file and fresh output validate against the SARIF 2.1.0 schema', () => {
    validateSchema(JSON.parse(golden));
    for (const report of variants) validateSchema(sarif(report));
  });

  it('the golden file passes the Multitool with GitHub ingestion rules: no error or warning', { timeout: 120_000 }, () => {
    const diagnostics = multitool(golden);
    expect(diagnostics.filter((r) => r.level === 'error').map((r) => `${r.ruleId}: ${r.message.text ?? ''}`)).toEqual([]);
    expect(diagnostics.filter((r) => r.level === 'warning').map((r) => `${r.ruleId}: ${r.message.text ?? ''}`)).toEqual([]);
    const empty = multitool(render('sarif', variants[1] ?? REPORT));
    expect(empty.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('the Multitool check has teeth: a result without a location fails GH1001', { timeout: 120_000 }, () => {
    const broken = JSON.parse(golden) as Sarif.Log;
    const result = broken.runs[0]?.results?.[0];
    if (result) delete result.locations;
    const errors = multitool(JSON.stringify(broken)).filter((r) => r.level === 'error').map((r) => r.ruleId);
    expect(errors).toContain('GH1001');
  });
});

describe('sarif: content', () => {
  it('has one run with the driver and rules from report.rules', () => {
    const log = sarif();
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = run().tool.driver;
    expect(driver).toMatchObject({ name: 'kmsgate', semanticVersion: '0.1.0', informationUri: 'https://github.com/kmsgate/kmsgate' });
    expect(driver.rules?.map((r) => r.id)).toEqual(REPORT.rules.map((r) => r.id));
    expect(run().automationDetails?.id).toBe('kmsgate/');
    expect(toSarif(REPORT, { ...DEFAULT_RENDER_OPTIONS, automationId: 'kmsgate/prod/' }).runs[0]?.automationDetails?.id).toBe('kmsgate/prod/');
    expect(toSarif(REPORT, { ...DEFAULT_RENDER_OPTIONS, automationId: '' }).runs[0]).not.toHaveProperty('automationDetails');
  });

  it('gives each rule GitHub metadata with a security severity that matches its severity', () => {
    const range = { critical: [9.0, 10], high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] } as const;
    for (const rule of run().tool.driver.rules ?? []) {
      const meta = REPORT.rules.find((r) => r.id === rule.id);
      if (!meta) throw new Error(rule.id);
      expect(rule.shortDescription?.text).toBe(meta.title);
      expect(rule.fullDescription?.text).toBe(meta.description);
      expect(rule.help?.text).toContain(meta.remediation);
      expect(rule.help?.markdown).toContain(meta.remediation);
      expect(rule.helpUri).toBe(meta.helpUri);
      const tags = rule.properties?.tags ?? [];
      expect(tags).toContain('security');
      expect(tags.length).toBeLessThanOrEqual(10);
      expect(new Set(tags).size).toBe(tags.length);
      expect(rule.properties?.['precision']).toBe(meta.precision);
      const score = rule.properties?.['security-severity'] as unknown;
      if (meta.severity === 'info') {
        expect(score).toBeUndefined();
        expect(rule.defaultConfiguration?.level).toBe('note');
      } else {
        expect(typeof score).toBe('string');
        const [min, max] = range[meta.severity];
        expect(Number(score)).toBeGreaterThanOrEqual(min);
        expect(Number(score)).toBeLessThanOrEqual(max);
      }
    }
  });

  it('places every result at one relative location, falling back to line 1 of the plan file', () => {
    const results = run().results ?? [];
    for (const result of results) {
      expect(result.locations).toHaveLength(1);
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\//i);
      expect(result.locations?.[0]?.physicalLocation?.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(run().tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
    }
    const destroyed = results.find((r) => r.ruleId === 'key-destroyed');
    expect(destroyed?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'stacks/prod/tfplan.json' },
      region: { startLine: 1 },
    });
    const spaced = results.find((r) => r.ruleId === 'iam-policy-kms-wildcard');
    expect(spaced?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('stacks/shared/iam%20policies.tf');
  });

  it('leaves waived findings out and reports them as configuration notes', () => {
    const results = run().results ?? [];
    expect(results).toHaveLength(REPORT.findings.filter((f) => !f.waiver).length);
    expect(results.some((r) => r.ruleId === 'key-spec-strength')).toBe(false);
    const notes = run().invocations?.[0]?.toolConfigurationNotifications ?? [];
    expect(notes.map((n) => n.message.text?.split(':')[0])).toEqual([
      'Waived',
      'Waived',
      'Waiver expired on 2026-06-30; its findings gate again',
      'Waiver matched no finding (expires 2027-03-01); remove it',
    ]);
  });

  it('marks unknown results: warning or note, status unknown, message prefix', () => {
    const unknown = (run().results ?? []).filter((r) => r.properties?.['status'] === 'unknown');
    expect(unknown.map((r) => [r.ruleId, r.level])).toEqual([
      ['key-policy-trusted-accounts', 'warning'],
      ['key-deletion-window', 'note'],
    ]);
    for (const r of unknown) expect(r.message.text).toMatch(/^Unknown at plan time: .*Waits on: /);
    const failed = (run().results ?? []).filter((r) => r.properties?.['status'] === 'fail');
    for (const r of failed) expect(r.message.text).not.toMatch(/^Unknown/);
  });
});

describe('sarif: fingerprints', () => {
  const base: Finding = {
    ruleId: 'key-rotation-enabled',
    severity: 'high',
    status: 'fail',
    address: 'module.kms["a.b"].aws_kms_key.this["x"]',
    file: 'stacks/prod/tfplan.json',
    message: 'enable_key_rotation is false.',
    location: { path: 'modules/kms/main.tf', line: 12 },
  };
  const hashes = (...findings: Finding[]): string[] =>
    (run({ ...REPORT, findings, waiverNotices: [] }).results ?? []).map(
      (r) => r.partialFingerprints?.['primaryLocationLineHash'] ?? '',
    );

  it('survive line moves, rewording, new evidence, severity changes and an unknown becoming a failure', () => {
    const [original] = hashes(base);
    expect(original).toMatch(/^[0-9a-f]{16}:1$/);
    expect(hashes({ ...base, location: { path: 'modules/kms/main.tf', line: 80 } })).toEqual([original]);
    expect(hashes({ ...base, message: 'Rotation is disabled.', evidence: { enable_key_rotation: false } })).toEqual([original]);
    expect(hashes({ ...base, severity: 'critical' })).toEqual([original]);
    expect(hashes({ ...base, status: 'unknown', waitsOn: ['var.rotate'] })).toEqual([original]);
    expect(hashes({ ...base, file: './stacks/prod/tfplan.json' })).toEqual([original]);
  });

  it('tell rules, resources and stacks apart, and number repeated findings', () => {
    const [original] = hashes(base);
    expect(hashes({ ...base, ruleId: 'key-deletion-window' })).not.toEqual([original]);
    expect(hashes({ ...base, address: 'module.kms["a"].aws_kms_key.this["b.x"]' })).not.toEqual([original]);
    expect(hashes({ ...base, file: 'stacks/staging/tfplan.json' })).not.toEqual([original]);
    // Results come in message order, and the occurrence follows that order.
    const twice = hashes(base, { ...base, message: 'A second statement.' });
    expect(twice.map((h) => h.split(':')[1])).toEqual(['1', '2']);
    expect(new Set(twice.map((h) => h.split(':')[0])).size).toBe(1);
  });

  it('do not change when another finding is waived', () => {
    const other = { ...base, message: 'A.' };
    const [, baseHash] = hashes(base, other);
    expect(baseHash).toMatch(/:2$/);
    const waived = { ...other, waiver: { rule: base.ruleId, address: '*', reason: 'r', owner: 'o', expires: '2030-01-01' } };
    expect(hashes(base, waived)).toEqual([baseHash]);
  });
});

describe('uriReference', () => {
  it('percent-encodes what a URI reference cannot hold and a scheme-like first segment', () => {
    expect(uriReference('stacks/prod/main.tf')).toBe('stacks/prod/main.tf');
    expect(uriReference('iam policies/#1?.tf')).toBe('iam%20policies/%231%3F.tf');
    expect(uriReference('c:/infra/main.tf')).toBe('c%3A/infra/main.tf');
    expect(uriReference('infra/a:b.tf')).toBe('infra/a:b.tf');
    expect(uriReference('clés/100%.tf')).toBe('cl%C3%A9s/100%25.tf');
  });
});

describe('sarif: written in pieces', () => {
  const pieces = (report: Report, automationId = DEFAULT_RENDER_OPTIONS.automationId) => [...renderPieces('sarif', report, { automationId })];
  const whole = (report: Report, automationId = DEFAULT_RENDER_OPTIONS.automationId) => `${JSON.stringify(toSarif(report, { ...DEFAULT_RENDER_OPTIONS, automationId }), null, 2)}\n`;

  it('the pieces make exactly the text of the whole log, with results, without, and all waived', () => {
    const allWaived: Report = { ...REPORT, findings: REPORT.findings.filter((f) => f.waiver) };
    for (const report of [REPORT, ...variants, allWaived]) {
      expect(pieces(report).join('')).toBe(whole(report));
      expect(render('sarif', report)).toBe(whole(report));
    }
    expect(pieces(REPORT, '').join('')).toBe(whole(REPORT, ''));
    expect(pieces(REPORT).join('')).toBe(golden);
  });

  it('a large log comes in pieces of a few dozen results, with the same text', () => {
    const findings = Array.from({ length: 700 }, (_, i) => REPORT.findings.filter((f) => !f.waiver).map((f) => ({ ...f, address: `${f.address}-${i}` }))).flat();
    const large: Report = { ...REPORT, findings };
    const written = pieces(large);
    expect(written.join('')).toBe(whole(large));
    expect(written.length).toBe(2 + Math.ceil(findings.length / 32));
    expect(Math.max(...written.map((piece) => piece.length))).toBeLessThan(whole(large).length / 4);
  });

  it('a rule text that holds the placeholder of the results does not move them', () => {
    const mark = '\u0000kmsgate-results\u0000';
    const hostile: Report = { ...REPORT, rules: REPORT.rules.map((rule) => ({ ...rule, description: `${mark} "${mark}"`, title: mark })) };
    expect(pieces(hostile, mark).join('')).toBe(whole(hostile, mark));
  });
});
