import { SEVERITIES, type Finding, type Report, type RuleMeta, type Severity, type WaiverNotice } from '../finding';
import { primaryPlace } from './identity';
import type { RenderOptions } from './options';
import { subject } from './describe';
import { compareNotices, compareSeverity, compareText, rulesById, sortedFindings } from './order';
import { countsLine, summarize, thresholdWords, type Summary } from './summary';
import { oneLine, visible } from './visible';

// For pull-request comments and job summaries (GitHub, GitLab). Values from plans are data: they are
// escaped, or shown as code spans, never interpreted as Markdown or HTML. Policy texts (title,
// description, remediation) are authored Markdown and shown as such.

const UTF8 = new TextEncoder();

/** Below this the title, the counts table and the truncation note would not fit. */
export const MIN_MARKDOWN_BYTES = 4096;

const HEADING = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
} as const satisfies Record<Severity, string>;

/** A unit the report can be cut after; `findings` counts the finding rows it holds. */
interface Piece {
  text: string;
  findings: number;
}

export function renderMarkdown(report: Report, options: RenderOptions): string {
  if (!(options.maxBytes >= MIN_MARKDOWN_BYTES)) {
    throw new RangeError(`markdown maxBytes must be at least ${MIN_MARKDOWN_BYTES}, got ${options.maxBytes}`);
  }
  const summary = summarize(report);
  const rules = rulesById(report);
  const findings = sortedFindings(report);
  const active = findings.filter((f) => !f.waiver);
  const pieces: Piece[] = [
    { text: head(report, summary), findings: 0 },
    ...SEVERITIES.flatMap((severity) =>
      severitySection(
        severity,
        active.filter((f) => f.status === 'fail' && f.severity === severity).sort(byRule),
        rules,
      ),
    ),
    ...unknownSection(active.filter((f) => f.status === 'unknown').sort((a, b) => compareSeverity(a, b) || byRule(a, b)), rules),
    ...waivedSection(findings.filter((f) => f.waiver).sort((a, b) => compareSeverity(a, b) || byRule(a, b)), rules),
    ...noticeSection([...report.waiverNotices].sort(compareNotices)),
    { text: footer(report), findings: 0 },
  ];
  return fit(pieces, options.maxBytes, findings.length);
}

/** Inside a table the rule is the first column, so rows go by rule, then resource. */
function byRule(a: Finding, b: Finding): number {
  return (
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.address, b.address) ||
    compareText(a.file, b.file) ||
    compareText(a.message, b.message)
  );
}

function fit(pieces: readonly Piece[], maxBytes: number, total: number): string {
  const bytes = (text: string): number => UTF8.encode(text).length;
  const note = (omitted: number): string =>
    `\n> **Truncated** to ${maxBytes} bytes: ${omitted} of ${total} findings not shown. ` +
    'The JSON and SARIF reports list every finding.\n';
  // The note is sized for the largest count it could print, so whatever is kept, the note still fits.
  const budget = maxBytes - bytes(note(total));
  let out = '';
  let used = 0;
  let shown = 0;
  for (const [index, piece] of pieces.entries()) {
    const size = bytes(piece.text);
    if (index > 0 && used + size > (index === pieces.length - 1 ? maxBytes : budget)) {
      return `${out}${note(total - shown)}`;
    }
    out += piece.text;
    used += size;
    shown += piece.findings;
  }
  return out;
}

function head(report: Report, summary: Summary): string {
  const verdict = summary.decision === 'fail' ? '❌ gate failed' : '✅ gate passed';
  const rows = SEVERITIES.map((s) => {
    const c = summary.bySeverity[s];
    return `| ${s} | ${c.failed} | ${c.unknown} | ${c.waived} |`;
  });
  return [
    `## ${text(report.tool.name)}: ${verdict}`,
    '',
    `${countsLine(summary)} · ${summary.gating} gating at ${code(thresholdWords(summary))}`,
    '',
    '| Severity | Failed | Unknown | Waived |',
    '| :-- | --: | --: | --: |',
    ...rows,
    `| **total** | **${summary.failed}** | **${summary.unknown}** | **${summary.waived}** |`,
    '',
  ].join('\n');
}

function severitySection(severity: Severity, findings: readonly Finding[], rules: ReadonlyMap<string, RuleMeta>): Piece[] {
  if (findings.length === 0) return [];
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort(compareText);
  return [
    {
      text: `\n### ${HEADING[severity]} (${findings.length})\n\n| Rule | Resource | Message | Location |\n| :-- | :-- | :-- | :-- |\n`,
      findings: 0,
    },
    ...findings.map((f) => ({
      text: `| ${ruleCell(f.ruleId, rules)} | ${code(subject(f))} | ${text(f.message)} | ${code(placeText(f))} |\n`,
      findings: 1,
    })),
    ...ruleIds.flatMap((id) => {
      const rule = rules.get(id);
      return rule ? [{ text: remediation(rule), findings: 0 }] : [];
    }),
  ];
}

