/** What a caller may tune in the rendering; the CLI decides every value, renderers never sniff the environment. */
export interface RenderOptions {
  /** text: ANSI colours. The CLI weighs `--no-color`, `NO_COLOR`, `FORCE_COLOR`, CI and TTY, then passes the answer. */
  color: boolean;
  /** text: print only the findings that make the gate fail, and the summary line. */
  quiet: boolean;
  /**
   * sarif: `runAutomationDetails.id`. GitHub reads the text before the last `/` as the category, so
   * `kmsgate/prod/` is category `kmsgate/prod` with no run id.
   */
  automationId: string;
  /** markdown: the report is cut at a section or table row so that it stays within this many UTF-8 bytes. */
  maxBytes: number;
}

/** GitHub rejects a job summary above 1 MiB per step ("supports content up to a size of 1024k"). */
export const GITHUB_STEP_SUMMARY_LIMIT = 1024 * 1024;

export const DEFAULT_RENDER_OPTIONS: Readonly<RenderOptions> = {
  color: false,
  quiet: false,
  automationId: 'kmsgate/',
  maxBytes: GITHUB_STEP_SUMMARY_LIMIT,
};
