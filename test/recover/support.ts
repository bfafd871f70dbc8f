// Shared by the recover tests: the real fixture plans of testdata/recover/<case>/ and their source.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, formatKey, isUnknown, parseTraversal, type Model, type ModelValue, type Resource } from '../../src/model';
import { readPlan } from '../../src/plan';
import { prepareSources, recover, sourceDirectories, type PreparedSources, type Recovery, type SourceFile } from '../../src/recover';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CASES = join(ROOT, 'testdata', 'recover');

/** Paths relative to the project root, as the CLI would show them when run from there. */
export const caseDir = (name: string): string => `testdata/recover/${name}`;

export function loadModel(name: string, file = 'plan.json'): Model {
  const path = join(CASES, name, file);
  return buildModel(readPlan(`${caseDir(name)}/${file}`, readFileSync(path)));
}

export function sourceFiles(model: Model, rootDir: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const { dir } of sourceDirectories(model.configuration, rootDir)) {
    if (dir === null || !existsSync(join(ROOT, dir))) continue;
    for (const name of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.tf')).sort()) {
      files.push({ path: `${dir}/${name}`, text: readFileSync(join(ROOT, dir, name), 'utf8') });
    }
  }
  return [...new Map(files.map((f) => [f.path, f])).values()];
}

const prepared = new Map<string, Promise<PreparedSources>>();

export function prepare(name: string, model = loadModel(name)): Promise<PreparedSources> {
  let found = prepared.get(name);
  if (!found) {
    found = prepareSources(model, sourceFiles(model, caseDir(name)), { rootDir: caseDir(name) });
    prepared.set(name, found);
  }
  return found;
}

export interface CaseRecovery {
  model: Model;
  planOnly: Recovery;
  withSource: Recovery;
  resource(address: string): Resource;
}

export async function recoverCase(name: string): Promise<CaseRecovery> {
  const model = loadModel(name);
  const sources = await prepare(name, model);
  return {
    model,
    planOnly: recover(model),
    withSource: recover(model, sources),
    resource(address) {
      const found = model.byAddress.get(address);
      if (!found) throw new Error(`no ${address} in ${name}`);
      return found;
    },
  };
}

/** The value a reference has in a plan where it is known (`aws_iam_role.app.arn`, keys kept). */
export function knownValue(model: Model, reference: string): string {
  const steps = parseTraversal(reference) ?? [];
  for (let cut = steps.length - 1; cut > 0; cut -= 1) {
    let address = '';
    for (const step of steps.slice(0, cut)) {
      address += step.kind === 'name' ? `${address === '' ? '' : '.'}${step.name}` : formatKey(step.key);
    }
    const resource = model.byAddress.get(address);
    if (!resource) continue;
    let value: ModelValue | undefined = resource.values;
    for (const step of steps.slice(cut)) {
      const key = step.kind === 'name' ? step.name : step.key;
      value = (value as Record<string | number, ModelValue> | undefined)?.[key as string];
    }
    if (typeof value !== 'string' || isUnknown(value)) throw new Error(`${reference} is not a known string in ${model.file}`);
    return value;
  }
  throw new Error(`${reference} names no resource in ${model.file}`);
}

/** Replaces every symbolic value in a JSON value by the value the known plan has for its reference. */
export function substitute(value: unknown, known: Model): unknown {
  if (typeof value === 'string') return value.replace(/\$\{tf:([^}]+)\}/g, (_, reference: string) => knownValue(known, reference));
  if (Array.isArray(value)) return value.map((v) => substitute(v, known));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, known)]));
  }
  return value;
}

/** The provider writes principal identifiers sorted in reverse; a substituted symbol moves. */
export function resortPrincipals(document: unknown): unknown {
  const statements = (document as { Statement?: unknown }).Statement;
  for (const statement of Array.isArray(statements) ? statements : []) {
    for (const field of ['Principal', 'NotPrincipal']) {
      const principal = (statement as Record<string, unknown>)[field];
      if (typeof principal !== 'object' || principal === null) continue;
      for (const [type, ids] of Object.entries(principal)) {
        if (Array.isArray(ids)) (principal as Record<string, unknown>)[type] = [...(ids as string[])].sort().reverse();
      }
    }
  }
  return document;
}

/** The value at an attribute path (`policy`, `inline_policy[0].policy`) of a resource. */
export function valueAt(model: Model, address: string, attribute: string): ModelValue | undefined {
  let value: ModelValue | undefined = model.byAddress.get(address)?.values;
  for (const [, name, index] of attribute.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (isUnknown(value)) return value;
    value = (value as Record<string | number, ModelValue> | undefined)?.[name ?? Number(index)];
  }
  return value;
}

/** The attribute's text in a plan where it is known. */
export function knownText(model: Model, address: string, attribute: string): string {
  const value = valueAt(model, address, attribute);
  if (typeof value !== 'string') throw new Error(`${address}.${attribute} is not known in ${model.file}`);
  return value;
}
