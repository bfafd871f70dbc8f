import { SEVERITY_RANK, gates, type Finding, type Report, type RuleMeta } from '../finding';
import { UNKNOWN_PREFIX, remediationLine } from './describe';
import { primaryPlace } from './identity';
import type { RenderOptions } from './options';
import { compareFindings, compareText, rulesById } from './order';
import { element, xmlText } from './xml';

// JUnit XML for CI test views (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps): a test suite
// per rule, a test case per rule × resource. A failure is a violation at any severity, typed with the
// severity. An unknown result is an <error> when `--on-unknown fail` makes it gate (the test could not
// be decided and that is fatal) and otherwise <skipped>, with what it waits on, so it is counted and
// visible but not red. A waived finding is <skipped> with the waiver's reason.

interface Case {
  ruleId: string;
  file: string;
  address: string;
  findings: Finding[];
}

type Outcome = { kind: 'passed' } | { kind: 'failure' | 'error' | 'skipped'; xml: string };

export function renderJunit(report: Report, _options: RenderOptions): string {
  const rules = rulesById(report);
  const several = report.inputs.length > 1;
  const suites = [...groupCases(report).entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([ruleId, cases]) => {
      const outcomes = cases.map((c) => [c, outcome(c, report, rules.get(ruleId))] as const);
      const count = (kind: Outcome['kind']): number => outcomes.filter(([, o]) => o.kind === kind).length;
      const rule = rules.get(ruleId);
      const properties = rule ? suiteProperties(rule) : '';
      const testcases = outcomes
        .map(([c, o]) => {
          const attributes = [
            ['name', caseName(c, several)],
            ['classname', c.ruleId],
            ['file', c.findings[0] ? primaryPlace(c.findings[0]).path : c.file],
            ['time', '0'],
          ] as const;
          return o.kind === 'passed'
            ? `    ${element('testcase', attributes)}\n`
            : `    ${element('testcase', attributes, `\n      ${o.xml}\n    `)}\n`;
        })
        .join('');
      const counts = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
      const open = element('testsuite', [
        ['name', ruleId],
        ['tests', counts.tests],
        ['failures', counts.failures],
        ['errors', counts.errors],
        ['skipped', counts.skipped],
        ['time', '0'],
      ]).replace(/\/>$/, '>');
      return { counts, xml: `  ${open}\n${properties}${testcases}  </testsuite>\n` };
    });
  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped'): number =>
    suites.reduce((sum, suite) => sum + suite.counts[key], 0);
  const root = element('testsuites', [
    ['name', report.tool.name],
    ['tests', total('tests')],
    ['failures', total('failures')],
    ['errors', total('errors')],
    ['skipped', total('skipped')],
    ['time', '0'],
  ]).replace(/\/>$/, '>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.map((s) => s.xml).join('')}</testsuites>\n`;
}

function suiteProperties(rule: RuleMeta): string {
  const properties = [
    ['severity', rule.severity],
    ['title', rule.title],
    ['helpUri', rule.helpUri],
  ] as const;
  const lines = properties.map(([name, value]) => `      ${element('property', [['name', name], ['value', value]])}\n`);
  return `    <properties>\n${lines.join('')}    </properties>\n`;
}

/** Rule id → cases sorted by (file, address). A pair both passed and found counts as found. */
function groupCases(report: Report): Map<string, Case[]> {
  const cases = new Map<string, Case>();
  const caseFor = (ruleId: string, file: string, address: string): Case => {
    const key = [ruleId, file, address].join('\u0000');
    const existing = cases.get(key);
    if (existing) return existing;
    const created: Case = { ruleId, file, address, findings: [] };
    cases.set(key, created);
    return created;
  };
  for (const finding of [...report.findings].sort(compareFindings)) {
    caseFor(finding.ruleId, finding.file, finding.address).findings.push(finding);
  }
  for (const pair of report.passed) caseFor(pair.ruleId, pair.file, pair.address);
  const byRule = new Map<string, Case[]>();
  for (const c of [...cases.values()].sort((a, b) => compareText(a.file, b.file) || compareText(a.address, b.address))) {
    byRule.set(c.ruleId, [...(byRule.get(c.ruleId) ?? []), c]);
  }
  return byRule;
}

/** Test names must tell stacks apart when one run checks several plans. */
function caseName(c: Case, several: boolean): string {
  const name = c.address === '' ? '(plan)' : c.address;
  return several ? `${name} [${c.file}]` : name;
}

function outcome(c: Case, report: Report, rule: RuleMeta | undefined): Outcome {
  const active = c.findings.filter((f) => !f.waiver);
  const failed = active.filter((f) => f.status === 'fail').sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const unknown = active.filter((f) => f.status === 'unknown');
  const waived = c.findings.filter((f) => f.waiver);
  const [worst] = failed;
  if (worst) {
    return {
      kind: 'failure',
      xml: element('failure', [['message', worst.message], ['type', worst.severity]], `${xmlText(body(c.findings, rule))}\n      `),
    };
  }
  const [firstUnknown] = unknown;
  if (firstUnknown) {
    const message = `${UNKNOWN_PREFIX}${firstUnknown.message}${waitsOn(firstUnknown)}`;
    return unknown.some((f) => gates(f, report.failOn, report.onUnknown))
      ? { kind: 'error', xml: element('error', [['message', message], ['type', 'unknown']], `${xmlText(body(c.findings, rule))}\n      `) }
      : { kind: 'skipped', xml: element('skipped', [['message', message]]) };
  }
  const [firstWaived] = waived;
  if (firstWaived?.waiver) {
    const w = firstWaived.waiver;
    return {
      kind: 'skipped',
      xml: element('skipped', [['message', `Waived by ${w.owner} until ${w.expires}: ${w.reason}. ${firstWaived.message}`]]),
    };
  }
  return { kind: 'passed' };
}

function waitsOn(finding: Finding): string {
  return finding.waitsOn && finding.waitsOn.length > 0 ? ` Waits on: ${finding.waitsOn.join(', ')}.` : '';
}

/** Every finding of the case, so a second violation of the same rule on the resource is not lost. */
function body(findings: readonly Finding[], rule: RuleMeta | undefined): string {
  const blocks = findings.map((f) => {
    const place = primaryPlace(f);
    const status = f.waiver ? `waived ${f.status}` : f.status;
    const lines = [
      `[${f.severity}] ${status}: ${f.message}${f.status === 'unknown' ? waitsOn(f) : ''}`,
      `resource: ${f.address === '' ? '(plan)' : f.address}`,
      `plan: ${f.file}`,
      `location: ${place.path}:${place.line}`,
      ...Object.keys(f.evidence ?? {})
        .sort(compareText)
        .map((key) => `evidence ${key}: ${JSON.stringify(f.evidence?.[key])}`),
      ...(f.waiver ? [`waiver: ${f.waiver.owner}, expires ${f.waiver.expires}: ${f.waiver.reason}`] : []),
    ];
    return lines.join('\n');
  });
  const fix = remediationLine(rule);
  const tail = [...(fix === undefined ? [] : [`fix: ${fix}`]), ...(rule ? [`docs: ${rule.helpUri}`] : [])];
  return `\n${[...blocks, ...(tail.length > 0 ? [tail.join('\n')] : [])].join('\n\n')}`;
}
