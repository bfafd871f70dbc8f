// Reading files that may come from an untrusted pull request: YAML without custom tags, with a bound
// on aliases (no billion laughs), on nesting and on size, unique keys, and no keys that could pollute
// prototypes.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { isNode, isScalar, Lexer, Parser, parseDocument, visit, type Document } from 'yaml';
import { UserError } from '../errors';

export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Policy and config files nest a dozen levels at most. The YAML library composes documents
 * recursively: thousands of levels overflow the stack, and a regular expression V8 compiles near the
 * top of the stack can then abort the process (a fatal out-of-memory error), so depth is checked
 * before the document is composed.
 */
export const MAX_NESTING = 64;
/** A block indicator further right than this belongs to no file a person wrote. */
const MAX_INDICATOR_COLUMN = 256;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A name from the file as messages quote it: one line, and not longer than a line. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Parses YAML (JSON is YAML too) into plain data, or returns every problem found. */
export function parseYaml(file: string, text: string): { value: unknown } | { errors: UserError[] } {
  if (text.length > MAX_FILE_BYTES) {
    return { errors: [new UserError(file, '', `file is larger than ${MAX_FILE_BYTES} bytes; policy and config files are small`)] };
  }
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { errors: [new UserError(file, tooDeep.place, tooDeep.detail)] };
  const document = parseDocument(text, {
    uniqueKeys: true,
    merge: false,
    schema: 'core',
    prettyErrors: false,
    strict: true,
    // Problems are reported as errors below; the library must not write warnings to stderr itself.
    logLevel: 'silent',
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
  const shape = shapeProblem(text, document);
  if (shape) return { errors: [new UserError(file, shape.place, shape.detail)] };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { errors: [new UserError(file, '', `invalid YAML: ${(error as Error).message.split('\n')[0]}`)] };
  }
  const problem = findProblem(value);
  if (problem) return { errors: [new UserError(file, problem.place, problem.detail)] };
  return { value };
}

/**
 * Explicit tags and keys that are collections. The library resolves some tags even in the core schema
 * (`!!binary` to a Buffer, `!!timestamp` to a Date, `!!set`): policy and config files are plain data and
 * need none. A list or a map as a key would be turned into text (with a warning on stderr).
 */
function shapeProblem(text: string, document: Document): { place: string; detail: string } | undefined {
  let problem: { place: string; detail: string } | undefined;
  const at = (node: { range?: [number, number, number] | null }) => (node.range ? `line ${lineOf(text, node.range[0])}` : '');
  visit(document, {
    Node: (_key, node) => {
      if (!node.tag) return undefined;
      problem = { place: at(node), detail: `the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; policy and config files are plain YAML without tags` };
      return visit.BREAK;
    },
    Pair: (_key, pair) => {
      if (pair.key === null || isScalar(pair.key) || !isNode(pair.key)) return undefined;
      problem = { place: at(pair.key), detail: 'a key here is a list or a map; keys are plain names' };
      return visit.BREAK;
    },
  });
  return problem;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

const DEEP = `nests deeper than ${MAX_NESTING} levels; policy and config files are shallow, so this is refused before it is read`;

/**
 * Too deep to compose safely? Two passes of the library's lexer and parser, which keep their own
 * stacks: flow brackets and block indicator columns first (fast, stops early), then the exact depth of
 * the concrete syntax tree.
 */
function nestingProblem(text: string): { place: string; detail: string } | undefined {
  let flow = 0;
  let line = 1;
  let column = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      flow += 1;
      if (flow > MAX_NESTING) return { place: `line ${line}`, detail: DEEP };
    } else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if ((token === '-' || token === '?' || token === ':') && column > MAX_INDICATOR_COLUMN) {
      return { place: `line ${line}`, detail: DEEP };
    }
    const newline = token.lastIndexOf('\n');
    if (newline >= 0) {
      for (const c of token) if (c === '\n') line += 1;
      column = token.length - newline - 1;
    } else if (!(token.length === 1 && token < ' ' && token !== '\t')) column += token.length;
  }
  let deepest = 0;
  for (const top of new Parser().parse(text)) {
    const pending: [unknown, number][] = [[top, 0]];
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      if (typeof node !== 'object' || node === null) continue;
      const token = node as { type?: string; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
      const here = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection' ? depth + 1 : depth;
      deepest = Math.max(deepest, here);
      if (deepest > MAX_NESTING) return { place: '', detail: DEEP };
      if (token.type === 'document') pending.push([token.value, here]);
      for (const item of token.items ?? []) pending.push([item.key, here], [item.value, here]);
    }
  }
  return undefined;
}

/**
 * A key that could pollute prototypes, or an alias that refers to a node containing it (the value
 * would contain itself: no policy means that, and walking it would never end).
 */
function findProblem(root: unknown): { place: string; detail: string } | undefined {
  const onPath = new Set<object>();
  const pending: { value: unknown; path: string; leave?: object }[] = [{ value: root, path: '$' }];
  while (pending.length > 0) {
    const { value, path, leave } = pending.pop()!;
    if (leave) {
      onPath.delete(leave);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (onPath.has(value)) return { place: path, detail: 'an alias here refers to a node that contains it; write the value out' };
    onPath.add(value);
    pending.push({ value: undefined, path, leave: value });
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.keys(value).map((k) => [`.${k}`, (value as Record<string, unknown>)[k]]);
    for (const [step, child] of entries.reverse()) {
      const key = step.slice(1);
      if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return { place: `${path}.${key}`, detail: 'this key name is not allowed' };
      // Keys are quoted in messages, which are one line each.
      if (!Array.isArray(value) && CONTROL.test(key)) return { place: path, detail: `the key ${JSON.stringify(shorten(key))} holds a line break or another control character` };
      pending.push({ value: child, path: `${path}${step}` });
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
      return `unknown key '${shorten(String(params['additionalProperty']))}'`;
    case 'required':
      return `missing required key '${String(params['missingProperty'])}'`;
    case 'enum':
      return `must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`;
    case 'type':
      return `must be ${String(params['type']).replace(',', ' or ')}`;
    case 'pattern':
      return `does not have the expected form (${String(params['pattern'])})`;
    case 'propertyNames':
      return `key '${shorten(String(params['propertyName']))}' does not have the expected form`;
    default:
      return error.message ?? 'is not valid';
  }
}

function dedupe(errors: UserError[]): UserError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
