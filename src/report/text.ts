import pc from 'picocolors';
import { SEVERITY_RANK, gates, type Finding, type Report, type Severity, type WaiverNotice } from '../finding';
import { primaryPlace } from './identity';
import type { RenderOptions } from './options';
import { remediationLine } from './describe';
import { compareNotices, compareSeverity, compareText, rulesById, sortedFindings } from './order';
import { countsLine, summarize, thresholdWords } from './summary';
import { lines, oneLine } from './visible';

type Colors = ReturnType<typeof pc.createColors>;

const SEVERITY_COLOR = {
  critical: (c) => c.bold(c.red('critical')),
  high: (c) => c.red('high'),
  medium: (c) => c.yellow('medium'),
  low: (c) => c.cyan('low'),
  info: (c) => c.dim('info'),
} as const satisfies Record<Severity, (c: Colors) => string>;

const LABEL_WIDTH = 'critical'.length;
const DETAIL = '      ';

interface Group {
  file: string;
  address: string;
  findings: Finding[];
}

/**
 * For a person at a terminal: one block per resource, the worst resources first; inside a block the
 * active findings by severity, then the waived ones; waiver notices; one summary line last, where the
 * eye lands when the command returns.
 */
export function renderText(report: Report, options: RenderOptions): string {
  // createColors(enabled) and never picocolors' default export: the caller has already decided.
  const c = pc.createColors(options.color);
  const summary = summarize(report);
  const rules = rulesById(report);
  const shown = sortedFindings(report).filter(
    (finding) => !options.quiet || gates(finding, report.failOn, report.onUnknown),
  );
  const out: string[] = [];
  if (!options.quiet) out.push(header(report, c), '');
  for (const group of groupByResource(shown)) {
    out.push(groupHeader(group, c));
    // One fix line per rule and resource, however many times the rule reports the resource.
    const fixed = new Set<string>();
    for (const finding of group.findings) {
      const fix = fixed.has(finding.ruleId) ? undefined : remediationLine(rules.get(finding.ruleId));
      if (finding.status === 'fail' && !finding.waiver) fixed.add(finding.ruleId);
      out.push(...findingLines(finding, gates(finding, report.failOn, report.onUnknown), fix, c));
    }
    out.push('');
  }
  if (!options.quiet && report.waiverNotices.length > 0) {
    out.push(c.bold('Waiver notices'));
    out.push(...[...report.waiverNotices].sort(compareNotices).map((notice) => noticeLine(notice, c)), '');
  }
  const gate = summary.decision === 'fail' ? c.bold(c.red('FAIL')) : c.bold(c.green('PASS'));
  out.push(`${countsLine(summary)} · gate: ${gate} at ${thresholdWords(summary)}`);
  return `${out.join('\n')}\n`;
}

function header(report: Report, c: Colors): string {
  const plans = report.inputs.length === 1 ? '1 plan' : `${report.inputs.length} plans`;
  const resources = report.inputs.reduce((total, input) => total + input.resources, 0);
  return c.dim(`${report.tool.name} ${report.tool.version} · ${plans} (${resources} resources) · ${report.rules.length} rules`);
}

/** Waived findings rank below every active one; otherwise the most severe finding ranks the resource. */
function weight(finding: Finding): number {
  return finding.waiver ? -1 : SEVERITY_RANK[finding.severity];
}

function groupByResource(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const finding of findings) {
    const key = `${finding.file}\u0000${finding.address}`;
    const group = groups.get(key) ?? { file: finding.file, address: finding.address, findings: [] };
    group.findings.push(finding);
    groups.set(key, group);
  }
  const worst = (group: Group): number => Math.max(...group.findings.map(weight));
  return [...groups.values()]
    .map((group) => ({ ...group, findings: [...group.findings].sort(compareInGroup) }))
    .sort((a, b) => worst(b) - worst(a) || compareText(a.file, b.file) || compareText(a.address, b.address));
}

function compareInGroup(a: Finding, b: Finding): number {
  return (
    Number(a.waiver !== undefined) - Number(b.waiver !== undefined) ||
    compareSeverity(a, b) ||
    compareText(a.status, b.status) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message)
  );
}

function groupHeader(group: Group, c: Colors): string {
  const located = group.findings.find((finding) => finding.location);
  const place = located && primaryPlace(located);
  const location = place ? `  ${oneLine(place.path)}:${place.line}` : '';
  if (group.address === '') return `${c.bold(oneLine(group.file))}${location}  ${c.dim('(the plan itself)')}`;
  return `${c.bold(oneLine(group.address))}${location}  ${c.dim(`(${oneLine(group.file)})`)}`;
}

/** Labels are padded to the widest one, `critical`, so rule ids line up. */
function padding(label: string): string {
  return ' '.repeat(Math.max(0, LABEL_WIDTH - label.length));
}

function findingLines(finding: Finding, gating: boolean, fix: string | undefined, c: Colors): string[] {
  const [first = '', ...rest] = lines(finding.message);
  const details = rest.map((line) => `${DETAIL}${line}`);
  const rule = oneLine(finding.ruleId);
  let head: string;
  if (finding.waiver) {
    const w = finding.waiver;
    head = `${c.dim('~ waived')}${padding('waived')}  ${rule} (${finding.severity})`;
    details.push(`${DETAIL}${c.dim(oneLine(`waived by ${w.owner} until ${w.expires}: ${w.reason}`))}`);
  } else if (finding.status === 'unknown') {
    head = `${c.magenta('? unknown')}${padding('unknown')}  ${rule} (${finding.severity})`;
    const waitsOn = finding.waitsOn && finding.waitsOn.length > 0 ? finding.waitsOn.join(', ') : 'a value known only after apply';
    details.push(`${DETAIL}${c.magenta('waits on:')} ${oneLine(waitsOn)}`);
  } else {
    // ✗ gates at --fail-on; • is a violation below the threshold.
    const marker = gating ? c.red('✗') : c.yellow('•');
    head = `${marker} ${SEVERITY_COLOR[finding.severity](c)}${padding(finding.severity)}  ${rule}`;
    if (fix !== undefined) details.push(`${DETAIL}${c.dim('fix:')} ${oneLine(fix)}`);
  }
  return [`  ${head}  ${first}`, ...details];
}

function noticeLine(notice: WaiverNotice, c: Colors): string {
  const what =
    notice.problem === 'expired'
      ? `${c.yellow('expired')}  ${oneLine(notice.rule)}  ${oneLine(notice.address)}  expired ${oneLine(notice.expires)}, findings gate again`
      : `${c.yellow('unused')}   ${oneLine(notice.rule)}  ${oneLine(notice.address)}  matched nothing, remove it`;
  return `  ${what} (${oneLine(notice.owner)}: ${oneLine(notice.reason)})`;
}
