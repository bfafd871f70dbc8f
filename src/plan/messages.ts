// The one-line messages of the load stage: what the file looks like and the command that produces
// the input kmsgate reads. Kept together so their wording stays consistent (and testable).

import { UserError } from '../errors';

export const PLAN_COMMAND = '`terraform show -json tfplan > plan.json`';
const STATE_COMMAND = '`terraform show -json terraform.tfstate > state.json`';
const EXPECTED = `kmsgate reads the output of ${PLAN_COMMAND} (or of \`terraform show -json\` on a state)`;

export function directoryError(file: string): UserError {
  return new UserError(file, '', `this is a directory, not a plan file; ${EXPECTED}`);
}

export function emptyFileError(file: string, blank: boolean): UserError {
  return new UserError(file, '', `${blank ? 'the file holds only whitespace' : 'the file is empty'}; ${EXPECTED}`);
}

export function syntaxError(file: string, place: string, reason: string, kind: 'grammar' | 'encoding' | 'truncated'): UserError {
  const fix = {
    grammar: `the file is not valid JSON; run ${PLAN_COMMAND} again and pass its output unchanged`,
    encoding: `the file is not UTF-8 as Terraform writes it (was it re-encoded?); run ${PLAN_COMMAND} again and pass its output unchanged`,
    truncated: `the file is cut short; run ${PLAN_COMMAND} again and let it finish`,
  }[kind];
  return new UserError(file, place, `invalid JSON: ${reason}; ${fix}`);
}

export function tooLargeError(file: string, place: string, limit: number): UserError {
  return new UserError(file, place, `a single value is larger than ${limit} bytes, more than kmsgate can parse at once; split the configuration into smaller stacks`);
}

export function shapeError(file: string, place: string, problem: string): UserError {
  return new UserError(file, place, `${problem}; this is not valid \`terraform show -json\` output, produce it with ${PLAN_COMMAND}`);
}

export function formatVersionError(file: string, problem: string): UserError {
  return new UserError(file, 'format_version', problem);
}

/** The file is something else than kmsgate's input: `looksLike` says what, and what to run instead. */
export function notPlanError(file: string, looksLike: string): UserError {
  return new UserError(file, '', looksLike);
}

export const LOOKS_LIKE = {
  zip: `this is a binary plan file (the zip archive \`terraform plan -out\` writes), not JSON; run ${PLAN_COMMAND} and pass plan.json`,
  gzip: `this is a gzip-compressed file; decompress it (\`gunzip\`) and pass the JSON inside; ${EXPECTED}`,
  utf32: `this file is encoded in UTF-32; save it as UTF-8, or run ${PLAN_COMMAND} again without re-encoding its output`,
  binary: `this is binary data, not JSON text; ${EXPECTED}`,
  humanPlan: `this is the human-readable output of \`terraform plan\` or \`terraform show\`, not JSON; run ${PLAN_COMMAND}`,
  hcl: `this is Terraform source (HCL), not a plan; run \`terraform plan -out tfplan\`, then ${PLAN_COMMAND}`,
  text: `this is text that is not JSON; ${EXPECTED}`,
  rawState: `this is a raw Terraform state file (terraform.tfstate: \`version\`, \`serial\`, \`resources[].instances\`), not \`terraform show -json\` output; run ${STATE_COMMAND} to check a state, or ${PLAN_COMMAND} to check a plan`,
  hcpRedacted: `this is HCP Terraform's redacted JSON plan (\`plan_format_version\`, \`provider_format_version\`), a different format; download the run's unredacted JSON plan (\`/api/v2/plans/:id/json-output\`) or run ${PLAN_COMMAND} on the saved plan`,
  invalidUtf16: `this file is UTF-16 but not valid UTF-16 (cut short, or an unpaired surrogate); run ${PLAN_COMMAND} again`,
  otherObject: `this JSON object is neither a Terraform plan nor a state (no \`format_version\`, none of \`planned_values\`, \`resource_changes\`, \`configuration\`, \`prior_state\`, \`values\`); ${EXPECTED}`,
} as const;

export function jsonKindLooksLike(kind: 'array' | 'string' | 'number' | 'boolean' | 'null'): string {
  const article = kind === 'array' ? 'an array' : kind === 'null' ? '`null`' : `a ${kind}`;
  return `this JSON document is ${article}, not a Terraform plan or state object; ${EXPECTED}`;
}
