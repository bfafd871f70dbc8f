import { SEVERITIES, type Severity } from '../finding';
import type { Summary } from '../report';

export const OUTPUT_NAMES = [...SEVERITIES, 'failed', 'unknown', 'waived', 'gating', 'sarif', 'decision'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/**
 * Step outputs. Per severity: the violations (status fail, not waived), so `critical` + … + `info`
 * = `failed`; `unknown` and `waived` are counted apart, and `gating` is what decided `decision`.
 */
export function actionOutputs(summary: Summary, sarif: string): Record<OutputName, string> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, String(summary.bySeverity[s].failed)])) as Record<Severity, string>;
  return {
    ...bySeverity,
    failed: String(summary.failed),
    unknown: String(summary.unknown),
    waived: String(summary.waived),
    gating: String(summary.gating),
    sarif,
    decision: summary.decision,
  } satisfies Record<OutputName, string>;
}
