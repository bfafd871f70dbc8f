// Which findings become annotations on the workflow run. GitHub displays at most 10 error, 10 warning
// and 10 notice annotations per step (50 per job) and drops the rest, so the level follows the gate
// and each level keeps its most severe entries; the job summary and the SARIF list everything.
// https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations

import { SEVERITY_RANK, gates, type Finding, type Report, type WaiverNotice } from '../finding';
import { describe, remediationLine } from '../report/describe';
import { primaryPlace } from '../report/identity';
import { compareFindings, compareNotices, rulesById } from '../report/order';
import { oneLine } from '../report/visible';

export const ANNOTATION_LEVELS = ['error', 'warning', 'notice'] as const;
export type AnnotationLevel = (typeof ANNOTATION_LEVELS)[number];

export const ANNOTATIONS_PER_LEVEL = 10;

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
  /** Relative to the workspace: the `.tf` block when known, else the plan file. */
  file?: string;
  line?: number;
}

export interface Annotations {
  annotations: Annotation[];
  /** Per level, how many were not emitted because of the per-step limit. */
  omitted: Record<AnnotationLevel, number>;
}

/**
 * error: the findings that fail the gate. warning: other live findings of medium severity or above
 * (below `fail-on`, or unknown at plan time). notice: live low and info findings, waiver problems
 * (expired, unused) and waived findings.
 */
export function levelOf(finding: Finding, report: Report): AnnotationLevel {
  if (finding.waiver) return 'notice';
  if (gates(finding, report.failOn, report.onUnknown)) return 'error';
  return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK.medium ? 'warning' : 'notice';
}

/** Most severe first, then failures before unknowns, then the report order. */
function compareUrgency(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    Number(a.status === 'unknown') - Number(b.status === 'unknown') ||
    compareFindings(a, b)
  );
}

function findingAnnotation(finding: Finding, report: Report, fix: string | undefined): Annotation {
  const place = primaryPlace(finding);
  const waiver = finding.waiver;
  const lines = [
    ...(waiver ? [`Waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason}`] : []),
    describe(finding),
    ...(fix && !waiver ? [`Fix: ${fix}`] : []),
  ];
  return {
    level: levelOf(finding, report),
    title: `kmsgate ${finding.severity}: ${finding.ruleId}`,
    message: lines.map(oneLine).join('\n'),
    file: place.path,
    line: place.line,
  };
}

function noticeAnnotation(notice: WaiverNotice): Annotation {
  const what =
    notice.problem === 'expired'
      ? `expired on ${notice.expires}; the findings it covered fail again`
      : `matched no finding (expires ${notice.expires}); remove it`;
  return {
    level: 'notice',
    title: `kmsgate waiver ${notice.problem}: ${notice.rule}`,
    message: oneLine(`Waiver for ${notice.rule} on ${notice.address} (owner ${notice.owner}) ${what}: ${notice.reason}`),
  };
}

export function annotationsFor(report: Report): Annotations {
  const rules = rulesById(report);
  const byLevel: Record<AnnotationLevel, Annotation[]> = { error: [], warning: [], notice: [] };
  const live = report.findings.filter((f) => !f.waiver).sort(compareUrgency);
  const waived = report.findings.filter((f) => f.waiver).sort(compareUrgency);
  for (const finding of live) {
    const annotation = findingAnnotation(finding, report, remediationLine(rules.get(finding.ruleId)));
    byLevel[annotation.level].push(annotation);
  }
  byLevel.notice.push(...[...report.waiverNotices].sort(compareNotices).map(noticeAnnotation));
  byLevel.notice.push(...waived.map((finding) => findingAnnotation(finding, report, undefined)));
  return {
    annotations: ANNOTATION_LEVELS.flatMap((level) => byLevel[level].slice(0, ANNOTATIONS_PER_LEVEL)),
    omitted: {
      error: Math.max(0, byLevel.error.length - ANNOTATIONS_PER_LEVEL),
      warning: Math.max(0, byLevel.warning.length - ANNOTATIONS_PER_LEVEL),
      notice: Math.max(0, byLevel.notice.length - ANNOTATIONS_PER_LEVEL),
    },
  };
}
