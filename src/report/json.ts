import {
  gates,
  type AppliedWaiver,
  type EvidenceValue,
  type Finding,
  type InputSummary,
  type Report,
  type Severity,
  type SourceLocation,
  type Status,
  type WaiverNotice,
} from '../finding';
import type { RenderOptions } from './options';
import { compareNotices, compareText, sortedFindings, sortedRecord } from './order';
import { summarize, type Summary } from './summary';

/**
 * The `--format json` document (SPEC §6), described by docs/json-output.schema.json. `version` is the
 * version of this schema: the minor part grows when fields are added, the major part when a field
 * changes meaning or disappears.
 */
export const JSON_OUTPUT_VERSION = '1.0';

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  status: Status;
  /** Whether this finding makes the gate fail under the run's `failOn` and `onUnknown`. */
  gating: boolean;
  address: string;
  file: string;
  message: string;
  location?: SourceLocation;
  evidence?: Readonly<Record<string, EvidenceValue>>;
  waitsOn?: readonly string[];
  waiver?: AppliedWaiver;
}

export interface JsonReport {
  version: typeof JSON_OUTPUT_VERSION;
  tool: { name: string; version: string };
  inputs: readonly InputSummary[];
  summary: Summary;
  findings: readonly JsonFinding[];
  waiverNotices: readonly WaiverNotice[];
}

export function toJsonReport(report: Report): JsonReport {
  return {
    version: JSON_OUTPUT_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    inputs: [...report.inputs]
      .sort((a, b) => compareText(a.file, b.file))
      .map((input) => ({
        file: input.file,
        kind: input.kind,
        formatVersion: input.formatVersion,
        ...(input.terraformVersion !== undefined && { terraformVersion: input.terraformVersion }),
        resources: input.resources,
      })),
    summary: summarize(report),
    findings: sortedFindings(report).map((finding) => jsonFinding(finding, report)),
    waiverNotices: [...report.waiverNotices].sort(compareNotices).map((notice) => ({
      problem: notice.problem,
      rule: notice.rule,
      address: notice.address,
      owner: notice.owner,
      expires: notice.expires,
      reason: notice.reason,
    })),
  };
}

/** Keys in a fixed order, optional ones only when present: `JSON.stringify` keeps insertion order. */
function jsonFinding(finding: Finding, report: Report): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    status: finding.status,
    gating: gates(finding, report.failOn, report.onUnknown),
    address: finding.address,
    file: finding.file,
    message: finding.message,
    ...(finding.location && { location: { path: finding.location.path, line: finding.location.line } }),
    ...(finding.evidence && { evidence: sortedRecord(finding.evidence) }),
    ...(finding.waitsOn && { waitsOn: [...finding.waitsOn] }),
    ...(finding.waiver && {
      waiver: {
        rule: finding.waiver.rule,
        address: finding.waiver.address,
        reason: finding.waiver.reason,
        owner: finding.waiver.owner,
        expires: finding.waiver.expires,
      },
    }),
  };
}

export function renderJson(report: Report, _options: RenderOptions): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