function unknownSection(findings: readonly Finding[], rules: ReadonlyMap<string, RuleMeta>): Piece[] {
  if (findings.length === 0) return [];
  return [
    {
      text:
        `\n### Unknown at plan time (${findings.length})\n\n` +
        'These rules could not be decided because a value is known only after apply.\n\n' +
        '| Rule | Severity | Resource | Waits on | Message | Location |\n| :-- | :-- | :-- | :-- | :-- | :-- |\n',
      findings: 0,
    },
    ...findings.map((f) => ({
      text: `| ${ruleCell(f.ruleId, rules)} | ${f.severity} | ${code(subject(f))} | ${(f.waitsOn ?? []).map(code).join(', ')} | ${text(f.message)} | ${code(placeText(f))} |\n`,
      findings: 1,
    })),
  ];
}

function waivedSection(findings: readonly Finding[], rules: ReadonlyMap<string, RuleMeta>): Piece[] {
  if (findings.length === 0) return [];
  return [
    {
      text:
        `\n### Waived (${findings.length})\n\n` +
        '| Rule | Severity | Resource | Message | Reason | Owner | Expires |\n| :-- | :-- | :-- | :-- | :-- | :-- | :-- |\n',
      findings: 0,
    },
    ...findings.map((f) => ({
      text: `| ${ruleCell(f.ruleId, rules)} | ${f.severity} | ${code(subject(f))} | ${text(f.message)} | ${text(f.waiver?.reason ?? '')} | ${text(f.waiver?.owner ?? '')} | ${text(f.waiver?.expires ?? '')} |\n`,
      findings: 1,
    })),
  ];
}

function noticeSection(notices: readonly WaiverNotice[]): Piece[] {
  if (notices.length === 0) return [];
  const problem = { expired: 'expired: findings gate again', unused: 'unused: matched nothing' } as const;
  return [
    {
      text:
        `\n### Waiver notices (${notices.length})\n\n` +
        '| Problem | Rule | Address | Owner | Expires | Reason |\n| :-- | :-- | :-- | :-- | :-- | :-- |\n',
      findings: 0,
    },
    ...notices.map((n) => ({
      text: `| ${problem[n.problem]} | ${code(n.rule)} | ${code(n.address)} | ${text(n.owner)} | ${text(n.expires)} | ${text(n.reason)} |\n`,
      findings: 0,
    })),
  ];
}

function footer(report: Report): string {
  const inputs = [...report.inputs]
    .sort((a, b) => compareText(a.file, b.file))
    .map((i) => {
      const version = i.terraformVersion === undefined ? '' : `, Terraform ${text(i.terraformVersion)}`;
      return `${code(i.file)} (${i.kind}${version}, ${i.resources} resources)`;
    });
  return `\n<sub>${text(report.tool.name)} ${text(report.tool.version)} · ${report.rules.length} rules · ${inputs.join(' · ')}</sub>\n`;
}

function placeText(finding: Finding): string {
  const place = primaryPlace(finding);
  return `${place.path}:${place.line}`;
}

function ruleCell(id: string, rules: ReadonlyMap<string, RuleMeta>): string {
  const link = safeUrl(rules.get(id)?.helpUri);
  return link === undefined ? code(id) : `[${code(id)}](${link})`;
}

function remediation(rule: RuleMeta): string {
  const link = safeUrl(rule.helpUri);
  const references = rule.references.map((r) => `- ${safeUrl(r) === undefined ? text(r) : `<${safeUrl(r)}>`}`);
  return [
    '',
    `<details><summary>How to fix <code>${html(rule.id)}</code>: ${html(oneLine(rule.title))}</summary>`,
    '',
    rule.remediation.trim(),
    ...(references.length > 0 ? ['', '**References**', '', ...references] : []),
    ...(link === undefined ? [] : ['', `[Rule documentation](${link})`]),
    '',
    '</details>',
    '',
  ].join('\n');
}

/** Only http(s) links, with the characters that would end a link or a table cell percent-encoded. */
function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/[()<>|`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Plain text in a table cell: Markdown punctuation escaped, HTML-significant characters as entities. */
export function text(value: string): string {
  return oneLine(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`);
}

/**
 * A code span that survives any content: the fence is one backtick longer than the longest run inside,
 * and `|` is escaped because GitHub splits table cells before it parses code spans.
 */
export function code(value: string): string {
  const content = oneLine(value).replace(/\|/g, '\\|');
  if (content === '') return '';
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || content.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

function html(value: string): string {
  return visible(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
