// Reading files that may come from an untrusted pull request: YAML without custom tags, with a bound
// on aliases (no billion laughs) and size, unique keys, and no keys that could pollute prototypes.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { UserError } from '../errors';

export const MAX_FILE_BYTES = 1024 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses YAML (JSON is YAML too) into plain data, or returns every problem found. */
export function parseYaml(file: string, text: string): { value: unknown } | { errors: UserError[] } {
  if (text.length > MAX_FILE_BYTES) {
    return { errors: [new UserError(file, '', `file is larger than ${MAX_FILE_BYTES} bytes; policy and config files are small`)] };
  }
  const document = parseDocument(text, {
    uniqueKeys: true,
    merge: false,
    schema: 'core',
    prettyErrors: false,
    strict: true,
  });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    return {
      errors: problems.map((p) => {
        const where = p.linePos?.[0];
        return new UserError(file, where ? `line ${where.line}, column ${where.col}` : '', `invalid YAML: ${p.message.split('\n')[0]}`);
      }),
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { errors: [new UserError(file, '', `invalid YAML: ${(error as Error).message.split('\n')[0]}`)] };
  }
  const polluting = findForbiddenKey(value, '$');
  if (polluting) return { errors: [new UserError(file, polluting, 'this key name is not allowed')] };
  return { value };
}

function findForbiddenKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findForbiddenKey(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
      const found = findForbiddenKey((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Validates with a schema compiled ahead of time (validators.generated.js); every problem becomes one error with its JSONPath. */
export function validateSchema(validate: ValidateFunction, file: string, value: unknown): UserError[] {
  if (validate(value)) return [];
  return dedupe((validate.errors ?? []).filter(isUseful).map((e) => new UserError(file, jsonPath(e), describe(e))));
}

// oneOf/anyOf failures repeat what their branches already said.
const isUseful = (error: ErrorObject) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && error.keyword !== 'if';

function jsonPath(error: ErrorObject): string {
  const pointer = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return `$${pointer.map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key '${String(params['additionalProperty'])}'`;
    case 'required':
      return `missing required key '${String(params['missingProperty'])}'`;
    case 'enum':
      return `must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`;
    case 'type':
      return `must be ${String(params['type']).replace(',', ' or ')}`;
    case 'pattern':
      return `does not have the expected form (${String(params['pattern'])})`;
    case 'propertyNames':
      return `key '${String(params['propertyName'])}' does not have the expected form`;
    default:
      return error.message ?? 'is not valid';
  }
}

function dedupe(errors: UserError[]): UserError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
