import type { Finding, RuleMeta } from '../finding';

/** Machine formats that have no status field of their own start an undecided result's message with this. */
export const UNKNOWN_PREFIX = 'Unknown at plan time: ';

/** A plan-level finding has no address; reports name it after the plan file. */
export function subject(finding: Finding): string {
  return finding.address === '' ? finding.file : finding.address;
}

/** One self-contained sentence for formats that show a finding out of context (SARIF, Code Quality). */
export function describe(finding: Finding): string {
  const text = `${subject(finding)}: ${finding.message}`;
  if (finding.status !== 'unknown') return text;
  const waitsOn = finding.waitsOn && finding.waitsOn.length > 0 ? ` Waits on: ${finding.waitsOn.join(', ')}.` : '';
  return `${UNKNOWN_PREFIX}${text}${waitsOn}`;
}

/** The first non-empty line of a rule's remediation: what fits on one line of a terminal. */
export function remediationLine(rule: RuleMeta | undefined): string | undefined {
  return rule?.remediation
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
}
