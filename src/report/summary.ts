import { SEVERITIES, gates, type OnUnknown, type Report, type Severity } from '../finding';

export interface SeverityCounts {
  /** Violations not covered by a waiver. */
  failed: number;
  /** Undecided at plan time, not covered by a waiver. */
  unknown: number;
  /** Covered by an active waiver, whatever their status. */
  waived: number;
}

export interface Summary {
  decision: 'pass' | 'fail';
  failOn: Severity;
  onUnknown: OnUnknown;
  /** Findings that make the gate fail (`decision` is `fail` exactly when this is above 0). */
  gating: number;
  /** Every finding, waived ones included: failed + unknown + waived. */
  total: number;
  failed: number;
  unknown: number;
  waived: number;
  /** Rule × resource pairs that were evaluated and passed. */
  passed: number;
  /** Rules that ran. */
  rules: number;
  bySeverity: Record<Severity, SeverityCounts>;
  waiverNotices: { expired: number; unused: number };
}

export function summarize(report: Report): Summary {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, { failed: 0, unknown: 0, waived: 0 }]),
  ) as Record<Severity, SeverityCounts>;
  let gating = 0;
  for (const finding of report.findings) {
    const counts = bySeverity[finding.severity];
    if (finding.waiver) counts.waived += 1;
    else if (finding.status === 'fail') counts.failed += 1;
    else counts.unknown += 1;
    if (gates(finding, report.failOn, report.onUnknown)) gating += 1;
  }
  const sum = (key: keyof SeverityCounts): number =>
    SEVERITIES.reduce((total, severity) => total + bySeverity[severity][key], 0);
  return {
    decision: gating > 0 ? 'fail' : 'pass',
    failOn: report.failOn,
    onUnknown: report.onUnknown,
    gating,
    total: report.findings.length,
    failed: sum('failed'),
    unknown: sum('unknown'),
    waived: sum('waived'),
    passed: report.passed.length,
    rules: report.rules.length,
    bySeverity,
    waiverNotices: {
      expired: report.waiverNotices.filter((n) => n.problem === 'expired').length,
      unused: report.waiverNotices.filter((n) => n.problem === 'unused').length,
    },
  };
}

/** `3 failed (1 critical, 2 high), 1 unknown, 2 waived, 40 passed`: the words every human format ends with. */
export function countsLine(summary: Summary): string {
  const bySeverity = SEVERITIES.filter((s) => summary.bySeverity[s].failed > 0).map(
    (s) => `${summary.bySeverity[s].failed} ${s}`,
  );
  const failed = `${summary.failed} failed${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  return `${failed}, ${summary.unknown} unknown, ${summary.waived} waived, ${summary.passed} passed`;
}

/** `--fail-on high`, plus `--on-unknown` when it is not the default `warn`. */
export function thresholdWords(summary: Summary): string {
  const onUnknown = summary.onUnknown === 'warn' ? '' : `, --on-unknown ${summary.onUnknown}`;
  return `--fail-on ${summary.failOn}${onUnknown}`;
}
