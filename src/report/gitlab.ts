import { createHash } from 'node:crypto';
import type { Report, Severity } from '../finding';
import { identities, identityOf, primaryPlace } from './identity';
import type { RenderOptions } from './options';
import { describe } from './describe';
import { sortedFindings } from './order';

// GitLab Code Quality report (`artifacts:reports:codequality`), the fields GitLab documents for a
// custom tool: https://docs.gitlab.com/ci/testing/code_quality/#implement-a-custom-tool

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

const SEVERITY = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
} as const satisfies Record<Severity, CodeQualitySeverity>;

/** As in SARIF, an undecided result is one step from a failure, never one: minor for high rules, else info. */
const UNKNOWN_SEVERITY = {
  critical: 'minor',
  high: 'minor',
  medium: 'info',
  low: 'info',
  info: 'info',
} as const satisfies Record<Severity, CodeQualitySeverity>;

/**
 * Waived findings are left out: Code Quality has no notion of an accepted issue, and GitLab would show
 * them in the merge request widget as new problems.
 */
export function toCodeQuality(report: Report): CodeQualityIssue[] {
  const all = sortedFindings(report);
  const ids = identities(all);
  return all
    .filter((finding) => !finding.waiver)
    .map((finding) => {
      const identity = identityOf(ids, finding);
      const place = primaryPlace(finding);
      return {
        description: describe(finding),
        check_name: finding.ruleId,
        // GitLab merges issues with one fingerprint across every job of a pipeline, so it is unique per
        // violation (rule, address, plan file, occurrence) and, like SARIF's, free of lines and wording.
        fingerprint: createHash('sha256').update(`${identity.hash}:${identity.occurrence}`).digest('hex').slice(0, 32),
        severity: finding.status === 'unknown' ? UNKNOWN_SEVERITY[finding.severity] : SEVERITY[finding.severity],
        location: { path: place.path, lines: { begin: place.line } },
      };
    });
}

export function renderGitlab(report: Report, _options: RenderOptions): string {
  return `${JSON.stringify(toCodeQuality(report), null, 2)}\n`;
}
