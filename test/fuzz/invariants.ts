// What must hold for every input, however hostile: a result or a UserError naming the file (anything
// else thrown is exit 3, a bug), no prototype pollution, and reports in every format that parse.
// Plain functions that throw, so the long run (scripts/fuzz-long.mjs) needs no test runner.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { checkPlans, type PlanInput } from '../../src/analyze';
import { UserError, UserErrors } from '../../src/errors';
import { analyze } from '../../src/facts';
import type { Report } from '../../src/finding';
import { buildModel } from '../../src/model';
import type { PlanDocument } from '../../src/plan/types';
import type { Config } from '../../src/policy/config';
import type { Policy } from '../../src/policy/types';
import { recover } from '../../src/recover';
import { relate } from '../../src/relate';
import { FORMATS, render } from '../../src/report';
import { accessRows, renderAccessText } from '../../src/report/access';
import { parseXml } from '../report/xml-check';

export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** The problems an expected failure reports: a UserError, or several at once. */
function userErrorsOf(error: unknown): readonly UserError[] | undefined {
  if (error instanceof UserErrors) return error.errors;
  if (error instanceof UserError) return [error];
  return undefined;
}

/**
 * Runs `step`; a UserError (or UserErrors) is an accepted outcome when every problem names one of
 * `files`, holds one line, and its message starts with the file. Anything else thrown is a bug.
 */
export function outcome<T>(step: () => T, files: readonly string[]): { value: T } | { errors: readonly UserError[] } {
  try {
    return { value: step() };
  } catch (error) {
    const errors = userErrorsOf(error);
    if (errors === undefined) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      throw new InvariantError(`not a UserError (the CLI would exit 3): ${detail.slice(0, 2000)}`);
    }
    checkUserErrors(errors, files);
    return { errors };
  }
}

export function checkUserErrors(errors: readonly UserError[], files: readonly string[]): void {
  invariant(errors.length > 0, 'UserErrors with no error in it');
  for (const e of errors) {
    invariant(e instanceof UserError, `not a UserError among UserErrors: ${String(e)}`);
    invariant(files.includes(e.file), `the error names '${e.file}', not one of ${files.join(', ')}: ${e.message}`);
    invariant(e.message.startsWith(`${e.file}`), `the message does not start with the file: ${e.message}`);
    invariant(!/[\r\n]/.test(e.message), `the message is not one line: ${JSON.stringify(e.message.slice(0, 300))}`);
    invariant(e.detail.trim().length > 0, `the message says nothing: ${e.message}`);
  }
}

const PROTOTYPES: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Function.prototype', Function.prototype],
  ['Number.prototype', Number.prototype],
  ['Map.prototype', Map.prototype],
];

const snapshot = (): string[] => PROTOTYPES.map(([, p]) => Reflect.ownKeys(p).map(String).sort().join(','));
const baseline = snapshot();
const baselineGlobals = new Set(Object.keys(globalThis));

/** Fails when any built-in prototype or the global object gained or lost a property. */
export function checkPrototypes(): void {
  const now = snapshot();
  PROTOTYPES.forEach(([name], i) => invariant(now[i] === baseline[i], `${name} was changed (prototype pollution): ${now[i]}`));
  const probe = {} as Record<string, unknown>;
  invariant(probe['polluted'] === undefined, 'Object.prototype.polluted is set');
  const added = Object.keys(globalThis).filter((k) => !baselineGlobals.has(k) && !k.startsWith('__vitest') && k !== 'polluted');
  invariant(!('polluted' in globalThis), 'globalThis.polluted is set');
  invariant(added.length === 0 || added.every((k) => /^(__|vi|expect|structuredClone|crypto|navigator)/.test(k)), `new globals: ${added.join(', ')}`);
}

let validateJson: ((data: unknown) => boolean) & { errors?: unknown } = Object.assign(() => true, {});
/** Loads docs/json-output.schema.json once; reports are validated against it when it is loaded. */
export function loadJsonSchema(root: string): void {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  validateJson = ajv.compile(JSON.parse(readFileSync(join(root, 'docs/json-output.schema.json'), 'utf8')) as object);
}

/** Every format rendered; the machine-readable ones parse (and JSON fits its schema). */
export function renderAll(report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  for (const format of FORMATS) {
    const text = render(format, report);
    invariant(typeof text === 'string' && text.length > 0, `${format}: empty output`);
    out[format] = text;
  }
  out['text-color'] = render('text', report, { color: true });
  out['text-quiet'] = render('text', report, { quiet: true });
  const json = parseJson(out['json'] ?? '', 'json');
  invariant(validateJson(json), `json: does not fit docs/json-output.schema.json: ${String(JSON.stringify(validateJson.errors)).slice(0, 500)}`);
  const sarif = parseJson(out['sarif'] ?? '', 'sarif') as { version?: string; runs?: unknown[] };
  invariant(sarif.version === '2.1.0' && Array.isArray(sarif.runs) && sarif.runs.length === 1, 'sarif: not one 2.1.0 run');
  invariant(Array.isArray(parseJson(out['gitlab'] ?? '', 'gitlab')), 'gitlab: not an array');
  try {
    parseXml(out['junit'] ?? '');
  } catch (error) {
    throw new InvariantError(`junit: not well-formed XML: ${(error as Error).message}`);
  }
  return out;
}

function parseJson(text: string, format: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvariantError(`${format}: output is not JSON: ${(error as Error).message}`);
  }
}

export interface PipelineOptions {
  policies: readonly Policy[];
  config: Config;
  /** Files a UserError may name. */
  files: readonly string[];
  /** Run twice and compare, to catch state kept between runs (caches, memo tables). */
  twice?: boolean;
}

/**
 * `kmsgate check` and `kmsgate access` in process: a report (every format rendered and parsed) or
 * UserErrors that name the files. Returns every output for callers that look for leaked values.
 */
export function pipeline(plans: readonly PlanDocument[], options: PipelineOptions): string[] {
  const result = outcome(() => {
    const inputs: PlanInput[] = plans.map((plan) => ({ model: buildModel(plan) }));
    const report = checkPlans(inputs, { policies: options.policies, config: options.config, failOn: 'high', today: '2026-06-01' });
    const access = inputs.flatMap(({ model }) => accessRows(analyze(model, relate(model), recover(model)), model.sensitiveValues));
    return { report, access };
  }, options.files);
  if ('errors' in result) return result.errors.map((e) => e.message);
  const outputs = Object.values(renderAll(result.value.report));
  outputs.push(JSON.stringify(result.value.access, null, 2), renderAccessText(result.value.access, false));
  if (options.twice) {
    const again = pipeline(plans, { ...options, twice: false });
    invariant(again.length === outputs.length && again.every((text, i) => text === outputs[i]), 'a second run over the same input gave other output');
  }
  return outputs;
}
