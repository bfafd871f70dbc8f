import { SEVERITY_RANK, type Finding, type Report, type RuleMeta, type WaiverNotice } from '../finding';

/** Code-unit order: `localeCompare` depends on the host's ICU data, and reports must be byte-identical everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The contract order of findings: (file, ruleId, address, message), then status and severity so ties stay stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.address, b.address) ||
    compareText(a.message, b.message) ||
    compareText(a.status, b.status) ||
    compareText(a.severity, b.severity)
  );
}

/** Renderers sort again rather than trust the producer: the order is part of every format's contract. */
export function sortedFindings(report: Report): Finding[] {
  return [...report.findings].sort(compareFindings);
}

/** Most severe first. */
export function compareSeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
}

export function rulesById(report: Report): ReadonlyMap<string, RuleMeta> {
  return new Map(report.rules.map((rule) => [rule.id, rule]));
}

export function compareNotices(a: WaiverNotice, b: WaiverNotice): number {
  return (
    compareText(a.problem, b.problem) ||
    compareText(a.rule, b.rule) ||
    compareText(a.address, b.address) ||
    compareText(a.expires, b.expires) ||
    compareText(a.owner, b.owner) ||
    compareText(a.reason, b.reason)
  );
}

/** Object keys in code-unit order. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
