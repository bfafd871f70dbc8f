import type * as Sarif from 'sarif';
import type { Finding, Report, RuleMeta, Severity, WaiverNotice } from '../finding';
import { identities, identityOf, primaryPlace } from './identity';
import type { RenderOptions } from './options';
import { describe, subject } from './describe';
import { compareNotices, compareText, sortedFindings, sortedRecord } from './order';

// GitHub code scanning reads a documented subset of SARIF 2.1.0:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub: "Over 9.0 is critical, 7.0 to 8.9 is high, 4.0 to 6.9 is medium and 0.1 to 3.9 is low". */
const SECURITY_SEVERITY = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: undefined,
} as const satisfies Record<Severity, string | undefined>;

const LEVEL = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
} as const satisfies Record<Severity, Sarif.ReportingConfiguration.level>;

/** An undecided result never reads as a failure: a warning where the rule is high or critical, else a note. */
const UNKNOWN_LEVEL = {
  critical: 'warning',
  high: 'warning',
  medium: 'note',
  low: 'note',
  info: 'note',
} as const satisfies Record<Severity, Sarif.ReportingConfiguration.level>;

const UTF8 = new TextEncoder();

/** GitHub displays at most 10 tags per rule. */
const MAX_TAGS = 10;

export function toSarif(report: Report, options: RenderOptions): Sarif.Log {
  const { log, results } = sarifParts(report, options);
  log.runs[0]!.results = [...results];
  return log;
}

/** The log without its results, and the results, made one at a time as they are read. */
function sarifParts(report: Report, options: RenderOptions): { log: Sarif.Log; results: Iterable<Sarif.Result> } {
  const rules = [...report.rules].sort((a, b) => compareText(a.id, b.id));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const all = sortedFindings(report);
  const ids = identities(all);
  // Waived findings are left out. GitHub ignores `result.suppressions` (github/codeql-action#1230), so a
  // suppressed result would open an alert, and could fail a code-scanning merge check, for something the
  // gate accepted. The waiver still shows: as a note in `invocations[0]`, and in the text, JSON and
  // Markdown reports.
  function* results(): Generator<Sarif.Result> {
    for (const finding of all) {
      if (finding.waiver) continue;
      const index = ruleIndex.get(finding.ruleId);
      if (index === undefined) throw new Error(`finding for rule ${finding.ruleId}, which is not in report.rules`);
      const identity = identityOf(ids, finding);
      yield {
        ruleId: finding.ruleId,
        ruleIndex: index,
        level: finding.status === 'unknown' ? UNKNOWN_LEVEL[finding.severity] : LEVEL[finding.severity],
        message: { text: describe(finding) },
        locations: [resultLocation(finding)],
        partialFingerprints: { primaryLocationLineHash: `${identity.hash.slice(0, 16)}:${identity.occurrence}` },
        properties: {
          status: finding.status,
          severity: finding.severity,
          address: finding.address,
          planFile: finding.file,
          ...(finding.waitsOn && { waitsOn: [...finding.waitsOn] }),
          ...(finding.evidence && { evidence: sortedRecord(finding.evidence) }),
        },
      };
    }
  }
  const notifications = [
    ...all.flatMap((finding) => (finding.waiver ? [waivedNotification(finding)] : [])),
    ...[...report.waiverNotices].sort(compareNotices).map(noticeNotification),
  ];
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: report.tool.name,
        semanticVersion: report.tool.version,
        informationUri: report.tool.informationUri,
        rules: rules.map(reportingDescriptor),
      },
    },
    // An empty id would be an empty category; without the object, upload-sarif's `category` input applies.
    ...(options.automationId !== '' && { automationDetails: { id: options.automationId } }),
    ...(notifications.length > 0 && {
      invocations: [{ executionSuccessful: true, toolConfigurationNotifications: notifications }],
    }),
    results: [],
  };
  return { log: { $schema: SCHEMA, version: '2.1.0', runs: [run] }, results: results() };
}

export function renderSarif(report: Report, options: RenderOptions): string {
  return [...sarifPieces(report, options)].join('');
}

/** Stands for the results in the log's text until they are written in its place. */
const RESULTS_MARK = '\u0000kmsgate-results\u0000';
/**
 * Results rendered per piece: enough for JSON.stringify's speed (one result at a time takes twice as
 * long), few enough that a piece stays out of V8's large-object space, which only a full collection frees.
 */
const RESULTS_PER_PIECE = 32;

/**
 * The text of `renderSarif`, piece by piece: the log around its results, then the results a few
 * dozen at a time, nested as deep as in the log so that `JSON.stringify(…, null, 2)` indents them
 * as it would indent the whole. A large plan's log is never one string (it holds non-Latin-1
 * characters, so V8 would keep it at two bytes a character).
 */
