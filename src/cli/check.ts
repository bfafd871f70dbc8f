// `kmsgate check`: load plans, policies and config, run the pipeline, write every requested format,
// and decide the exit code.

import { Buffer } from 'node:buffer';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkPlans, gatingCount, type PlanInput } from '../analyze';
import { UserError, UserErrors } from '../errors';
import { isSeverity, type OnUnknown, type Report, type Severity } from '../finding';
import { buildModel } from '../model';
import { directoryError, type PlanDocument } from '../plan';
import { loadPlanFile } from '../plan/read-file';
import { checkConfig, EMPTY_CONFIG, parseConfig, type Config } from '../policy/config';
import type { Policy } from '../policy/types';
import { isFormat, render, renderPieces, type Format } from '../report';
import { display, readSmallFile } from './files';
import { keepYoungGenerationSmall } from './heap';
import { loadPolicySet } from './policy-set';
import { loadSources } from './sources';

// Part of what check does; the bench's stage-by-stage probe loads its policies from here.
export { loadPolicySet };

export interface CheckArgs {
  plans: readonly string[];
  policies: readonly string[];
  builtin: boolean;
  config?: string;
  sourceDir?: string;
  formats: readonly string[];
  output?: string;
  failOn?: string;
  onUnknown?: string;
  quiet: boolean;
  color: boolean;
  category?: string;
}

export interface Output {
  format: Format;
  /** undefined: standard output. */
  file?: string;
}

/** `--format F` and `--format F=FILE`; at most one format may go to standard output. */
export function parseOutputs(formats: readonly string[], output: string | undefined): Output[] {
  const specs = formats.length > 0 ? formats : ['text'];
  const outputs: Output[] = specs.map((spec) => {
    const [name, ...rest] = spec.split('=');
    const file = rest.join('=');
    if (!isFormat(name)) throw new UserError('--format', '', `unknown format '${name}'; use text, json, sarif, markdown, gitlab or junit`);
    if (rest.length > 0 && file === '') throw new UserError('--format', '', `'${spec}' names no file after '='`);
    return rest.length > 0 ? { format: name, file } : { format: name };
  });
  const toStdout = outputs.filter((o) => o.file === undefined);
  if (output !== undefined) {
    if (toStdout.length !== 1) throw new UserError('--output', '', 'names one file for the one format given without =FILE');
    toStdout[0]!.file = output;
  } else if (toStdout.length > 1) {
    throw new UserError('--format', '', 'only one format can go to standard output; write the others with --format F=FILE');
  }
  return outputs;
}

export function loadConfig(path: string | undefined, policies: readonly Policy[]): Config {
  const candidates = path !== undefined ? [path] : ['.kmsgate.yml', '.kmsgate.yaml'].filter((p) => existsSync(p));
  const file = candidates[0];
  if (file === undefined) return EMPTY_CONFIG;
  // A config nobody named comes with the checked-out pull request: a link in it must not make kmsgate
  // read (and quote, in unknown-key errors) a file outside the working directory.
  const parsed = parseConfig(display(file), readSmallFile(file, path === undefined ? process.cwd() : undefined));
  if ('errors' in parsed) throw new UserErrors(parsed.errors);
  const errors = checkConfig(parsed.config, policies);
  if (errors.length > 0) throw new UserErrors(errors);
  return parsed.config;
}

export function readPlans(paths: readonly string[]): PlanDocument[] {
  if (paths.length === 0) throw new UserError('check', '', 'name at least one plan file (from `terraform show -json tfplan > plan.json`)');
  return paths.map((path) => {
    const shown = display(path);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new UserError(shown, '', `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (isDirectory) throw directoryError(shown);
    return { ...loadPlanFile(path), file: shown };
  });
}

function severityOption(value: string | undefined, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if (!isSeverity(value)) throw new UserError('--fail-on', '', `unknown severity '${value}'; use critical, high, medium, low or info`);
  return value;
}

function onUnknownOption(value: string | undefined): OnUnknown | undefined {
  if (value === undefined) return undefined;
  if (value !== 'fail' && value !== 'warn' && value !== 'pass') {
    throw new UserError('--on-unknown', '', `unknown choice '${value}'; use fail, warn or pass`);
  }
  return value;
}

export interface CheckResult {
  report: Report;
  exitCode: 0 | 1;
  /** What goes to standard output. */
  stdout: string;
}

/** Each plan's model, with the Terraform source it was made from when there is one. */
export async function planInputs(paths: readonly string[], sourceDir: string | undefined): Promise<PlanInput[]> {
  const inputs: PlanInput[] = [];
  for (const plan of readPlans(paths)) {
    const model = buildModel(plan);
    const sources = await loadSources(model, { planFile: plan.file, ...(sourceDir !== undefined ? { sourceDir } : {}) });
    inputs.push({ model, ...(sources ? { sources } : {}) });
  }
  return inputs;
}

export async function runCheck(args: CheckArgs, today: string): Promise<CheckResult> {
  keepYoungGenerationSmall();
  const outputs = parseOutputs(args.formats, args.output);
  const onUnknown = onUnknownOption(args.onUnknown);
  const policies = loadPolicySet(args.policies, args.builtin);
  const config = loadConfig(args.config, policies);
  const failOn = severityOption(args.failOn, config.failOn ?? 'high');
  const plans = await planInputs(args.plans, args.sourceDir);
  const report = checkPlans(plans, { policies, config, failOn, ...(onUnknown ? { onUnknown } : {}), today });
  let stdout = '';
  for (const output of outputs) {
    const options = {
      color: output.file === undefined && output.format === 'text' && args.color,
      quiet: args.quiet,
      ...(args.category ? { automationId: args.category } : {}),
    };
    if (output.file === undefined) stdout = render(output.format, report, options);
    else writeOutput(output.file, renderPieces(output.format, report, options));
  }
  return { report, exitCode: gatingCount(report) > 0 ? 1 : 0, stdout };
}

/** Pieces are gathered to about this many characters per write. */
const WRITE_CHARS = 1 << 16;

function writeOutput(file: string, pieces: Iterable<string>): void {
  let fd: number | undefined;
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    fd = openSync(file, 'w');
    let pending = '';
    for (const piece of pieces) {
      pending += piece;
      if (pending.length < WRITE_CHARS) continue;
      writeAll(fd, pending);
      pending = '';
    }
    writeAll(fd, pending);
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw new UserError(display(file), '', `cannot write the report (${(error as NodeJS.ErrnoException).code})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}
