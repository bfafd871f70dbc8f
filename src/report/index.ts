import type { Report } from '../finding';
import { renderGitlab } from './gitlab';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from './options';
import { renderSarif, sarifPieces } from './sarif';
import { renderText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'gitlab', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export type Renderer = (report: Report, options: RenderOptions) => string;

/** Every format is a pure function of the report: same report, same options, same bytes. */
export const renderers = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  markdown: renderMarkdown,
  gitlab: renderGitlab,
  junit: renderJunit,
} as const satisfies Record<Format, Renderer>;

export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

/** Renders with the defaults filled in (no colour, not quiet, `kmsgate/`, 1 MiB). */
export function render(format: Format, report: Report, options: Partial<RenderOptions> = {}): string {
  return renderers[format](report, { ...DEFAULT_RENDER_OPTIONS, ...options });
}

/**
 * The same text as `render`, in pieces, for writing to a file: a large plan's SARIF is never held
 * whole. Other formats come as one piece.
 */
export function renderPieces(format: Format, report: Report, options: Partial<RenderOptions> = {}): Iterable<string> {
  const filled = { ...DEFAULT_RENDER_OPTIONS, ...options };
  return format === 'sarif' ? sarifPieces(report, filled) : [renderers[format](report, filled)];
}

export { DEFAULT_RENDER_OPTIONS, GITHUB_STEP_SUMMARY_LIMIT, type RenderOptions } from './options';
export { summarize, type SeverityCounts, type Summary } from './summary';
export { JSON_OUTPUT_VERSION, toJsonReport, type JsonFinding, type JsonReport } from './json';
export { toSarif } from './sarif';
export { toCodeQuality, type CodeQualityIssue, type CodeQualitySeverity } from './gitlab';
export { MIN_MARKDOWN_BYTES } from './markdown';
