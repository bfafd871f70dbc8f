// The contract between evaluate and report: what a rule found, and the metadata reports need to
// explain it. Every report format is a pure function of `Report`.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe; used for sorting and for `--fail-on`. */
export const SEVERITY_RANK = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
} as const satisfies Record<Severity, number>;

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** `fail`: the rule is violated. `unknown`: the rule could not be decided (a value is known only after apply). */
export type Status = 'fail' | 'unknown';

export type OnUnknown = 'fail' | 'warn' | 'pass';

/** A place in the Terraform source, relative to the working directory, POSIX separators. */
export interface SourceLocation {
  path: string;
  line: number;
}

export type EvidenceValue = string | number | boolean | null | readonly EvidenceValue[];

export interface AppliedWaiver {
  rule: string;
  address: string;
  reason: string;
  owner: string;
  expires: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  status: Status;
  /** Full resource address (module path and instance keys kept); '' for findings about the plan itself. */
  address: string;
  /** The plan file as it was named on the command line. */
  file: string;
  message: string;
  location?: SourceLocation;
  /** Values that show why; never contains a value marked sensitive. */
  evidence?: Readonly<Record<string, EvidenceValue>>;
  /** For `unknown`: the references the undecided value waits on, e.g. `aws_iam_role.ci.arn`. */
  waitsOn?: readonly string[];
  /** Set when an active waiver covers the finding: it is reported but never gates. */
  waiver?: AppliedWaiver;
  /** For `unknown`: the effective unknown handling of its policy when it differs from the run's. */
  onUnknown?: OnUnknown;
}

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: readonly string[];
  tags: readonly string[];
  /** Resource types the rule reports on. */
  resourceTypes: readonly string[];
  /** How sure a result of this rule is (SARIF `precision`): very-high, high, medium, low. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** Where the rule's documentation lives (anchor in the generated rules page). */
  helpUri: string;
}

export interface InputSummary {
  file: string;
  kind: 'plan' | 'state';
  formatVersion: string;
  terraformVersion?: string;
  resources: number;
}

export interface WaiverNotice {
  rule: string;
  address: string;
  owner: string;
  expires: string;
  reason: string;
  problem: 'expired' | 'unused';
}

/** One rule checked against one resource, for formats that list passes too (JUnit). */
export interface CheckedPair {
  ruleId: string;
  address: string;
  file: string;
}

export interface Report {
  tool: { name: string; version: string; informationUri: string };
  inputs: readonly InputSummary[];
  /** Every rule that ran, in id order. */
  rules: readonly RuleMeta[];
  /** Sorted by (file, ruleId, address, message). */
  findings: readonly Finding[];
  /** Rule × resource pairs that were evaluated and passed, sorted like findings. */
  passed: readonly CheckedPair[];
  waiverNotices: readonly WaiverNotice[];
  failOn: Severity;
  onUnknown: OnUnknown;
}

/** Does this finding make the gate fail? Waived findings never do; unknowns only with `onUnknown: fail`. */
export function gates(finding: Finding, failOn: Severity, onUnknown: OnUnknown): boolean {
  if (finding.waiver) return false;
  if (finding.status === 'unknown' && (finding.onUnknown ?? onUnknown) !== 'fail') return false;
  return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
}
