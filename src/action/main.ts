// The GitHub Action's shell: inputs → the CLI's `runCheck` (same options, same pipeline) → step
// outputs, job summary, annotations and the exit code. Exit codes follow the CLI: 1 when the gate
// fails, 2 for bad input (one line per problem), 3 for a bug; GitHub fails the step on any of them.

import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import * as core from '@actions/core';
import { runCheck, type CheckArgs } from '../cli/check';
import { UserError, UserErrors } from '../errors';
import { GITHUB_STEP_SUMMARY_LIMIT, render, summarize } from '../report';
import { countsLine, thresholdWords } from '../report/summary';
import { annotationsFor, type Annotation } from './annotations';
import { readInputs, type ActionInputs } from './inputs';
import { actionOutputs, OUTPUT_NAMES } from './outputs';
import { expandPlans } from './plans';

const CONFIG_NAMES = ['.kmsgate.yml', '.kmsgate.yaml'];

/** A path input written relative to `working-directory`, as the workspace-relative path the CLI is given. */
function underWorkingDirectory(inputs: ActionInputs, path: string): string {
  if (isAbsolute(path)) return path;
  return relative(process.cwd(), join(process.cwd(), inputs.workingDirectory, path)).split(sep).join('/') || '.';
}

function checkWorkingDirectory(dir: string): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError("input 'working-directory'", '', `${dir} is not a folder in the workspace`);
  }
}

export function checkArgs(inputs: ActionInputs, sarif: string): CheckArgs {
  checkWorkingDirectory(underWorkingDirectory(inputs, '.'));
  // The CLI looks for `.kmsgate.yml` in its working folder; the action's is `working-directory`.
  const config =
    inputs.config !== undefined
      ? underWorkingDirectory(inputs, inputs.config)
      : CONFIG_NAMES.map((name) => underWorkingDirectory(inputs, name)).find((path) => existsSync(path));
  return {
    plans: expandPlans(inputs.plan, inputs.workingDirectory, process.cwd()),
    policies: inputs.policies.map((dir) => underWorkingDirectory(inputs, dir)),
    builtin: true,
    ...(config !== undefined && { config }),
    ...(inputs.sourceDir !== undefined && { sourceDir: underWorkingDirectory(inputs, inputs.sourceDir) }),
    formats: ['text', `sarif=${sarif}`],
    ...(inputs.failOn !== undefined && { failOn: inputs.failOn }),
    ...(inputs.onUnknown !== undefined && { onUnknown: inputs.onUnknown }),
    quiet: false,
    // The Actions log renders ANSI colours; NO_COLOR still turns them off.
    color: !process.env['NO_COLOR'],
    ...(inputs.category !== undefined && { category: inputs.category }),
  };
}

/** The CLI names its flags in messages; the action's users know them as inputs. */
const FLAG_INPUT: Readonly<Record<string, string>> = {
  '--fail-on': 'fail-on',
  '--on-unknown': 'on-unknown',
  '--policies': 'policies',
  '--config': 'config',
  '--format': 'sarif',
  '--category': 'category',
  check: 'plan',
};

function asInputError(error: UserError): string {
  const input = FLAG_INPUT[error.file];
  return input === undefined ? error.message : new UserError(`input '${input}'`, error.place, error.detail).message;
}

/** Plan text must not be read as workflow commands (`::add-mask::`, `::error::`) when the report is logged. */
function logUninterpreted(text: string): void {
  if (text === '') return;
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`);
}

function annotate(annotation: Annotation): void {
  const properties = {
    title: annotation.title,
    ...(annotation.file !== undefined && { file: annotation.file }),
    ...(annotation.line !== undefined && { startLine: annotation.line }),
  };
  core[annotation.level](annotation.message, properties);
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    core.info('kmsgate: GITHUB_STEP_SUMMARY is not set; no job summary written');
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`kmsgate: could not write the job summary (${(error as Error).message})`);
  }
}

async function gate(): Promise<number> {
  const workspace = process.env['GITHUB_WORKSPACE'];
  if (workspace) process.chdir(workspace);
  const inputs = readInputs((name) => core.getInput(name));
  const sarif = underWorkingDirectory(inputs, inputs.sarif);
  const result = await runCheck(checkArgs(inputs, sarif), new Date().toISOString().slice(0, 10));
  logUninterpreted(result.stdout);

  const summary = summarize(result.report);
  const outputs = actionOutputs(summary, sarif);
  for (const name of OUTPUT_NAMES) core.setOutput(name, outputs[name]);

  const { annotations, omitted } = annotationsFor(result.report);
  for (const annotation of annotations) annotate(annotation);
  const left = Object.entries(omitted).filter(([, count]) => count > 0);
  if (left.length > 0) {
    const what = left.map(([level, count]) => `${count} ${level}`).join(', ');
    core.info(`kmsgate: not annotated (GitHub shows 10 per level and step): ${what}; the job summary and ${sarif} list every finding`);
  }

  await writeSummary(render('markdown', result.report, { maxBytes: GITHUB_STEP_SUMMARY_LIMIT }));

  if (result.exitCode !== 0) {
    core.setFailed(`kmsgate: gate failed: ${summary.gating} gating at ${thresholdWords(summary)}; ${countsLine(summary)}`);
  }
  return result.exitCode;
}

export async function run(): Promise<number> {
  try {
    return await gate();
  } catch (error) {
    if (error instanceof UserErrors || error instanceof UserError) {
      const errors = error instanceof UserErrors ? error.errors : [error];
      for (const e of errors) core.error(`kmsgate: error: ${asInputError(e)}`);
      return 2;
    }
    core.debug((error as Error).stack ?? String(error));
    core.error(`kmsgate: internal error: ${(error as Error).message} (please report it; re-run with debug logging to see the stack)`);
    return 3;
  }
}