export function* sarifPieces(report: Report, options: RenderOptions): Generator<string> {
  const { log, results } = sarifParts(report, options);
  const iterator = results[Symbol.iterator]();
  let next = iterator.next();
  if (next.done) {
    yield `${JSON.stringify(log, null, 2)}\n`;
    return;
  }
  log.runs[0]!.results = [RESULTS_MARK as unknown as Sarif.Result];
  const text = JSON.stringify(log, null, 2);
  // The last string of the log: only closing brackets follow the results.
  const mark = text.lastIndexOf(JSON.stringify(RESULTS_MARK));
  const lineStart = text.lastIndexOf('\n', mark) + 1;
  const depth = (mark - lineStart) / 2;
  yield text.slice(0, lineStart);
  const open = Array.from({ length: depth }, (_, level) => `${' '.repeat(2 * level)}[\n`).join('');
  const close = Array.from({ length: depth }, (_, level) => `\n${' '.repeat(2 * (depth - 1 - level))}]`).join('');
  let batch: Sarif.Result[] = [];
  let first = true;
  const piece = () => {
    let nested: unknown = batch;
    for (let level = 1; level < depth; level++) nested = [nested];
    const rendered = JSON.stringify(nested, null, 2);
    const part = `${first ? '' : ',\n'}${rendered.slice(open.length, rendered.length - close.length)}`;
    first = false;
    batch = [];
    return part;
  };
  for (; !next.done; next = iterator.next()) {
    batch.push(next.value);
    if (batch.length === RESULTS_PER_PIECE) yield piece();
  }
  if (batch.length > 0) yield piece();
  yield `${text.slice(mark + JSON.stringify(RESULTS_MARK).length)}\n`;
}

function resultLocation(finding: Finding): Sarif.Location {
  const place = primaryPlace(finding);
  return {
    physicalLocation: {
      artifactLocation: { uri: uriReference(place.path) },
      region: { startLine: place.line },
    },
    ...(finding.address !== '' && {
      logicalLocations: [{ fullyQualifiedName: finding.address, kind: 'resource' }],
    }),
  };
}

/**
 * A relative path as a URI reference (RFC 3986): everything but unreserved characters, sub-delims,
 * `:`, `@` and `/` is percent-encoded, and so is a `:` in the first segment, which would read as a scheme.
 */
export function uriReference(path: string): string {
  return path
    .split('/')
    .map((segment, index) =>
      Array.from(segment)
        .map((c) =>
          /^[A-Za-z0-9\-._~!$&'()*+,;=@]$/.test(c) || (c === ':' && index > 0)
            ? c
            : Array.from(UTF8.encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
        )
        .join(''),
    )
    .join('/');
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function reportingDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  const tags = [...new Set(['security', ...rule.tags])].slice(0, MAX_TAGS);
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: rule.helpUri,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags,
      // Rules decide from values in the plan, not from heuristics over source text.
      precision: rule.precision,
      // Without a security severity GitHub treats the rule as a code-quality rule, ranked by `problem.severity`.
      ...(securitySeverity === undefined
        ? { 'problem.severity': 'recommendation' }
        : { 'security-severity': securitySeverity }),
    },
  };
}

function helpText(rule: RuleMeta): string {
  const references = rule.references.length > 0 ? `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join('\n')}` : '';
  return `${rule.description}\n\nRemediation: ${rule.remediation}${references}\n\nDocumentation: ${rule.helpUri}`;
}

/** Policy texts (description, remediation) are authored Markdown; references are URLs. */
function helpMarkdown(rule: RuleMeta): string {
  const references =
    rule.references.length > 0 ? `\n\n**References**\n\n${rule.references.map((r) => `- ${autolink(r)}`).join('\n')}` : '';
  return `${rule.description}\n\n**Remediation:** ${rule.remediation}${references}\n\n[Rule documentation](${rule.helpUri})`;
}

function waivedNotification(finding: Finding): Sarif.Notification {
  const waiver = finding.waiver;
  if (!waiver) throw new Error('waivedNotification needs a waived finding');
  const place = primaryPlace(finding);
  return {
    level: 'note',
    message: {
      text: `Waived: ${subject(finding)}: ${finding.message} Waiver by ${waiver.owner}, expires ${waiver.expires}: ${waiver.reason}`,
    },
    associatedRule: { id: finding.ruleId },
    locations: [
      { physicalLocation: { artifactLocation: { uri: uriReference(place.path) }, region: { startLine: place.line } } },
    ],
  };
}

function noticeNotification(notice: WaiverNotice): Sarif.Notification {
  const what =
    notice.problem === 'expired'
      ? `Waiver expired on ${notice.expires}; its findings gate again`
      : `Waiver matched no finding (expires ${notice.expires}); remove it`;
  return {
    level: 'warning',
    message: { text: `${what}: rule ${notice.rule}, address ${notice.address}, owner ${notice.owner}: ${notice.reason}` },
    associatedRule: { id: notice.rule },
  };
}

function autolink(reference: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(reference) ? `<${reference}>` : reference;
}
